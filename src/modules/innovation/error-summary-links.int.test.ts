import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { type TestApp, TestClient, brokenErrorSummaryLinks, createTestApp, errorSummaryTargets, signedInAs } from '../../../test/support/kit.ts';
import { access, aProgrammeWithCases, currentProgramme, scoreEveryCase } from '../../../test/support/innovation.ts';
import { decide } from './decisions/decisions.service.ts';
import { listCriteria } from './programmes/programmes.repository.ts';

/**
 * Every refusal through an innovation form is shown in the NHS error summary, and each of its
 * links lands on the field (or the form, or what stands in for it) on the redisplayed page.
 */
describe('error summary links on the innovation forms', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  /** The response refused with `message`, its summary links to `target`, and no summary link is broken. */
  function expectRefused(response: LightMyRequestResponse, status: number, message: string, target: string) {
    expect(response.statusCode, message).toBe(status);
    const summary = /class="nhsuk-error-summary[\s\S]*?<\/ul>/.exec(response.body)?.[0] ?? 'no error summary';
    expect(summary.includes(message), `"${message}" in ${summary.replace(/\s+/g, ' ')}`).toBe(true);
    expect(errorSummaryTargets(response.body)).toContain(target);
    expect(brokenErrorSummaryLinks(response.body), message).toEqual([]);
  }

  it('at Investment Day: decisions at the fund’s edge and with a conflict, scoring with a conflict, before declaring and out of range, criteria', async () => {
    const w = await aProgrammeWithCases(t.db, { fundPence: 5_000_00, requestedPence: [4_000_00, 2_000_00], stage: 'investment_day' });
    const [chair, conflicted, clear] = w.panel;
    await scoreEveryCase(t.db, { ...w, caseIds: [w.caseIds[1]] });
    await decide(t.db, chair.actor, await access(t.db, chair, w.programmeId), await currentProgramme(t.db, w.programmeId), w.caseIds[1], { outcome: 'fund_full', feedback: 'Yes' });
    const base = `/programmes/${w.programmeId}`;
    const manager = await signedInAs(t, w.manager);
    const chairClient = await signedInAs(t, chair);
    const decision = `${base}/cases/${w.caseIds[0]}/decision`;
    expectRefused(await manager.postForm(decision, { outcome: 'fund_full', feedback: 'Yes' }), 403, 'Only the chair of the investment team records decisions', 'decision');
    expectRefused(await chairClient.postForm(decision, { outcome: 'fund_full', feedback: 'Yes' }), 409, 'Scoring of this case is not complete', 'decision');

    const criteria = await listCriteria(t.db, w.programmeId);
    const scores = Object.fromEntries(criteria.flatMap((c) => [[`score-${c.id}`, '4'], [`comment-${c.id}`, 'Clear']]));
    const conflictedClient = await signedInAs(t, conflicted);
    expect((await conflictedClient.postForm(`${base}/cases/${w.caseIds[0]}/conflict`, { conflicted: 'yes', reason: 'Trustee of the charity' })).statusCode).toBe(303);
    expectRefused(await conflictedClient.postForm(`${base}/cases/${w.caseIds[0]}/score`, scores), 403, 'You declared a conflict of interest with this case, so you cannot score it', 'scoring');
    expectRefused(await conflictedClient.postForm(decision, { outcome: 'not_now', feedback: 'No' }), 403, 'Only the chair of the investment team records decisions', 'decision');
    expectRefused(await conflictedClient.postForm(`${base}/cases/${w.caseIds[0]}/conflict`, { conflicted: 'yes' }), 422, 'Say briefly what the conflict of interest is', 'reason');

    const clearClient = await signedInAs(t, clear);
    expectRefused(await clearClient.postForm(`${base}/cases/${w.caseIds[0]}/score`, scores), 409, 'Say whether you have a conflict of interest with this case before you score it', 'conflicted');
    expect((await clearClient.postForm(`${base}/cases/${w.caseIds[0]}/conflict`, { conflicted: 'no' })).statusCode).toBe(303);
    expectRefused(await clearClient.postForm(`${base}/cases/${w.caseIds[0]}/score`, { ...scores, [`score-${criteria[0].id}`]: '6' }), 422, `The score for ${criteria[0].name} must be a whole number from 0 to 5`, `score-${criteria[0].id}`);
    expect((await clearClient.postForm(`${base}/cases/${w.caseIds[0]}/score`, scores)).statusCode).toBe(303);
    expect((await chairClient.postForm(`${base}/cases/${w.caseIds[0]}/conflict`, { conflicted: 'no' })).statusCode).toBe(303);
    expect((await chairClient.postForm(`${base}/cases/${w.caseIds[0]}/score`, scores)).statusCode).toBe(303);

    // Scoring complete: the fund's edge.
    expectRefused(await chairClient.postForm(decision, { outcome: 'fund_full', feedback: 'Yes' }), 409, '£4,000.00 is more than the £3,000.00 left in the fund', 'outcome');
    expectRefused(await chairClient.postForm(decision, { outcome: 'fund_part', amount: '3500', feedback: 'Yes' }), 409, '£3,500.00 is more than the £3,000.00 left in the fund', 'amount');
    expectRefused(await chairClient.postForm(decision, { outcome: 'fund_part', feedback: 'Yes' }), 422, 'Enter the amount to fund, more than £0', 'amount');

    expectRefused(await manager.postForm(`${base}/criteria/${criteria[0].id}`, { remove: 'yes' }), 409, 'has scores already, so it cannot be removed', `criterion-${criteria[0].id}`);
    expectRefused(await manager.postForm(`${base}/criteria/${criteria[0].id}`, { name: criteria[0].name, weight: '11' }), 422, 'Weight must be a whole number from 1 to 10', `weight-${criteria[0].id}`);

    const voter = await signedInAs(t, w.participants[1]);
    expectRefused(await voter.postForm(`${base}/vote`, { caseIds: [w.caseIds[0]] }), 409, 'The community vote is not open', 'ballot');

    // After Investment Day, decisions and declarations are refused where the form was.
    await manager.postForm(`${base}/stage`, { stage: 'delivery' });
    expectRefused(await chairClient.postForm(decision, { outcome: 'not_now', feedback: 'No' }), 409, 'This can only be done during the Investment Day stage', 'decision');
    expectRefused(await clearClient.postForm(`${base}/cases/${w.caseIds[1]}/conflict`, { conflicted: 'no' }), 409, 'This can only be done during the Investment Day stage', 'scoring');
    expectRefused(await manager.postForm(`${base}/vote/apply`, {}), 409, 'This can only be done during the Investment Day stage', 'apply');

    // A project that has ended cannot change; a bad result is shown by its own field.
    const project = (await t.db.query<{ id: string }>('select id from projects where programme_id = $1', [w.programmeId]))[0];
    const team = await signedInAs(t, w.participants[0]);
    const projectUrl = `${base}/projects/${project.id}`;
    expect((await team.postForm(`${projectUrl}/measures`, { name: 'Falls a month', baseline: '12' })).statusCode).toBe(303);
    const measure = (await t.db.query<{ id: string }>('select id from evaluation_measures where project_id = $1', [project.id]))[0];
    expectRefused(await team.postForm(`${projectUrl}/measures/${measure.id}`, { result: 'lots' }), 422, 'Result must be a number, like 12 or 3.5', `result-${measure.id}`);
    expect((await manager.postForm(`${projectUrl}/end`, { endDecision: 'adapt', learning: 'Try a different day' })).statusCode).toBe(303);
    expectRefused(await team.postForm(`${projectUrl}/updates`, { progressPercent: '100', summary: 'Done' }), 409, 'This project has ended, so it can no longer be changed.', 'updates');
  });

  it('before Investment Day: ideas, teams, needs and offers, cases after the deadline, sessions', async () => {
    const w = await aProgrammeWithCases(t.db, { teams: 1, requestedPence: [1_000_00] });
    const base = `/programmes/${w.programmeId}`;
    const manager = await signedInAs(t, w.manager);
    const member = await signedInAs(t, w.participants[0]);
    const idea = { title: 'Late idea', problem: 'p', whoBenefits: 'w', idea: 'i', howWeKnow: 'h' };
    expectRefused(await member.postForm(`${base}/ideas/new`, idea), 409, 'This can only be done during the Ideas open stage', 'idea-form');
    expectRefused(await member.postForm(`${base}/ideas/${w.ideaIds[0]}/edit`, idea), 409, 'Ideas can only be changed during the Ideas open stage', 'idea-form');
    expectRefused(await manager.postForm(`${base}/ideas/${w.ideaIds[0]}/status`, { move: 'shortlist' }), 409, 'This programme is at the Development stage', 'manage');
    expectRefused(await member.postForm(`${base}/ideas/${w.ideaIds[0]}/support`, {}), 409, 'This can only be done during the Ideas open or Teams forming stages', 'support');
    expectRefused(await member.postForm(`${base}/ideas/${w.ideaIds[0]}/comments`, { body: 'Late comment' }), 409, 'This can only be done during the Ideas open or Teams forming stages', 'body');
    expectRefused(await new TestClient(t.app).postForm(`${base}/suggest`, { ...idea, submitterName: 'A Resident' }), 409, 'This programme is not taking suggestions at the moment', 'idea-form');
    expectRefused(await manager.postForm(`${base}/teams/new`, { name: 'No idea', memberIds: [w.participants[0].id] }), 422, 'Choose a shortlisted idea for the team', 'team-form');
    expect((await manager.postForm(`${base}/teams/${w.teamIds[0]}/members`, { userId: w.participants[1].id, remove: 'yes' })).statusCode).toBe(303);
    expectRefused(await manager.postForm(`${base}/teams/${w.teamIds[0]}/members`, { userId: w.participants[0].id, remove: 'yes' }), 409, 'A team needs at least one member', 'members');

    expect((await member.postForm(`${base}/needs`, { teamId: w.teamIds[0], title: 'A venue' })).statusCode).toBe(303);
    const need = (await t.db.query<{ id: string }>('select id from team_needs where programme_id = $1', [w.programmeId]))[0];
    expectRefused(await member.postForm(`${base}/needs/${need.id}/met`, {}), 409, 'Take up an offer before marking the need met', `need-${need.id}`);
    expectRefused(await member.postForm(`${base}/needs/${need.id}/offers`, { description: '' }), 422, 'Enter what you can offer', `description-${need.id}`);
    expectRefused(await member.postForm(`${base}/needs`, { teamId: w.teamIds[0], title: '' }), 422, 'Enter what the team needs', 'title');

    const caseUrl = `${base}/teams/${w.teamIds[0]}/case`;
    const good = { requested: '1000', outcomes: 'o', evaluationPlan: 'e', risks: 'r', line1Description: 'Venue', line1Amount: '1000' };
    expectRefused(await member.postForm(caseUrl, { ...good, line1Amount: '999' }), 422, 'The budget lines add up to £999.00', 'requested');
    await t.db.query("update programmes set case_deadline = now() - interval '1 minute' where id = $1", [w.programmeId]);
    const late = await member.postForm(caseUrl, { ...good, outcomes: 'Changed after the deadline' });
    expectRefused(late, 409, 'Cases can no longer be changed.', 'case-form');
    expect(late.body).toContain('Changed after the deadline');
    const closed = await member.get(caseUrl);
    expect(closed.body).toContain('Cases can no longer be changed.');
    expect(closed.body).not.toContain('Submit investment case');

    await manager.postForm(`${base}/stage`, { stage: 'closed' });
    expectRefused(await manager.postForm(`${base}/sessions`, { kind: 'workshop', title: 'Too late', date: '2026-09-01', time: '10:00' }), 409, 'This programme is at the Closed stage', 'arrange');
  });
});
