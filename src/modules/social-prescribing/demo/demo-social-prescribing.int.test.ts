import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signedInAs, type TestApp } from '../../../../test/support/kit.ts';
import { buildPartnership } from '../../../../test/support/social-prescribing.ts';
import { isValidNhsNumber } from '../nhs-number.ts';
import { loadDemoSocialPrescribing } from './demo-social-prescribing.ts';

describe('the demo social prescribing data', () => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof buildPartnership>>;
  beforeAll(async () => {
    t = await createTestApp();
    w = await buildPartnership(t);
    // A few postcodes the directory knows, around the practice, as the demo directory has.
    await t.db.query(`insert into postcodes (postcode, latitude, longitude) values ('WY1 1AA', 53.70, -1.90), ('WY1 2AB', 53.71, -1.89), ('WY2 3BB', 53.72, -1.85), ('WY3 4CD', 53.69, -1.92) on conflict (postcode) do nothing`);
    await t.db.query("update organisations set postcode = 'WY1 1AA' where id = $1", [w.practice.id]);
    await loadDemoSocialPrescribing(t.db, { pcn: w.pcn.id, gpPractice: w.practice.id, charity: w.charity.id });
  });
  afterAll(async () => t?.close());

  it('holds synthetic people with test-range NHS numbers that pass the check digit, and Ofcom drama phone numbers', async () => {
    const people = await t.db.query<{ nhs_number: string; phone: string; email: string | null; postcode: string }>('select nhs_number, phone, email, postcode from sp_people');
    // The casework's 60, and those the shielding list's calls found needing support.
    const [fromCohort] = await t.db.query<{ n: number }>('select count(*)::int as n from sp_cohort_members where person_id is not null');
    expect(fromCohort.n).toBeGreaterThan(0);
    expect(people.length).toBe(60 + fromCohort.n);
    for (const p of people) {
      expect(p.nhs_number.startsWith('999')).toBe(true);
      expect(isValidNhsNumber(p.nhs_number)).toBe(true);
      expect(p.phone).toMatch(/^(07700 900|01632 960)\d{3}$/);
      if (p.email) expect(p.email.endsWith('@example.org')).toBe(true);
      expect(p.postcode).toMatch(/^WY\d \d[A-Z]{2}$/);
    }
  });

  it('gives the link workers a working caseload and the charity a referral inbox with accepted, waiting and declined referrals', async () => {
    const lw = await signedInAs(t, w.lw);
    const caseload = await lw.get('/social-prescribing?view=team');
    expect(caseload.statusCode).toBe(200);
    expect(caseload.body).toContain('New referrals to triage (4)');
    const [open] = await t.db.query<{ n: number }>("select count(*)::int as n from sp_cases where status <> 'closed' and link_worker_id is not null");
    expect(open.n).toBeGreaterThan(10);
    const statuses = await t.db.query<{ status: string }>('select distinct status from sp_onward_referrals order by 1');
    expect(statuses.map((s) => s.status)).toEqual(['accepted', 'declined', 'sent']);
    const inbox = await (await signedInAs(t, w.editor)).get('/social-prescribing/referrals-received');
    expect(inbox.statusCode).toBe(200);
    expect(inbox.body).toContain('Attending');
    // Closed cases ready for an outcome summary to the GP practice, and one whose person said no.
    const gpConsents = await t.db.query<{ given: boolean; status: string; stages: string[] }>(
      `select c.given, k.status, array(select distinct m.stage from sp_measurements m where m.case_id = k.id order by 1) as stages
         from sp_consents c join sp_cases k on k.person_id = c.person_id where c.kind = 'share_outcomes_with_gp' and k.status = 'closed'`,
    );
    expect(gpConsents.filter((c) => c.given && c.stages.join() === 'end,start').length).toBe(3);
    expect(gpConsents.some((c) => !c.given)).toBe(true);
    const report = await lw.get(`/social-prescribing/reports?pcnId=${w.pcn.id}`);
    expect(report.body).toContain('Life satisfaction');
  });

  it('has a shielding list at postcodes the directory knows, shared between the two link workers and part-way through', async () => {
    const members = await t.db.query<{ postcode: string | null; known: boolean; assigned_to: string | null; outcome: string | null; weekly_call: boolean; case_id: string | null }>(
      'select m.postcode, exists (select 1 from postcodes p where p.postcode = m.postcode) as known, m.assigned_to, m.outcome, m.weekly_call, m.case_id from sp_cohort_members m',
    );
    expect(members.length).toBeGreaterThanOrEqual(30);
    expect(members.every((m) => m.known)).toBe(true);
    const shares = [w.lw.id, w.lw2.id].map((id) => members.filter((m) => m.assigned_to === id).length);
    expect(Math.abs(shares[0] - shares[1])).toBeLessThanOrEqual(1);
    expect(shares[0] + shares[1]).toBe(members.length);
    expect(members.some((m) => m.outcome === null)).toBe(true);
    expect(members.some((m) => m.weekly_call)).toBe(true);
    expect(members.filter((m) => m.outcome === 'needs_support').every((m) => m.case_id)).toBe(true);
    const calls = await t.db.query<{ needs: string[]; called_on: string }>('select needs, called_on from sp_cohort_calls');
    expect(calls.some((c) => c.needs.includes('shopping'))).toBe(true);
    expect(calls.every((c) => c.called_on < new Date().toISOString().slice(0, 10))).toBe(true);
    // Each link worker has calls due: the people they have not reached, and wellbeing calls.
    const lee = await (await signedInAs(t, w.lw)).get('/social-prescribing/calls-due');
    expect(lee.body).toMatch(/<strong>\d+<\/strong> calls due/);
    expect(lee.body).toContain('href="tel:01632960');
  });
});
