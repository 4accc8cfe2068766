import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aSignedInUser, brokenErrorSummaryLinks, createTestApp, signedInAs, type TestApp, type TestClient } from '../../../../test/support/kit.ts';
import { buildPartnership, openCaseThroughForms, referThroughForm } from '../../../../test/support/social-prescribing.ts';

describe('caseload: finding people, closed cases, the referral notes on the case, and what needs the link worker', () => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof buildPartnership>>;
  let lw: TestClient;

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildPartnership(t);
    lw = await signedInAs(t, w.lw);
  });
  afterAll(() => t.close());

  it('finds people of the team by part of their name or by NHS number, audits each shown, and never another PCN’s', async () => {
    const gp = await signedInAs(t, w.gpStaff);
    const { personId } = await referThroughForm(t.db, gp, w.practice.id, { givenName: 'Ysolde', familyName: 'Quenby', nhsNumber: '943 476 5919' });
    const byName = await lw.get('/social-prescribing/search?q=ysol%20quen');
    expect(byName.statusCode).toBe(200);
    expect(byName.body).toContain('Ysolde Quenby');
    expect(byName.body).toContain('No case yet');
    expect((await lw.get('/social-prescribing/search?q=9434765919')).body).toContain('Ysolde Quenby');
    expect((await lw.get('/social-prescribing/search?q=%25')).body).not.toContain('Ysolde Quenby');
    const [seen] = await t.db.query<{ n: number }>("select count(*)::int as n from audit_log where record_id = $1 and action = 'viewed' and details->>'part' = 'search_result'", [personId]);
    expect(seen.n).toBe(2);

    const badNumber = await lw.get('/social-prescribing/search?q=12345');
    expect(badNumber.statusCode).toBe(422);
    expect(badNumber.body).toContain('An NHS number is 10 digits');
    expect(brokenErrorSummaryLinks(badNumber.body)).toEqual([]);
    expect((await lw.get('/social-prescribing/search?q=')).statusCode).toBe(422);

    const other = await signedInAs(t, w.otherLw);
    expect((await other.get('/social-prescribing/search?q=quenby')).body).not.toContain('Ysolde Quenby');
    expect((await (await signedInAs(t, w.editor)).get('/social-prescribing/search?q=quenby')).statusCode).toBe(403);
  });

  it('carries the referral’s notes onto the case and lists closed cases', async () => {
    const { caseId } = await openCaseThroughForms(t, w, lw, 'Clodagh');
    const casePage = await lw.get(`/social-prescribing/cases/${caseId}`);
    expect(casePage.body).toContain('Referral notes');
    expect(casePage.body).toContain('Lives alone since spring.');
    const [c] = await t.db.query<{ version: number }>('select version from sp_cases where id = $1', [caseId]);
    expect((await lw.postForm(`/social-prescribing/cases/${caseId}/status`, { version: String(c.version), status: 'closed', closedReason: 'Goals met' })).statusCode).toBe(303);
    const closed = await lw.get('/social-prescribing/closed');
    expect(closed.body).toContain('Clodagh Testperson');
    expect(closed.body).toContain('Goals met');
    expect((await (await signedInAs(t, w.otherLw)).get('/social-prescribing/closed')).body).not.toContain('Clodagh Testperson');
  });

  it('shows the link worker what needs them on the home page, and nothing to someone with nothing to do', async () => {
    const gp = await signedInAs(t, w.gpStaff);
    await referThroughForm(t.db, gp, w.practice.id, { givenName: 'Triagia', nhsNumber: '' });
    const home = await lw.get('/');
    expect(home.body).toContain('What needs you');
    expect(home.body).toMatch(/cg-needs-count">\d+<\/span> Referrals? to triage/);
    const { client: analyst } = await aSignedInUser(t, 'analyst');
    expect((await analyst.get('/')).body).toContain('Nothing needs you right now.');
  });
});
