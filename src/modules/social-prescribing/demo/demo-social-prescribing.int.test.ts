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
    await loadDemoSocialPrescribing(t.db, { pcn: w.pcn.id, gpPractice: w.practice.id, charity: w.charity.id });
  });
  afterAll(async () => t?.close());

  it('holds synthetic people with test-range NHS numbers that pass the check digit, and Ofcom drama phone numbers', async () => {
    const people = await t.db.query<{ nhs_number: string; phone: string; email: string | null; postcode: string }>('select nhs_number, phone, email, postcode from sp_people');
    expect(people.length).toBe(60);
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
    const [cohort] = await t.db.query<{ n: number }>('select count(*)::int as n from sp_cohort_members');
    expect(cohort.n).toBe(40);
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
});
