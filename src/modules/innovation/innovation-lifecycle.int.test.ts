import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, buildOrganisation, createTestApp, signedInAs } from '../../../test/support/kit.ts';
import { access, aPerson, aProgrammeWithCases, currentProgramme, scoreEveryCase } from '../../../test/support/innovation.ts';
import { decide } from './decisions/decisions.service.ts';
import { loadDemoProgramme } from './demo/demo-programme.ts';
import { addMonths } from './sessions/sessions.service.ts';

describe('an innovation programme from development to report', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  it('arranges a repeating support group, records attendance, and lets the investment team join', async () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-11-15', 2)).toBe('2027-01-15');
    const w = await aProgrammeWithCases(t.db, { teams: 1 });
    const manager = await signedInAs(t, w.manager);
    const missing = await manager.postForm(`/programmes/${w.programmeId}/sessions`, { kind: 'support_group', title: 'Peer support', date: '2026-04-15', time: '14:00', repeatEveryMonths: '2' });
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain('To repeat a session, enter both how often and how many sessions');
    expect((await manager.postForm(`/programmes/${w.programmeId}/sessions`, { kind: 'support_group', title: 'Peer support', date: '2026-04-15', time: '14:00', repeatEveryMonths: '2', repeatTimes: '3' })).statusCode).toBe(303);
    const series = await t.db.query<{ id: string; day: string }>("select id, to_char(starts_at at time zone 'Europe/London', 'YYYY-MM-DD HH24:MI') as day from programme_sessions where programme_id = $1 order by starts_at", [w.programmeId]);
    expect(series.map((s) => s.day)).toEqual(['2026-04-15 14:00', '2026-06-15 14:00', '2026-08-15 14:00']);
    const panelMember = await signedInAs(t, w.panel[0]);
    expect((await panelMember.postForm(`/programmes/${w.programmeId}/sessions/${series[0].id}/join`, {})).statusCode).toBe(303);
    expect((await manager.postForm(`/programmes/${w.programmeId}/sessions/${series[0].id}`, { held: 'yes', attendeeIds: [w.participants[0].id, w.panel[0].id], notes: 'Shared progress' })).statusCode).toBe(303);
    const attended = await t.db.query<{ user_id: string }>('select user_id from session_attendance where session_id = $1', [series[0].id]);
    expect(attended.map((a) => a.user_id).sort()).toEqual([w.participants[0].id, w.panel[0].id].sort());
    const page = await panelMember.get(`/programmes/${w.programmeId}/sessions/${series[0].id}`);
    expect(page.body).toContain(w.panel[0].name);
    expect(page.body).toContain('Shared progress');
    const outsider = (await aPerson(t.db, 'link_worker')).id;
    const bad = await manager.postForm(`/programmes/${w.programmeId}/sessions/${series[0].id}`, { held: 'yes', attendeeIds: [outsider], notes: '' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Choose people taking part in the programme');
  });

  it('matches a need with an offer from another organisation and shows who helped whom', async () => {
    const w = await aProgrammeWithCases(t.db, { teams: 2 });
    const teamMember = await signedInAs(t, w.participants[0]);
    expect((await teamMember.postForm(`/programmes/${w.programmeId}/needs`, { teamId: w.teamIds[0], title: 'Affordable dementia-awareness training' })).statusCode).toBe(303);
    const need = (await t.db.query<{ id: string }>('select id from team_needs where programme_id = $1', [w.programmeId]))[0];
    const helperOrg = await buildOrganisation(t.db, { name: 'Wyndale Test Memory Service' });
    const helper = await signedInAs(t, w.panel[1]);
    // A pledge only on behalf of one's own organisation: not for one the person does not belong to.
    const notTheirs = await helper.postForm(`/programmes/${w.programmeId}/needs/${need.id}/offers`, { description: 'Our dementia adviser can train your volunteers', organisationId: helperOrg.id });
    expect(notTheirs.statusCode).toBe(403);
    expect(notTheirs.body).toContain('You can pledge help only on behalf of your own organisation (Wyndale Test Council)');
    expect(notTheirs.body).toContain('Our dementia adviser can train your volunteers');
    expect((await t.db.query('select 1 from need_offers where need_id = $1', [need.id])).length).toBe(0);
    expect((await helper.postForm(`/programmes/${w.programmeId}/needs/${need.id}/offers`, { description: 'Our dementia adviser can train your volunteers', organisationId: w.orgs[2].id })).statusCode).toBe(303);
    const early = await teamMember.postForm(`/programmes/${w.programmeId}/needs/${need.id}/met`, {});
    expect(early.statusCode).toBe(409);
    expect(early.body).toContain('Take up an offer before marking the need met');
    const offer = (await t.db.query<{ id: string }>('select id from need_offers where need_id = $1', [need.id]))[0];
    // Only the team (or a manager) takes up an offer.
    expect((await helper.postForm(`/programmes/${w.programmeId}/needs/${need.id}/match`, { offerId: offer.id })).statusCode).toBe(403);
    const notAnOffer = await teamMember.postForm(`/programmes/${w.programmeId}/needs/${need.id}/match`, { offerId: '00000000-0000-4000-8000-000000000000' });
    expect(notAnOffer.statusCode).toBe(422);
    expect(notAnOffer.body).toContain('Choose an offer made for this need');
    expect((await teamMember.postForm(`/programmes/${w.programmeId}/needs/${need.id}/match`, { offerId: offer.id })).statusCode).toBe(303);
    expect((await teamMember.postForm(`/programmes/${w.programmeId}/needs/${need.id}/met`, {})).statusCode).toBe(303);
    const helped = await teamMember.get(`/programmes/${w.programmeId}/needs/helped`);
    expect(helped.body).toContain('Wyndale Test Council');
    expect(helped.body).toMatch(/<svg[^>]* class="[^"]*\bcg-chart"[^>]*><title id="chart-\d+-title">Who helped whom<\/title>/);
    expect(helped.body).toContain('1 offer crossed from one organisation to another');
    expect(helped.body).toMatch(/Met \d/);
  });

  it('runs a funded case as a project with milestones, updates and measures, and records the end decision', async () => {
    const w = await aProgrammeWithCases(t.db, { requestedPence: [2_000_00], stage: 'investment_day' });
    await scoreEveryCase(t.db, w);
    await decide(t.db, w.panel[0].actor, await access(t.db, w.panel[0], w.programmeId), await currentProgramme(t.db, w.programmeId), w.caseIds[0], { outcome: 'fund_full', feedback: 'Go' });
    const manager = await signedInAs(t, w.manager);
    await manager.postForm(`/programmes/${w.programmeId}/stage`, { stage: 'delivery' });
    const project = (await t.db.query<{ id: string }>('select id from projects where programme_id = $1', [w.programmeId]))[0];
    const team = await signedInAs(t, w.participants[0]);
    const base = `/programmes/${w.programmeId}/projects/${project.id}`;
    expect((await team.postForm(`${base}/milestones`, { title: 'First walk', dueOn: '2026-05-01' })).statusCode).toBe(303);
    expect((await team.postForm(`${base}/milestones`, { title: 'Ten walkers', dueOn: '2099-01-01' })).statusCode).toBe(303);
    const milestone = (await t.db.query<{ id: string }>("select id from project_milestones where title = 'First walk'"))[0];
    expect((await team.postForm(`${base}/milestones/${milestone.id}`, { done: 'yes' })).statusCode).toBe(303);
    const tooMuch = await team.postForm(`${base}/updates`, { progressPercent: '150', summary: 'Going well' });
    expect(tooMuch.statusCode).toBe(422);
    expect(tooMuch.body).toContain('Progress must be a whole number from 0 to 100');
    expect((await team.postForm(`${base}/updates`, { progressPercent: '40', summary: 'Going well', risks: 'Winter weather' })).statusCode).toBe(303);
    expect((await team.postForm(`${base}/measures`, { name: 'Falls a month', unit: 'falls', baseline: '12', target: '8' })).statusCode).toBe(303);
    const measure = (await t.db.query<{ id: string }>('select id from evaluation_measures where project_id = $1', [project.id]))[0];
    expect((await team.postForm(`${base}/measures/${measure.id}`, { result: '7.5' })).statusCode).toBe(303);
    const dashboard = await manager.get(`/programmes/${w.programmeId}/projects`);
    expect(dashboard.body).toContain('40%');
    expect(dashboard.body).toContain('1 of 2 done');
    expect(dashboard.body).toContain('Winter weather');
    // Only managers record the end decision, and it needs the learning.
    expect((await team.postForm(`${base}/end`, { endDecision: 'scale', learning: 'x' })).statusCode).toBe(403);
    const noLearning = await manager.postForm(`${base}/end`, { endDecision: 'scale' });
    expect(noLearning.body).toContain('Enter what was learned');
    expect((await manager.postForm(`${base}/end`, { endDecision: 'scale', learning: 'Walkers fell less; the surgery will fund a second group.' })).statusCode).toBe(303);
    expect((await manager.get(`/programmes/${w.programmeId}/projects`)).body).toContain('Scale');
    // Once ended, the team can no longer change it.
    expect((await team.postForm(`${base}/updates`, { progressPercent: '100', summary: 'Done' })).statusCode).toBe(409);
    // Reports and CSV exports.
    const report = await manager.get(`/programmes/${w.programmeId}/report`);
    expect(report.body).toContain('£2,000.00 of £10,000.00');
    const csv = await manager.get(`/programmes/${w.programmeId}/export/projects.csv`);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\n')[1]).toContain('£2,000.00');
    expect(csv.body).toContain('scale');
    expect((await manager.get(`/programmes/${w.programmeId}/export/nothing.csv`)).statusCode).toBe(404);
  });

  it('puts part of the fund to a community vote and funds the winners by the published rule', async () => {
    const w = await aProgrammeWithCases(t.db, { fundPence: 10_000_00, requestedPence: [3_000_00, 2_000_00, 1_500_00], stage: 'investment_day' });
    const manager = await signedInAs(t, w.manager);
    const tooBig = await manager.postForm(`/programmes/${w.programmeId}/vote/settings`, { votePot: '20000', voteMethod: 'approval', voteMaxChoices: '2', voteOpen: 'yes' });
    expect(tooBig.body).toContain('cannot be more than the £10,000.00 not yet awarded');
    expect((await manager.postForm(`/programmes/${w.programmeId}/vote/settings`, { votePot: '4000', voteMethod: 'approval', voteMaxChoices: '2', voteOpen: 'yes' })).statusCode).toBe(303);
    const voters = [...w.participants, ...w.panel];
    const clients = await Promise.all(voters.map((v) => signedInAs(t, v)));
    const tooMany = await clients[0].postForm(`/programmes/${w.programmeId}/vote`, { caseIds: w.caseIds });
    expect(tooMany.statusCode).toBe(422);
    expect(tooMany.body).toContain('Choose up to 2 projects');
    // Case 0 (£3,000): 4 votes; case 1 (£2,000): 3 votes; case 2 (£1,500): 2 votes.
    const ballots = [[0, 1], [0, 1], [0, 2], [0, 2], [1]];
    for (const [i, b] of ballots.entries()) expect((await clients[i].postForm(`/programmes/${w.programmeId}/vote`, { caseIds: b.map((k) => w.caseIds[k]) })).statusCode).toBe(303);
    const page = await manager.get(`/programmes/${w.programmeId}/vote`);
    expect(page.body).toContain('5 ballots');
    // The panel cannot spend the part held for the vote.
    const day = await manager.get(`/programmes/${w.programmeId}/investment-day`);
    expect(day.body).toContain('Held for the community vote');
    expect(day.body).toContain('£6,000.00');
    expect((await manager.postForm(`/programmes/${w.programmeId}/vote/apply`, {})).statusCode).toBe(303);
    const decisions = await t.db.query<{ case_id: string; awarded_pence: number; source: string }>('select case_id, awarded_pence, source from investment_decisions where programme_id = $1', [w.programmeId]);
    // £4,000: case 0 (£3,000) first, case 1 (£2,000) does not fit, case 2 (£1,500) does not fit either.
    expect(decisions).toEqual([{ case_id: w.caseIds[0], awarded_pence: 3_000_00, source: 'community_vote' }]);
    const fund = (await manager.get(`/api/v1/programmes/${w.programmeId}/fund`)).json();
    expect(fund).toMatchObject({ awardedPence: 3_000_00, heldForVotePence: 0, remainingPence: 7_000_00 });
  });

  it('loads the demo programme, once, with ideas, teams, a session, a met need, cases and scores', async () => {
    const partnership = await buildOrganisation(t.db, { name: 'Wyndale Test Partnership' });
    const manager = await aPerson(t.db, 'programme_manager', partnership.id);
    const id = await loadDemoProgramme(t.db, { partnershipId: partnership.id, managerUserId: manager.id });
    expect(await loadDemoProgramme(t.db, { partnershipId: partnership.id, managerUserId: manager.id })).toBe(id);
    const client = await signedInAs(t, manager);
    const report = await client.get(`/programmes/${id}/report`);
    expect(report.statusCode).toBe(200);
    expect(report.body).toContain('Wyndale Ideas Fund 2026');
    expect(report.body).toContain('£0.00 of £50,000.00');
    expect(report.body).toContain('Breathing Space');
    expect(report.body).toContain('1 of 4'); // needs met
    const moderation = await client.get(`/programmes/${id}/moderation`);
    expect(moderation.statusCode).toBe(200);
    expect((await t.db.query('select 1 from programme_sessions where programme_id = $1 and held', [id])).length).toBe(1);
  });
});
