import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp, signedInAs } from '../../../../test/support/kit.ts';
import { access, aProgrammeWithCases, currentProgramme, scoreEveryCase } from '../../../../test/support/innovation.ts';
import { fundPosition } from '../programmes/programmes.repository.ts';
import { decide } from './decisions.service.ts';

describe('Investment Day decisions stay within the fund', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  it('funds in full and in part up to the fund’s edge, and refuses a decision above what remains', async () => {
    const w = await aProgrammeWithCases(t.db, { fundPence: 10_000_00, requestedPence: [4_000_00, 4_000_00, 4_000_00], stage: 'investment_day' });
    await scoreEveryCase(t.db, w);
    const chair = w.panel[0];
    const a = await access(t.db, chair, w.programmeId);
    const p = await currentProgramme(t.db, w.programmeId);
    await decide(t.db, chair.actor, a, p, w.caseIds[0], { outcome: 'fund_full', feedback: 'Strong case' });
    await decide(t.db, chair.actor, a, p, w.caseIds[1], { outcome: 'fund_full', feedback: 'Strong case' });
    await expect(decide(t.db, chair.actor, a, p, w.caseIds[2], { outcome: 'fund_full', feedback: 'Good' })).rejects.toMatchObject({
      status: 409,
      message: '£4,000.00 is more than the £2,000.00 left in the fund. Fund in part, or choose “Not now”.',
    });
    await expect(decide(t.db, chair.actor, a, p, w.caseIds[2], { outcome: 'fund_part', amount: 2_000_01, feedback: 'Good' })).rejects.toMatchObject({ status: 409 });
    await decide(t.db, chair.actor, a, p, w.caseIds[2], { outcome: 'fund_part', amount: 2_000_00, feedback: 'Good, in part' });
    const position = await fundPosition(t.db, await currentProgramme(t.db, w.programmeId));
    expect(position).toMatchObject({ fundPence: 10_000_00, awardedPence: 10_000_00, remainingPence: 0 });
    // Funded cases became projects, and each decision is in the audit log.
    expect((await t.db.query<{ n: number }>('select count(*)::int as n from projects where programme_id = $1', [w.programmeId]))[0].n).toBe(3);
    expect((await t.db.query<{ n: number }>("select count(*)::int as n from audit_log where record_type = 'investment_decision'"))[0].n).toBeGreaterThanOrEqual(3);
  });

  it('lets only one of two decisions saved at the same moment take the last of the fund', async () => {
    const w = await aProgrammeWithCases(t.db, { fundPence: 5_000_00, requestedPence: [4_000_00, 4_000_00], stage: 'investment_day' });
    await scoreEveryCase(t.db, w);
    const p = await currentProgramme(t.db, w.programmeId);
    // The chair, deciding two cases at once (two browser tabs).
    const [one, two] = [w.panel[0], w.panel[0]];
    const results = await Promise.allSettled([
      decide(t.db, one.actor, await access(t.db, one, w.programmeId), p, w.caseIds[0], { outcome: 'fund_full', feedback: 'Yes' }),
      decide(t.db, two.actor, await access(t.db, two, w.programmeId), p, w.caseIds[1], { outcome: 'fund_full', feedback: 'Yes' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ status: 409 });
    const awarded = await t.db.query<{ total: number }>('select coalesce(sum(awarded_pence), 0)::bigint as total from investment_decisions where programme_id = $1', [w.programmeId]);
    expect(awarded[0].total).toBe(4_000_00);
  });

  it('is enforced by the database itself: a direct insert past the fund is refused', async () => {
    const w = await aProgrammeWithCases(t.db, { fundPence: 1_000_00, requestedPence: [900_00, 900_00], stage: 'investment_day' });
    const insert = (caseId: string) =>
      t.db.query("insert into investment_decisions (id, programme_id, case_id, outcome, awarded_pence, feedback) values (gen_random_uuid(), $1, $2, 'fund_full', 90000, 'x')", [w.programmeId, caseId]);
    await insert(w.caseIds[0]);
    await expect(insert(w.caseIds[1])).rejects.toThrow(/exceed the fund/);
  });

  it('refuses through the form with the NHS error summary, keeping what was typed', async () => {
    const w = await aProgrammeWithCases(t.db, { fundPence: 5_000_00, requestedPence: [4_000_00, 2_000_00], stage: 'investment_day' });
    await scoreEveryCase(t.db, w);
    const chair = w.panel[0];
    await decide(t.db, chair.actor, await access(t.db, chair, w.programmeId), await currentProgramme(t.db, w.programmeId), w.caseIds[1], { outcome: 'fund_full', feedback: 'Yes' });
    const client = await signedInAs(t, chair);
    const url = `/programmes/${w.programmeId}/cases/${w.caseIds[0]}/decision`;
    const full = await client.postForm(url, { outcome: 'fund_full', feedback: 'We like it' });
    expect(full.statusCode).toBe(409);
    expect(full.body).toContain('nhsuk-error-summary');
    expect(full.body).toContain('£4,000.00 is more than the £3,000.00 left in the fund');
    expect(full.body).toContain('We like it');
    const partNoAmount = await client.postForm(url, { outcome: 'fund_part', feedback: 'Part' });
    expect(partNoAmount.statusCode).toBe(422);
    expect(partNoAmount.body).toContain('Enter the amount to fund, more than £0');
    const badMoney = await client.postForm(url, { outcome: 'fund_part', amount: '£1,000.555', feedback: 'Part' });
    expect(badMoney.body).toContain('at most 2 digits after the decimal point');
    const ok = await client.postForm(url, { outcome: 'fund_part', amount: '£2,999.99', feedback: 'Part' });
    expect(ok.statusCode).toBe(303);
    const day = await client.get(`/programmes/${w.programmeId}/investment-day`);
    expect(day.body).toContain('£2,999.99');
    expect(day.body).toContain('£0.01');
    const api = await client.get(`/api/v1/programmes/${w.programmeId}/fund`);
    expect(api.json()).toMatchObject({ fundPence: 5_000_00, awardedPence: 4_999_99, remainingPence: 1, remaining: '£0.01' });
  });

  it('only decides at the Investment Day stage, and not for someone with a conflict on the case', async () => {
    const w = await aProgrammeWithCases(t.db, { requestedPence: [1_000_00], stage: 'development' });
    const member = w.panel[0];
    await expect(decide(t.db, member.actor, await access(t.db, member, w.programmeId), await currentProgramme(t.db, w.programmeId), w.caseIds[0], { outcome: 'not_now', feedback: 'x' })).rejects.toMatchObject({
      status: 409,
      message: expect.stringContaining('only be done during the Investment Day stage'),
    });
    const participant = w.participants[0];
    await expect(decide(t.db, participant.actor, await access(t.db, participant, w.programmeId), await currentProgramme(t.db, w.programmeId), w.caseIds[0], { outcome: 'not_now', feedback: 'x' })).rejects.toMatchObject({ status: 403 });
  });
});
