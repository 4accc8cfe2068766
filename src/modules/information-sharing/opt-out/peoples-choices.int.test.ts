import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, createTestApp, signedInAs, type TestApp, type TestClient } from '../../../../test/support/kit.ts';
import { buildPartnership, postMultipart, openCaseThroughForms } from '../../../../test/support/social-prescribing.ts';
import { allowFlow, optOutList } from '../index.ts';

/** People's choices: withdrawals stop flows at once; the national data opt-out keeps people out of uses beyond their care. */
describe("information sharing: people's choices", () => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof buildPartnership>>;
  let lw: TestClient;
  let ig: TestClient;

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildPartnership(t);
    lw = await signedInAs(t, w.lw);
    ig = await signedInAs(t, w.ig);
  });
  afterAll(async () => t?.close());

  const openCase = (name: string) => openCaseThroughForms(t, w, lw, name);
  const refer = (caseId: string) => lw.postForm(`/social-prescribing/cases/${caseId}/connect/${w.service.id}`, { kind: 'refer', sharedFields: ['name'], consentConfirmed: 'yes' });
  const referrals = async (caseId: string) => (await t.db.query<{ n: number }>("select count(*)::int as n from sp_onward_referrals where case_id = $1 and kind = 'refer'", [caseId]))[0].n;

  it("a withdrawal of consent stops the person's next referral at once, naming it; consent given again lets it go", async () => {
    const { caseId, personId } = await openCase('Withdrawa');
    expect((await refer(caseId)).statusCode).toBe(303);
    expect(await referrals(caseId)).toBe(1);

    expect((await lw.postForm(`/social-prescribing/people/${personId}/consents`, { kind: 'share_with_organisation', given: 'no' })).statusCode).toBe(303);
    const refused = await refer(caseId);
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('withdrew their consent to (or objected to) sharing for a social prescribing referral');
    expect(refused.body).toContain(w.lw.name);
    expect(await referrals(caseId)).toBe(1);

    // Another person's referrals are not affected.
    const other = await openCase('Unaffecta');
    expect((await refer(other.caseId)).statusCode).toBe(303);

    // Consent recorded again: the referral goes.
    await lw.postForm(`/social-prescribing/people/${personId}/consents`, { kind: 'share_with_organisation', given: 'yes' });
    expect((await refer(caseId)).statusCode).toBe(303);
    expect(await referrals(caseId)).toBe(2);
  });

  it('an IG lead uploads the opt-out list; an opted-out person is refused a flow beyond their care and allowed one for their care', async () => {
    const page = await ig.get('/sharing/opt-out');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('No list has been uploaded yet');
    const upload = await postMultipart(ig, '/sharing/opt-out', {}, { name: 'file', filename: 'opt-out.csv', content: 'NHS number\n943 476 5919\n"9990000018"\n\n', type: 'text/csv' });
    expect(upload.statusCode).toBe(303);
    const after = await ig.get('/sharing/opt-out');
    expect(after.body).toMatch(/People on the list[\s\S]*?2/);
    expect(after.body).not.toContain('9434765919');
    expect(after.body).not.toContain('943 476 5919');
    const [audit] = await t.db.query<{ details: { people: number } }>("select details from audit_log where action = 'opt_out_list_uploaded'");
    expect(audit.details.people).toBe(2);

    const person = { id: crypto.randomUUID(), nhsNumber: '943 476 5919' };
    const insight = { flowType: 'insight_load' as const, fromOrganisationId: w.pcn.id, toOrganisationId: w.charity.id, dataItems: ['insight.service_use'], consentBasis: true };
    await expect(allowFlow(t.db, null, { ...insight, person })).rejects.toMatchObject({ kind: 'conflict', message: expect.stringContaining('national data opt-out list') });
    // Someone not on the list may be included.
    await expect(allowFlow(t.db, null, { ...insight, person: { id: crypto.randomUUID(), nhsNumber: '4010232137' } })).resolves.toEqual({ basis: 'consent' });
    // Their own care goes on: a referral under the active agreement is allowed.
    const referral = await allowFlow(t.db, null, { flowType: 'sp_referral', fromOrganisationId: w.pcn.id, toOrganisationId: w.charity.id, dataItems: ['sp.name'], person });
    expect(referral.basis).toBe('agreement');
    // For an insight load, the people to leave out of a batch: the list's numbers, written bare.
    expect((await optOutList(t.db)).sort()).toEqual(['9434765919', '9990000018']);
  });

  it('an upload with a bad NHS number is refused by line and nothing is saved', async () => {
    const bad = await postMultipart(ig, '/sharing/opt-out', {}, { name: 'file', filename: 'opt-out.csv', content: 'NHS number\n4010232137\n9434765918\nnot a number\n', type: 'text/csv' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Line 3: “9434765918” is not a valid NHS number');
    expect(bad.body).toContain('Line 4');
    const [n] = await t.db.query<{ n: number }>('select count(*)::int as n from is_opt_out_numbers');
    expect(n.n).toBe(2); // the earlier list is kept whole
    const empty = await postMultipart(ig, '/sharing/opt-out', {}, { name: 'file', filename: 'opt-out.csv', content: '', type: 'text/csv' });
    expect(empty.statusCode).toBe(422);
  });

  it('only IG leads and partnership admins see or upload the list', async () => {
    expect((await lw.get('/sharing/opt-out')).statusCode).toBe(403);
    const editor = await signedInAs(t, await buildUser(t.db, { role: 'organisation_editor' }));
    expect((await postMultipart(editor, '/sharing/opt-out', {}, { name: 'file', filename: 'o.csv', content: '9434765919\n', type: 'text/csv' })).statusCode).toBe(403);
  });
});
