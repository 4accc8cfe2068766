import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokenErrorSummaryLinks, createTestApp, signedInAs, type TestApp, type TestClient } from '../../../test/support/kit.ts';
import { buildPartnership, referThroughForm } from '../../../test/support/social-prescribing.ts';
import { formatDate, ukToday } from '../../platform/dates.ts';

/** Pages the journeys elsewhere do not draw: each shows its record's details, and its errors link to its fields. */
describe('social prescribing pages', () => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof buildPartnership>>;
  let lw: TestClient;
  let caseId: string;
  let personId: string;
  let referralId: string;

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildPartnership(t);
    lw = await signedInAs(t, w.lw);
    const gp = await signedInAs(t, w.gpStaff);
    ({ referralId, personId } = await referThroughForm(t.db, gp, w.practice.id, { givenName: 'Pagina', nhsNumber: '' }));
    await lw.postForm(`/social-prescribing/referrals/${referralId}/triage`, { decision: 'accept' });
    [{ id: caseId }] = await t.db.query<{ id: string }>('select id from sp_cases where referral_id = $1', [referralId]);
  });
  afterAll(async () => t?.close());

  it('draws the referral, the referral form and the connect form with the record’s details', async () => {
    const referral = await lw.get(`/social-prescribing/referrals/${referralId}`);
    expect(referral.statusCode).toBe(200);
    expect(referral.body).toContain('Pagina Testperson');
    expect(referral.body).toContain('871731000000106');
    expect((await (await signedInAs(t, w.gpStaff)).get('/social-prescribing/refer')).body).toContain('Test Valley Surgery');
    const connect = await lw.get(`/social-prescribing/cases/${caseId}/connect/${w.service.id}`);
    expect(connect.statusCode).toBe(200);
    expect(connect.body).toContain('Test Friendship Lunch Club');
    expect((await lw.get(`/social-prescribing/cases/${caseId}/connect/00000000-0000-4000-8000-000000000000`)).statusCode).toBe(404);
  });

  it('edits a person’s details, and refuses a stale save with the current version on the form', async () => {
    const form = await lw.get(`/social-prescribing/people/${personId}/edit`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('value="Pagina"');
    expect(form.body).toContain('value="1950-03-27"');
    const [{ version }] = await t.db.query<{ version: number }>('select version from sp_people where id = $1', [personId]);
    const fields = { givenName: 'Pagina', familyName: 'Testperson', dateOfBirth: '1950-03-27', postcode: 'WY1 2AB', preferredContact: 'phone', gpPracticeId: w.practice.id };
    const saved = await lw.postForm(`/social-prescribing/people/${personId}/edit`, { ...fields, phone: '01632 960999', version: String(version) });
    expect(saved.statusCode).toBe(303);
    expect((await lw.get(`/social-prescribing/people/${personId}`)).body).toContain('01632 960999');
    const stale = await lw.postForm(`/social-prescribing/people/${personId}/edit`, { ...fields, phone: '01632 960111', version: String(version) });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else changed this person’s details while you were editing it');
    expect(stale.body).toContain(`name="version" value="${version + 1}"`);
    const invalid = await lw.postForm(`/social-prescribing/people/${personId}/edit`, { ...fields, givenName: '', version: String(version + 1) });
    expect(invalid.statusCode).toBe(422);
    expect(brokenErrorSummaryLinks(invalid.body)).toEqual([]);
  });

  it('keeps what matters, goals and a plan, and shows them', async () => {
    expect((await lw.postForm(`/social-prescribing/cases/${caseId}/what-matters`, { whatMatters: 'Singing with other people.' })).statusCode).toBe(303);
    expect((await lw.postForm(`/social-prescribing/cases/${caseId}/goals`, { inTheirWords: 'Join a choir' })).statusCode).toBe(303);
    expect((await lw.postForm(`/social-prescribing/cases/${caseId}/actions`, { action: 'Find a choir', who: 'Link worker', dueOn: ukToday() })).statusCode).toBe(303);
    const empty = await lw.postForm(`/social-prescribing/cases/${caseId}/goals`, {});
    expect(empty.statusCode).toBe(422);
    expect(brokenErrorSummaryLinks(empty.body)).toEqual([]);
    const [goal] = await t.db.query<{ id: string }>('select id from sp_goals where case_id = $1', [caseId]);
    const noStatus = await lw.postForm(`/social-prescribing/goals/${goal.id}/status`, { status: '' });
    expect(noStatus.statusCode).toBe(422);
    expect(brokenErrorSummaryLinks(noStatus.body)).toEqual([]);
    expect((await lw.postForm(`/social-prescribing/goals/${goal.id}/status`, { status: 'achieved' })).statusCode).toBe(303);
    const [action] = await t.db.query<{ id: string }>('select id from sp_plan_actions where case_id = $1', [caseId]);
    expect((await lw.postForm(`/social-prescribing/actions/${action.id}/done`, {})).statusCode).toBe(303);
    const again = await lw.postForm(`/social-prescribing/actions/${action.id}/done`, {});
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('This action is already done');
    expect(brokenErrorSummaryLinks(again.body)).toEqual([]);
    const plan = await lw.get(`/social-prescribing/cases/${caseId}/plan`);
    expect(plan.statusCode).toBe(200);
    for (const text of ['What matters to Pagina', 'Singing with other people.', `Last recorded ${formatDate(ukToday())}`, '“Join a choir”', 'Find a choir']) expect(plan.body).toContain(text);
  });

  it('draws the page again with the refusal when a button’s action is refused, its error linking to the section', async () => {
    await lw.postForm(`/social-prescribing/cases/${caseId}/follow-ups`, { description: 'One call', dueOn: ukToday() });
    const [followUp] = await t.db.query<{ id: string }>('select id from sp_follow_ups where case_id = $1', [caseId]);
    expect((await lw.postForm(`/social-prescribing/follow-ups/${followUp.id}/done`, { returnTo: 'caseload' })).headers.location).toBe('/social-prescribing');
    const again = await lw.postForm(`/social-prescribing/follow-ups/${followUp.id}/done`, {});
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('This follow-up is already finished');
    expect(brokenErrorSummaryLinks(again.body)).toEqual([]);
    const openCase = await (await signedInAs(t, w.ig)).postForm(`/social-prescribing/people/${personId}/anonymise`, {});
    expect(openCase.statusCode).toBe(409);
    expect(brokenErrorSummaryLinks(openCase.body)).toEqual([]);
  });

  it('finds people for an access review, and lists loaded measures and cohorts', async () => {
    const ig = await signedInAs(t, w.ig);
    const found = await ig.get('/social-prescribing/access-review?q=Testperson');
    expect(found.statusCode).toBe(200);
    expect(found.body).toContain('Pagina Testperson');
    expect(found.body).toContain('Test Valley'); // the PCN's name (its “PCN” is an abbreviation)
    expect((await lw.get('/social-prescribing/access-review')).statusCode).toBe(403);
    const admin = await signedInAs(t, w.admin);
    expect((await admin.get('/social-prescribing/measures')).statusCode).toBe(200);
    expect((await lw.get('/social-prescribing/measures')).statusCode).toBe(403);
    const cohorts = await lw.get('/social-prescribing/cohorts');
    expect(cohorts.statusCode).toBe(200);
    expect((await lw.get('/social-prescribing/cohorts/new')).body).toContain('Test Valley');
  });
});
