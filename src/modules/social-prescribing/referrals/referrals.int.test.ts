import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signedInAs, TestClient, type TestApp } from '../../../../test/support/kit.ts';
import { buildPartnership, loneliness, personFields, referThroughForm } from '../../../../test/support/social-prescribing.ts';
import { SELF_REFERRALS_PER_WINDOW, SELF_REFERRAL_WINDOW } from './referrals.routes.ts';

describe('social prescribing: people, referrals and triage', () => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof buildPartnership>>;
  beforeAll(async () => {
    // The tests stand behind a proxy on this machine, which says which address each request came from.
    t = await createTestApp({ TRUSTED_PROXIES: '127.0.0.1' });
    w = await buildPartnership(t);
  });
  afterAll(async () => t?.close());

  it('refuses an NHS number that fails the check digit, with the message by the field and the input kept', async () => {
    const gp = await signedInAs(t, w.gpStaff);
    const response = await gp.postForm('/social-prescribing/refer', { ...personFields({ nhsNumber: '999 000 0019', givenName: 'Kept' }), gpPracticeId: w.practice.id, reasons: [loneliness], consentToContact: 'yes' });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('nhsuk-error-summary');
    expect(response.body).toContain('Enter a valid NHS number');
    expect(response.body).toContain('href="#nhsNumber"');
    expect(response.body).toContain('value="Kept"');
    expect((await t.db.query('select 1 from sp_people where given_name = $1', ['Kept'])).length).toBe(0);
  });

  it('needs reasons, consent and a GP practice, and says so for each', async () => {
    const gp = await signedInAs(t, w.gpStaff);
    const response = await gp.postForm('/social-prescribing/refer', { givenName: '', familyName: '', dateOfBirth: '2999-01-01', postcode: 'nowhere' });
    expect(response.statusCode).toBe(422);
    for (const message of ['Enter their first name', 'Enter their last name', 'Date of birth must be in the past', 'Enter a real postcode', 'Select their GP practice', 'Select at least one reason', 'Confirm the person agreed to be contacted']) {
      expect(response.body).toContain(message);
    }
  });

  it('takes a GP practice referral into the PCN’s new referrals, and a link worker accepts it with SNOMED CT 871731000000106', async () => {
    const gp = await signedInAs(t, w.gpStaff);
    const { referralId, personId } = await referThroughForm(t.db, gp, w.practice.id, { givenName: 'Accepta', nhsNumber: '' });
    const [referral] = await t.db.query<{ source: string; pcn_id: string; status: string }>('select source, pcn_id, status from sp_referrals where id = $1', [referralId]);
    expect(referral).toEqual({ source: 'gp', pcn_id: w.pcn.id, status: 'new' });
    // The referrer cannot open what they sent: only the PCN's team can.
    expect((await gp.get(`/social-prescribing/people/${personId}`)).statusCode).toBe(403);

    const lw = await signedInAs(t, w.lw);
    const caseload = await lw.get('/social-prescribing');
    expect(caseload.body).toContain('Accepta Testperson');
    const triage = await lw.postForm(`/social-prescribing/referrals/${referralId}/triage`, { decision: 'accept', linkWorkerId: w.lw2.id });
    expect(triage.statusCode).toBe(303);
    const [after] = await t.db.query<{ status: string; snomed_code: string }>('select status, snomed_code from sp_referrals where id = $1', [referralId]);
    expect(after).toEqual({ status: 'accepted', snomed_code: '871731000000106' });
    const [opened] = await t.db.query<{ link_worker_id: string; status: string }>('select link_worker_id, status from sp_cases where referral_id = $1', [referralId]);
    expect(opened).toEqual({ link_worker_id: w.lw2.id, status: 'new' });
    // A second triage is refused clearly.
    const again = await lw.postForm(`/social-prescribing/referrals/${referralId}/triage`, { decision: 'decline', declineReason: 'not_eligible' });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('already been triaged');
  });

  it('records 871711000000103 when the person declines, no code for other reasons, and needs a reason to decline', async () => {
    const gp = await signedInAs(t, w.gpStaff);
    const lw = await signedInAs(t, w.lw);
    const a = await referThroughForm(t.db, gp, w.practice.id, { givenName: 'Declina', nhsNumber: '' });
    const b = await referThroughForm(t.db, gp, w.practice.id, { givenName: 'Ineligia', nhsNumber: '' });
    const noReason = await lw.postForm(`/social-prescribing/referrals/${a.referralId}/triage`, { decision: 'decline' });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.body).toContain('Select why the referral is declined');
    await lw.postForm(`/social-prescribing/referrals/${a.referralId}/triage`, { decision: 'decline', declineReason: 'person_declined' });
    await lw.postForm(`/social-prescribing/referrals/${b.referralId}/triage`, { decision: 'decline', declineReason: 'could_not_contact' });
    const rows = await t.db.query<{ id: string; snomed_code: string | null; decline_reason: string }>('select id, snomed_code, decline_reason from sp_referrals where id = any($1::uuid[])', [[a.referralId, b.referralId]]);
    expect(rows.find((r) => r.id === a.referralId)).toMatchObject({ snomed_code: '871711000000103', decline_reason: 'person_declined' });
    expect(rows.find((r) => r.id === b.referralId)).toMatchObject({ snomed_code: null, decline_reason: 'could_not_contact' });
    expect((await t.db.query('select 1 from sp_cases where referral_id = any($1::uuid[])', [[a.referralId, b.referralId]])).length).toBe(0);
  });

  it('offers the existing record when a link worker refers someone who may already exist, and creates another only when told', async () => {
    const lw = await signedInAs(t, w.lw);
    await referThroughForm(t.db, lw, w.practice.id, { givenName: 'Dupla', familyName: 'Twicer', nhsNumber: '9990000026' });
    const fields = { ...personFields({ givenName: 'Duplah', familyName: 'Twicer', nhsNumber: '' }), gpPracticeId: w.practice.id, reasons: [loneliness], consentToContact: 'yes' };
    const offered = await lw.postForm('/social-prescribing/refer', fields);
    expect(offered.statusCode).toBe(409);
    expect(offered.body).toContain('This person may already have a record');
    expect(offered.body).toContain('Dupla Twicer');
    const anyway = await lw.postForm('/social-prescribing/refer', { ...fields, createAnyway: 'yes' });
    expect(anyway.statusCode).toBe(303);
    expect((await t.db.query("select 1 from sp_people where family_name = 'Twicer'")).length).toBe(2);
  });

  it('gives the API 409 with the possible duplicates, and 201 when allowed', async () => {
    const lw = await signedInAs(t, w.lw);
    const csrf = await lw.csrfToken();
    const body = { givenName: 'Apia', familyName: 'Jsonperson', dateOfBirth: '1961-07-01', nhsNumber: '9990000034', postcode: 'WY1 3CD', gpPracticeId: w.practice.id };
    const send = (b: object) => t.app.inject({ method: 'POST', url: '/api/v1/social-prescribing/people', headers: { cookie: [...lw.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'x-csrf-token': csrf, 'content-type': 'application/json' }, payload: JSON.stringify(b) });
    expect((await send(body)).statusCode).toBe(201);
    const dup = await send({ ...body, givenName: 'Apiah' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().possibleDuplicates[0].familyName).toBe('Jsonperson');
    expect((await send({ ...body, allowPossibleDuplicate: true })).statusCode).toBe(201);
    const bad = await send({ ...body, nhsNumber: '9990000035' });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
  });

  it('takes a public self-referral with CSRF protection and an error summary', async () => {
    const anon = new TestClient(t.app);
    const form = await anon.get('/social-prescribing/refer-yourself');
    expect(form.statusCode).toBe(200);
    expect((await anon.postForm('/social-prescribing/refer-yourself', { ...personFields(), gpPracticeId: w.practice.id, reasons: [loneliness], consentToContact: 'yes' }, { csrf: null })).statusCode).toBe(403);
    const empty = await anon.postForm('/social-prescribing/refer-yourself', {});
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('nhsuk-error-summary');
    expect(empty.body).toContain('Tick the box to say a link worker may contact you');
    const ok = await anon.postForm('/social-prescribing/refer-yourself', { ...personFields({ givenName: 'Selfie', nhsNumber: '' }), gpPracticeId: w.practice.id, reasons: [loneliness], consentToContact: 'yes' });
    expect(ok.statusCode).toBe(303);
    const [row] = await t.db.query<{ source: string; kind: string }>(
      "select r.source, c.kind from sp_referrals r join sp_people p on p.id = r.person_id join sp_consents c on c.person_id = p.id where p.given_name = 'Selfie'",
    );
    expect(row).toEqual({ source: 'self', kind: 'contact' });
    // Anonymous people see nothing of the caseload.
    expect((await anon.get('/social-prescribing')).statusCode).toBe(302);
  });

  it('limits self-referrals from one address, with a clear message, and keeps what was already sent', async () => {
    const anon = new TestClient(t.app);
    const token = await anon.csrfToken();
    const send = (address: string, givenName: string) => {
      const params = new URLSearchParams({ ...personFields({ givenName, familyName: 'Floodperson', nhsNumber: '' }), gpPracticeId: w.practice.id, consentToContact: 'yes', reasons: loneliness, _csrf: token });
      return t.app.inject({ method: 'POST', url: '/social-prescribing/refer-yourself', headers: { cookie: [...anon.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': address }, payload: params.toString() });
    };
    for (let i = 0; i < SELF_REFERRALS_PER_WINDOW; i++) expect((await send('192.0.2.41', `Flood${i}`)).statusCode).toBe(303);
    const limited = await send('192.0.2.41', 'Toomany');
    expect(limited.statusCode).toBe(429);
    expect(limited.body).toContain('You have sent too many requests for support');
    expect(limited.body).toContain(`You can send ${SELF_REFERRALS_PER_WINDOW} requests every ${SELF_REFERRAL_WINDOW}`);
    expect((await t.db.query("select 1 from sp_people where family_name = 'Floodperson'")).length).toBe(SELF_REFERRALS_PER_WINDOW);
    // Someone else is not held up.
    expect((await send('192.0.2.42', 'Otherperson')).statusCode).toBe(303);
  });

  it('shows “Referrals received” only to editors of an organisation that can be sent referrals', async () => {
    const inboxLink = 'href="/social-prescribing/referrals-received"';
    // The charity lists a service in the directory; the GP practice and the other organisation list none.
    expect((await (await signedInAs(t, w.editor)).get('/directory')).body).toContain(inboxLink);
    expect((await (await signedInAs(t, w.gpStaff)).get('/directory')).body).not.toContain(inboxLink);
    const other = await signedInAs(t, w.otherEditor);
    expect((await other.get('/directory')).body).not.toContain(inboxLink);
    // The inbox itself still answers, and says nothing has been received.
    const inbox = await other.get('/social-prescribing/referrals-received');
    expect(inbox.statusCode).toBe(200);
  });
});
