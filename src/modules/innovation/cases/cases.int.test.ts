import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, TestClient, createTestApp, signedInAs } from '../../../../test/support/kit.ts';
import { aPerson, aProgrammeWithCases } from '../../../../test/support/innovation.ts';

describe('programmes, ideas, teams and investment cases', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  it('creates a programme with the fund read exactly from "£50,000", and refuses a bad amount with a clear message', async () => {
    const w = await aProgrammeWithCases(t.db, { teams: 0 });
    const client = await signedInAs(t, w.manager);
    const bad = await client.postForm('/programmes/new', { name: 'Fund', purpose: 'Ideas', fund: '£50k', publicIdeas: 'yes' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('The fund must be an amount of money, like £1,234.56');
    expect(bad.body).toContain('value="£50k"');
    const created = await client.postForm('/programmes/new', { name: 'Wyndale Test Fund', purpose: 'Ideas', fund: '£50,000.10', publicIdeas: 'yes', caseDeadlineDate: '2026-06-01', caseDeadlineTime: '17:00' });
    expect(created.statusCode).toBe(303);
    const id = created.headers.location!.split('/')[2].split('?')[0];
    const row = (await t.db.query<{ fund_pence: number; stage: string }>('select fund_pence, stage from programmes where id = $1', [id]))[0];
    expect(row).toEqual({ fund_pence: 5_000_010, stage: 'ideas_open' });
    const page = await client.get(`/programmes/${id}`);
    expect(page.body).toContain('£50,000.10');
    expect((await t.db.query("select 1 from audit_log where record_type = 'programme' and record_id = $1 and action = 'created'", [id])).length).toBe(1);
    // The navigation shows Programmes to a programme manager.
    expect(page.body).toContain('href="/programmes"');
  });

  it('moves through stages, and what participants can do follows the stage', async () => {
    const w = await aProgrammeWithCases(t.db, { teams: 1 });
    const participant = await signedInAs(t, w.participants[0]);
    // At the development stage, new ideas are refused.
    const idea = { title: 'Late idea', problem: 'p', whoBenefits: 'w', idea: 'i', howWeKnow: 'h' };
    const late = await participant.postForm(`/programmes/${w.programmeId}/ideas/new`, idea);
    expect(late.statusCode).toBe(409);
    expect(late.body).toContain('This programme is at the Development stage. This can only be done during the Ideas open stage.');
    // Participants cannot move the stage.
    expect((await participant.postForm(`/programmes/${w.programmeId}/stage`, { stage: 'ideas_open' })).statusCode).toBe(403);
    const manager = await signedInAs(t, w.manager);
    expect((await manager.postForm(`/programmes/${w.programmeId}/stage`, { stage: 'ideas_open' })).statusCode).toBe(303);
    expect((await participant.postForm(`/programmes/${w.programmeId}/ideas/new`, idea)).statusCode).toBe(303);
    // Participants see the navigation item although they hold no programme role.
    expect((await participant.get('/')).body).toContain('href="/programmes"');
    // Someone not taking part is turned away.
    const outsider = await aPerson(t.db, 'link_worker');
    const outsiderClient = await signedInAs(t, outsider);
    expect((await outsiderClient.get(`/programmes/${w.programmeId}`)).statusCode).toBe(403);
    expect((await outsiderClient.get('/')).body).not.toContain('href="/programmes"');
  });

  it('takes community suggestions through the public form, held until a manager accepts them', async () => {
    const w = await aProgrammeWithCases(t.db, { teams: 0 });
    const manager = await signedInAs(t, w.manager);
    const anonymous = new TestClient(t.app);
    const closed = await anonymous.get(`/programmes/${w.programmeId}/suggest`);
    expect(closed.body).toContain('not taking suggestions at the moment');
    await manager.postForm(`/programmes/${w.programmeId}/stage`, { stage: 'ideas_open' });
    const form = { title: 'Walking group for carers', problem: 'Carers are isolated', whoBenefits: 'Carers', idea: 'A weekly walk', roughCost: '1234.5', howWeKnow: 'Ask them', submitterName: 'A Resident', submitterEmail: 'resident@example.org' };
    const robot = await anonymous.postForm(`/programmes/${w.programmeId}/suggest`, { ...form, website: 'http://spam.invalid' });
    expect(robot.statusCode).toBe(422);
    const sent = await anonymous.postForm(`/programmes/${w.programmeId}/suggest`, form);
    expect(sent.statusCode).toBe(200);
    expect(sent.body).toContain('Thank you for your idea');
    const idea = (await t.db.query<{ id: string; status: string; rough_cost_pence: number }>("select id, status, rough_cost_pence from ideas where title = 'Walking group for carers'"))[0];
    expect(idea).toMatchObject({ status: 'awaiting_moderation', rough_cost_pence: 123450 });
    const participant = await signedInAs(t, w.participants[0]);
    expect((await participant.get(`/programmes/${w.programmeId}/ideas`)).body).not.toContain('Walking group for carers');
    expect((await manager.get(`/programmes/${w.programmeId}/ideas`)).body).toContain('1 public suggestion to check');
    expect((await manager.postForm(`/programmes/${w.programmeId}/ideas/${idea.id}/status`, { move: 'approve' })).statusCode).toBe(303);
    expect((await participant.get(`/programmes/${w.programmeId}/ideas`)).body).toContain('Walking group for carers');
    // Comment and support.
    expect((await participant.postForm(`/programmes/${w.programmeId}/ideas/${idea.id}/comments`, { body: 'I can help with routes' })).statusCode).toBe(303);
    expect((await participant.postForm(`/programmes/${w.programmeId}/ideas/${idea.id}/support`, {})).statusCode).toBe(303);
    const page = await participant.get(`/programmes/${w.programmeId}/ideas/${idea.id}`);
    expect(page.body).toContain('I can help with routes');
    expect(page.body).toContain('1 supporter');
    // A team can only be formed from a shortlisted idea.
    await manager.postForm(`/programmes/${w.programmeId}/stage`, { stage: 'teams_forming' });
    const notShortlisted = await manager.postForm(`/programmes/${w.programmeId}/teams/new`, { ideaId: idea.id, name: 'Walkers', memberIds: [w.participants[0].id] });
    expect(notShortlisted.statusCode).toBe(409);
    expect(notShortlisted.body).toContain('Only a shortlisted idea can become a team');
    await manager.postForm(`/programmes/${w.programmeId}/ideas/${idea.id}/status`, { move: 'shortlist' });
    const team = await manager.postForm(`/programmes/${w.programmeId}/teams/new`, { ideaId: idea.id, name: 'Walkers', memberIds: [w.participants[0].id, w.participants[1].id] });
    expect(team.statusCode).toBe(303);
    const teamPage = await manager.get(team.headers.location!);
    expect(teamPage.body).toContain('Wyndale Test Surgery');
    expect(teamPage.body).toContain('Wyndale Test Charity');
  });

  it('refuses a case edited after the deadline, and budget lines that do not add up', async () => {
    const w = await aProgrammeWithCases(t.db, { teams: 1 });
    const member = await signedInAs(t, w.participants[0]);
    const url = `/programmes/${w.programmeId}/teams/${w.teamIds[0]}/case`;
    const good = { requested: '£1,500.50', outcomes: 'Fewer falls', evaluationPlan: 'Count falls', risks: 'Low uptake', line1Description: 'Venue', line1Amount: '500.5', line2Description: 'Trainer', line2Amount: '£1,000' };
    const mismatch = await member.postForm(url, { ...good, line2Amount: '999' });
    expect(mismatch.statusCode).toBe(422);
    expect(mismatch.body).toContain('The budget lines add up to £1,499.50, but the amount requested is £1,500.50');
    expect(mismatch.body).toContain('value="999"');
    expect((await member.postForm(url, good)).statusCode).toBe(303);
    const saved = (await t.db.query<{ requested_pence: number }>('select requested_pence from investment_cases where team_id = $1', [w.teamIds[0]]))[0];
    expect(saved.requested_pence).toBe(150_050);

    await t.db.query("update programmes set case_deadline = now() - interval '1 minute' where id = $1", [w.programmeId]);
    const late = await member.postForm(url, { ...good, outcomes: 'Changed after the deadline' });
    expect(late.statusCode).toBe(409);
    expect(late.body).toContain('The deadline for investment cases was');
    expect(late.body).toContain('Cases can no longer be changed.');
    const after = (await t.db.query<{ outcomes: string }>('select outcomes from investment_cases where team_id = $1', [w.teamIds[0]]))[0];
    expect(after.outcomes).toBe('Fewer falls');
    // Someone not in the team cannot write its case.
    const other = await signedInAs(t, w.panel[0]);
    expect((await other.postForm(url, good)).statusCode).toBe(403);
  });

  it('answers the JSON API with programmes, ideas, cases and the fund, and 404 for unknown ids', async () => {
    const w = await aProgrammeWithCases(t.db, { teams: 2, fundPence: 50_000_00 });
    const client = await signedInAs(t, w.manager);
    const programme = (await client.get(`/api/v1/programmes/${w.programmeId}`)).json();
    expect(programme).toMatchObject({ name: 'Test Ideas Fund', stage: 'development', fund: { fundPence: 50_000_00, fund: '£50,000.00', remaining: '£50,000.00' } });
    expect((await client.get(`/api/v1/programmes/${w.programmeId}/ideas`)).json().items).toHaveLength(2);
    const cases = (await client.get(`/api/v1/programmes/${w.programmeId}/cases`)).json().items;
    expect(cases[0].budgetLines[0]).toMatchObject({ amountPence: 4_000_00 });
    expect((await client.get('/api/v1/programmes/not-a-uuid')).statusCode).toBe(404);
    expect((await client.get('/api/v1/programmes/00000000-0000-0000-0000-000000000000/fund')).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/programmes/${w.programmeId}` })).statusCode).toBe(401);
    const openapi = (await client.get('/api/openapi.json')).json();
    expect(openapi.paths['/api/v1/programmes/{id}/fund'].get.tags).toEqual(['Innovation']);
  });

  it('saves a case as a draft that the panel never sees, until the team submits it', async () => {
    const w = await aProgrammeWithCases(t.db, { teams: 1 });
    const member = await signedInAs(t, w.participants[0]);
    const url = `/programmes/${w.programmeId}/teams/${w.teamIds[0]}/case`;
    const [before] = await t.db.query<{ outcomes: string; requested_pence: number }>('select outcomes, requested_pence from investment_cases where team_id = $1', [w.teamIds[0]]);
    // Half-written: no amount, one line without its amount. A draft keeps it as typed.
    const draft = await member.postForm(url, { action: 'draft', requested: '', outcomes: 'Fewer falls among walkers, and more confidence', line1Description: 'Venue hire' });
    expect(draft.statusCode).toBe(303);
    const form = await member.get(url);
    expect(form.body).toContain('Draft saved. Nobody on the panel sees it until you submit the case.');
    expect(form.body).toContain('You are working on a draft saved');
    expect(form.body).toContain('Fewer falls among walkers, and more confidence');
    expect(form.body).toContain('value="Venue hire"');
    // The case the panel scores is the one last submitted.
    const [still] = await t.db.query<{ outcomes: string; requested_pence: number }>('select outcomes, requested_pence from investment_cases where team_id = $1', [w.teamIds[0]]);
    expect(still).toEqual(before);
    // Someone outside the team cannot draft it.
    const outsider = await signedInAs(t, w.panel[0]);
    expect((await outsider.postForm(url, { action: 'draft', outcomes: 'x' })).statusCode).toBe(403);
    // Submitting checks the whole case, and the draft is done with.
    const submitted = await member.postForm(url, { requested: '£800', outcomes: 'Fewer falls among walkers, and more confidence', evaluationPlan: 'Falls before and after', risks: 'Winter weather', line1Description: 'Venue hire', line1Amount: '800' });
    expect(submitted.statusCode).toBe(303);
    expect((await t.db.query<{ outcomes: string }>('select outcomes from investment_cases where team_id = $1', [w.teamIds[0]]))[0].outcomes).toBe('Fewer falls among walkers, and more confidence');
    expect(await t.db.query('select 1 from investment_case_drafts where team_id = $1', [w.teamIds[0]])).toEqual([]);
    // After the deadline a draft is refused like the case itself.
    await t.db.query("update programmes set case_deadline = now() - interval '1 minute' where id = $1", [w.programmeId]);
    expect((await member.postForm(url, { action: 'draft', outcomes: 'Too late' })).statusCode).toBe(409);
  });
});
