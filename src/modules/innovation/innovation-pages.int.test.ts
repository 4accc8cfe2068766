import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrganisation, buildUser, createTestApp, signedInAs, TEST_PASSWORD, TestClient, type TestApp } from '../../../test/support/kit.ts';
import { loadDemoProgramme } from './demo/demo-programme.ts';

/**
 * Every innovation page and export drawn from a programme with something in every part (the demo
 * programme, then decisions, a vote, a project with milestones, an update and a measure), each
 * showing values its template reads from the records, so a renamed field cannot go blank unseen.
 */
describe('every innovation page shows what its records hold', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  it('draws every page of a programme from ideas to projects', { timeout: 120_000 }, async () => {
    const partnership = await buildOrganisation(t.db, { name: 'Pages Test Partnership' });
    const person = await buildUser(t.db, { role: 'programme_manager', organisationId: partnership.id, name: 'Pages Test Manager' });
    const id = await loadDemoProgramme(t.db, { partnershipId: partnership.id, managerUserId: person.id, password: TEST_PASSWORD });
    const manager = await signedInAs(t, person);
    const panel = await signedInAs(t, { email: 'alex@demo-innovation.invalid', password: TEST_PASSWORD });
    const robin = await signedInAs(t, { email: 'robin@demo-innovation.invalid', password: TEST_PASSWORD });
    const base = `/programmes/${id}`;
    const ids = async (sql: string) => Object.fromEntries((await t.db.query<{ id: string; name: string }>(sql, [id])).map((r) => [r.name, r.id]));
    const cases = await ids('select c.id, t.name from investment_cases c join teams t on t.id = c.team_id where c.programme_id = $1');
    const ideas = await ids('select id, title as name from ideas where programme_id = $1');
    const teams = await ids('select id, name from teams where programme_id = $1');
    const session = (await t.db.query<{ id: string }>('select id from programme_sessions where programme_id = $1 and held', [id]))[0].id;

    /** The page answers 200 and shows every one of the texts. */
    async function shows(client: TestClient, url: string, ...texts: string[]) {
      const response = await client.get(url);
      expect(response.statusCode, url).toBe(200);
      for (const text of texts) expect(response.body, `${url} shows ${text}`).toContain(text);
      return response.body;
    }

    // The demo panel member chairs the investment team: scores every case, then records the decisions.
    const chair = await signedInAs(t, { email: 'panel-member@demo-innovation.invalid', password: TEST_PASSWORD });
    const criteria = await t.db.query<{ id: string }>('select id from programme_criteria where programme_id = $1', [id]);
    for (const caseId of Object.values(cases)) {
      expect((await chair.postForm(`${base}/cases/${caseId}/conflict`, { conflicted: 'no' })).statusCode).toBe(303);
      expect((await chair.postForm(`${base}/cases/${caseId}/score`, Object.fromEntries(criteria.flatMap((c) => [[`score-${c.id}`, '4'], [`comment-${c.id}`, 'Chair’s score']])))).statusCode).toBe(303);
    }
    await shows(chair, `${base}/investment-day`, 'Weighted mean', 'Complete', 'Conflict: Alex Investment-Team, same organisation as the team (Wyndale Demo Surgery)');
    expect((await manager.postForm(`${base}/cases/${cases['Steady Steps']}/decision`, { outcome: 'fund_full', feedback: 'Go ahead' })).statusCode).toBe(403);
    expect((await chair.postForm(`${base}/cases/${cases['Steady Steps']}/decision`, { outcome: 'fund_full', feedback: 'Go ahead' })).statusCode).toBe(303);
    expect((await chair.postForm(`${base}/cases/${cases['Welcome Home']}/decision`, { outcome: 'fund_part', amount: '20000', feedback: 'Most of it' })).statusCode).toBe(303);
    expect((await manager.postForm(`${base}/vote/settings`, { votePot: '1000', voteMethod: 'approval', voteMaxChoices: '2', voteOpen: 'yes' })).statusCode).toBe(303);
    // A panel member takes part, so is offered the ballot; a participant votes.
    await shows(panel, `${base}/vote`, 'Projects you support', 'Breathing Space (£16,000.00)');
    expect((await robin.postForm(`${base}/vote`, { caseIds: [cases['Breathing Space']] })).statusCode).toBe(303);
    await shows(manager, `${base}/vote`, '£1,000.00', '1 ballot');
    await shows(manager, `${base}/investment-day`, '£24,000.00', '£20,000.00', 'Held for the community vote');
    await shows(manager, `${base}/moderation`, 'Welcome Home', '£20,000.00');
    await shows(manager, `${base}/moderation/${cases['Welcome Home']}`, 'Scores: Welcome Home', 'Scored at the demo Investment Day');
    await shows(panel, `${base}/cases/${cases['Welcome Home']}/score`, 'Score: Welcome Home', '£24,000.00');
    await shows(panel, `${base}/cases`, 'Welcome Home', 'Home from hospital kit', '£24,000.00', 'Your scoring');
    await shows(chair, `${base}/cases/${cases['Welcome Home']}/decision`, 'Decision: Welcome Home', '£24,000.00', 'value="20000.00"', 'Scores and moderation', 'Chair’s score');

    expect((await manager.postForm(`${base}/stage`, { stage: 'delivery' })).statusCode).toBe(303);
    await shows(manager, base, 'The programme is now at the Delivery stage.', '12 January 2026', '18 December 2026');
    const project = (await t.db.query<{ id: string }>("select id from projects where programme_id = $1 and title = 'Steady Steps'", [id]))[0].id;
    const projectUrl = `${base}/projects/${project}`;
    expect((await manager.postForm(`${projectUrl}/milestones`, { title: 'First walk', dueOn: '2026-01-05' })).statusCode).toBe(303);
    expect((await manager.postForm(`${projectUrl}/milestones`, { title: 'Ten walkers', dueOn: '2099-01-01' })).statusCode).toBe(303);
    const milestone = (await t.db.query<{ id: string }>("select id from project_milestones where title = 'Ten walkers' and project_id = $1", [project]))[0].id;
    expect((await manager.postForm(`${projectUrl}/milestones/${milestone}`, { done: 'yes' })).statusCode).toBe(303);
    expect((await manager.postForm(`${projectUrl}/updates`, { progressPercent: '40', summary: 'Going well', risks: 'Winter weather' })).statusCode).toBe(303);
    expect((await manager.postForm(`${projectUrl}/measures`, { name: 'Falls a month', unit: 'falls', baseline: '12', target: '8' })).statusCode).toBe(303);
    const measure = (await t.db.query<{ id: string }>('select id from evaluation_measures where project_id = $1', [project]))[0].id;
    expect((await manager.postForm(`${projectUrl}/measures/${measure}`, { result: '7.5' })).statusCode).toBe(303);

    await shows(manager, '/programmes', 'Wyndale Ideas Fund 2026', '£50,000.00', '£31,500.00');
    await shows(manager, `${base}/edit`, 'value="50000.00"', 'value="2026-01-12"');
    await shows(manager, `${base}/participants`, 'Robin Carer-Support', 'Wyndale Demo Surgery');
    await shows(manager, `${base}/criteria`, 'Difference it makes to people');
    await shows(manager, `${base}/ideas`, 'A Wyndale resident', 'Wyndale Demo Carers Network', '£12,000.00', 'Breathing Space');
    await shows(manager, `${base}/ideas/${ideas['Dementia-friendly swimming']}`, 'A Wyndale resident', 'My dad loved swimming', '£3,000.00');
    await shows(manager, `${base}/ideas/${ideas['Carers’ breathing space cafe']}`, 'Unpaid carers tell us', 'Around 200 unpaid carers', 'Carers’ wellbeing scores', '£12,000.00', 'Breathing Space', 'Our link workers could refer carers');
    await shows(manager, `${base}/ideas/${ideas['Digital buddies']}/edit`, 'Ideas can only be changed during the Ideas open stage');
    await shows(manager, `${base}/teams`, 'Breathing Space', 'Carers’ breathing space cafe', 'Kit Volunteer-Lead');
    await shows(manager, `${base}/teams/${teams['Breathing Space']}`, 'Carers’ breathing space cafe', 'Kit Volunteer-Lead', 'Wyndale Demo Carers Network', 'A venue with a quiet room', '£16,000.00');
    await shows(manager, `${base}/teams/${teams['Breathing Space']}/case`, 'Change the investment case', 'Breathing Space');
    await shows(manager, `${base}/sessions`, 'Wyndale Community Hall', 'Mentoring: evaluation plan', 'Steady Steps');
    await shows(manager, `${base}/sessions/${session}`, 'From idea to test of change', '4 March 2026', 'Teams mapped who benefits', 'Robin Carer-Support');
    await shows(robin, `${base}/sessions/${session}`, 'Wyndale Community Hall');
    await shows(manager, `${base}/needs`, 'Affordable dementia-awareness training', 'Our council dementia adviser', 'Jo Reablement', 'Breathing Space');
    await shows(manager, `${base}/needs/helped`, 'Jo Reablement', 'Wyndale Demo Council Adult Social Care', 'Affordable dementia-awareness training');
    await shows(manager, `${base}/cases`, 'Home from hospital kit', '£24,000.00', '£20,000.00');
    await shows(manager, `${base}/cases/${cases['Welcome Home']}`, 'Readmissions within 30 days', 'Volunteer coordinator (part time)', '£9,000.00', '£24,000.00', '£20,000.00', 'Most of it');
    await shows(manager, `${base}/projects`, 'Steady Steps', '40%', '1 of 2 done', 'Winter weather', '£11,500.00');
    await shows(manager, projectUrl, 'First walk', 'Ten walkers', 'Going well', 'Winter weather', 'Falls a month', '7.5', '£11,500.00');
    await shows(manager, `${base}/report`, 'Steady Steps', '£31,500.00', 'Wyndale Demo Council Adult Social Care helped Breathing Space with Affordable dementia-awareness training', 'Carers’ breathing space cafe', 'Pages Test Manager');
    await shows(new TestClient(t.app), `${base}/suggest`, 'Suggest an idea to Wyndale Ideas Fund 2026');
    await shows(manager, `${base}/export/ideas.csv`, 'Carers’ breathing space cafe', '"£12,000.00",1200000', 'Breathing Space');
    await shows(manager, `${base}/export/cases.csv`, 'Welcome Home,Home from hospital kit,"£24,000.00",2400000,Fund in part,"£20,000.00",2000000,Demo Panel Member');
    await shows(manager, `${base}/export/projects.csv`, 'Steady Steps,"£11,500.00",1150000,40,2,1,1,Winter weather');
    await shows(manager, `${base}/export/sessions.csv`, 'Workshop,From idea to test of change,Everyone,yes,5');
    await shows(manager, `${base}/export/needs.csv`, 'Jo Reablement');
  });
});
