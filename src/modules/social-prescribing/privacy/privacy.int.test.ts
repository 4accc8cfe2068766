import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signedInAs, type TestApp } from '../../../../test/support/kit.ts';
import { buildPartnership, referThroughForm } from '../../../../test/support/social-prescribing.ts';

describe('social prescribing: merging two records of the same person', () => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof buildPartnership>>;
  beforeAll(async () => {
    t = await createTestApp();
    w = await buildPartnership(t);
  });
  afterAll(async () => t?.close());

  it('merges two records of the same person: cases, contacts and consents move, the merge is audited, and different people are refused', async () => {
    const lw = await signedInAs(t, w.lw);
    const gp = await signedInAs(t, w.gpStaff);
    // The same person referred twice before anyone noticed: one record has the NHS number, the other the email.
    const first = await referThroughForm(t.db, gp, w.practice.id, { givenName: 'Merrin', familyName: 'Twofold', nhsNumber: '9990000042', email: '' });
    const second = await referThroughForm(t.db, gp, w.practice.id, { givenName: 'Merrin', familyName: 'Twofold', nhsNumber: '', email: 'merrin@example.org' });
    for (const r of [first, second]) await lw.postForm(`/social-prescribing/referrals/${r.referralId}/triage`, { decision: 'accept' });
    const [secondCase] = await t.db.query<{ id: string }>('select id from sp_cases where person_id = $1', [second.personId]);
    await lw.postForm(`/social-prescribing/cases/${secondCase.id}/contacts`, { method: 'phone', outcome: 'made', contactedOn: '2026-01-05', notes: 'Called the second record.' });
    await lw.postForm(`/social-prescribing/people/${second.personId}/consents`, { kind: 'share_outcomes_with_gp', given: 'yes' });

    const page = await lw.get(`/social-prescribing/people/${first.personId}`);
    expect(page.body).toContain(`/social-prescribing/people/${first.personId}/merge?with=${second.personId}`);
    const preview = await lw.get(`/social-prescribing/people/${first.personId}/merge?with=${second.personId}`);
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('will take the other record’s');
    const [{ version }] = await t.db.query<{ version: number }>('select version from sp_people where id = $1', [first.personId]);
    const unconfirmed = await lw.postForm(`/social-prescribing/people/${first.personId}/merge`, { duplicateId: second.personId, version: String(version) });
    expect(unconfirmed.statusCode).toBe(422);
    expect(unconfirmed.body).toContain('Confirm you have checked these records are the same person');
    // Someone outside the PCN's team cannot merge.
    expect((await (await signedInAs(t, w.otherLw)).postForm(`/social-prescribing/people/${first.personId}/merge`, { duplicateId: second.personId, version: String(version), confirmed: 'yes' })).statusCode).toBe(403);

    const merged = await lw.postForm(`/social-prescribing/people/${first.personId}/merge`, { duplicateId: second.personId, version: String(version), confirmed: 'yes' });
    expect(merged.statusCode).toBe(303);
    expect(await t.db.query('select 1 from sp_people where id = $1', [second.personId])).toHaveLength(0);
    const [kept] = await t.db.query<{ nhs_number: string; email: string }>('select nhs_number, email from sp_people where id = $1', [first.personId]);
    expect(kept).toEqual({ nhs_number: '9990000042', email: 'merrin@example.org' });
    const counts = await t.db.query<{ cases: number; contacts: number; referrals: number; gp: number }>(
      `select (select count(*)::int from sp_cases where person_id = $1) as cases, (select count(*)::int from sp_contacts where person_id = $1) as contacts,
              (select count(*)::int from sp_referrals where person_id = $1) as referrals, (select count(*)::int from sp_consents where person_id = $1 and kind = 'share_outcomes_with_gp') as gp`,
      [first.personId],
    );
    expect(counts[0]).toEqual({ cases: 2, contacts: 1, referrals: 2, gp: 1 });
    const audit = await t.db.query<{ record_id: string; action: string; details: Record<string, unknown> }>("select record_id, action, details from audit_log where action in ('merged', 'merged_into') order by action", []);
    expect(audit.map((a) => [a.record_id, a.action])).toEqual([[first.personId, 'merged'], [second.personId, 'merged_into']]);
    expect(audit[0].details).toMatchObject({ mergedPersonId: second.personId, moved: { sp_cases: 1, sp_contacts: 1 }, changes: { email: { from: null, to: 'merrin@example.org' } } });
    expect((await lw.get(`/social-prescribing/people/${second.personId}`)).statusCode).toBe(404);

    // Different NHS numbers are different people.
    const third = await referThroughForm(t.db, gp, w.practice.id, { givenName: 'Merrin', familyName: 'Twofold', nhsNumber: '9990000050' });
    const [{ version: v2 }] = await t.db.query<{ version: number }>('select version from sp_people where id = $1', [first.personId]);
    const refused = await lw.postForm(`/social-prescribing/people/${first.personId}/merge`, { duplicateId: third.personId, version: String(v2), confirmed: 'yes' });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('These records have different NHS numbers');
    expect(await t.db.query('select 1 from sp_people where id = $1', [third.personId])).toHaveLength(1);
  });
});
