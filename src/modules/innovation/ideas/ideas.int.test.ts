import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, TestClient, brokenErrorSummaryLinks, createTestApp, signedInAs } from '../../../../test/support/kit.ts';
import { aPerson, aProgrammeWithCases } from '../../../../test/support/innovation.ts';
import { SUGGESTIONS_PER_WINDOW } from './ideas.routes.ts';

describe('changing ideas, and the public idea form’s limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  const idea = { title: 'Walking group', problem: 'Falls at home', whoBenefits: 'Older people', idea: 'A weekly walk', roughCost: '£1,200', howWeKnow: 'Count falls' };

  it('lets the author and the manager change an idea while ideas are open, keeps the change in the audit log, and refuses it once shortlisted', async () => {
    const w = await aProgrammeWithCases(t.db, { teams: 0 });
    const manager = await signedInAs(t, w.manager);
    await manager.postForm(`/programmes/${w.programmeId}/stage`, { stage: 'ideas_open' });
    const author = await signedInAs(t, w.participants[0]);
    const created = await author.postForm(`/programmes/${w.programmeId}/ideas/new`, idea);
    expect(created.statusCode).toBe(303);
    const ideaUrl = created.headers.location!.split('?')[0];
    const editUrl = `${ideaUrl}/edit`;
    expect((await author.get(ideaUrl)).body).toContain('Change this idea');

    // The form starts with the idea as it is; a bad amount is refused with the input kept.
    const form = await author.get(editUrl);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Change your idea');
    expect(form.body).toContain('value="1200.00"');
    const bad = await author.postForm(editUrl, { ...idea, roughCost: '£12k', title: 'Walking group for carers' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('The rough cost must be an amount of money, like £1,234.56');
    expect(bad.body).toContain('value="Walking group for carers"');
    expect(brokenErrorSummaryLinks(bad.body)).toEqual([]);

    const saved = await author.postForm(editUrl, { ...idea, title: 'Walking group for carers', roughCost: '1,500.50' });
    expect(saved.statusCode).toBe(303);
    expect((await author.get(saved.headers.location!)).body).toContain('Your changes to the idea are saved');
    const row = (await t.db.query<{ title: string; rough_cost_pence: number }>('select title, rough_cost_pence from ideas where id = $1', [ideaUrl.split('/').pop()]))[0];
    expect(row).toEqual({ title: 'Walking group for carers', rough_cost_pence: 150_050 });
    const audit = (await t.db.query<{ details: Record<string, unknown> }>("select details from audit_log where record_type = 'idea' and record_id = $1 and action = 'updated'", [ideaUrl.split('/').pop()]))[0];
    expect(audit.details).toMatchObject({ title: { from: 'Walking group', to: 'Walking group for carers' }, rough_cost_pence: { from: 120_000, to: 150_050 } });
    expect(audit.details).not.toHaveProperty('problem');

    // The manager can change it too; another participant cannot.
    expect((await manager.postForm(editUrl, { ...idea, title: 'Walking group for carers', howWeKnow: 'Count falls and ask walkers' })).statusCode).toBe(303);
    const other = await signedInAs(t, w.participants[1]);
    expect((await other.get(editUrl)).statusCode).toBe(403);
    const otherPost = await other.postForm(editUrl, { ...idea, title: 'Hijacked' });
    expect(otherPost.statusCode).toBe(403);
    expect(otherPost.body).toContain('Only the person who suggested this idea and the programme’s managers can change it');

    // Once shortlisted, changes are refused with a clear message, and nothing saved is lost.
    expect((await manager.postForm(`${ideaUrl}/status`, { move: 'shortlist' })).statusCode).toBe(303);
    expect((await author.get(ideaUrl)).body).not.toContain('Change this idea');
    const closedForm = await author.get(editUrl);
    expect(closedForm.body).toContain('This idea has been shortlisted, so it can no longer be changed.');
    expect(closedForm.body).not.toContain('Save changes');
    const late = await author.postForm(editUrl, { ...idea, title: 'Too late' });
    expect(late.statusCode).toBe(409);
    expect(late.body).toContain('This idea has been shortlisted, so it can no longer be changed.');
    expect(late.body).toContain('value="Too late"');
    expect(brokenErrorSummaryLinks(late.body)).toEqual([]);
    expect((await t.db.query<{ title: string }>('select title from ideas where id = $1', [ideaUrl.split('/').pop()]))[0].title).toBe('Walking group for carers');
  });

  it('refuses changes to an idea after the Ideas open stage', async () => {
    const w = await aProgrammeWithCases(t.db, { teams: 0 });
    const manager = await signedInAs(t, w.manager);
    await manager.postForm(`/programmes/${w.programmeId}/stage`, { stage: 'ideas_open' });
    const author = await signedInAs(t, w.participants[0]);
    const ideaUrl = (await author.postForm(`/programmes/${w.programmeId}/ideas/new`, idea)).headers.location!.split('?')[0];
    await manager.postForm(`/programmes/${w.programmeId}/stage`, { stage: 'teams_forming' });
    const late = await author.postForm(`${ideaUrl}/edit`, { ...idea, title: 'After the stage' });
    expect(late.statusCode).toBe(409);
    expect(late.body).toContain('Ideas can only be changed during the Ideas open stage. This programme is at the Teams forming stage.');
    expect(brokenErrorSummaryLinks(late.body)).toEqual([]);
  });

  it(`takes ${SUGGESTIONS_PER_WINDOW} public suggestions from one address, then refuses with 429 and a clear message`, async () => {
    const w = await aProgrammeWithCases(t.db, { teams: 0 });
    const manager = await signedInAs(t, w.manager);
    await manager.postForm(`/programmes/${w.programmeId}/stage`, { stage: 'ideas_open' });
    const anonymous = new TestClient(t.app);
    const url = `/programmes/${w.programmeId}/suggest`;
    const suggestion = { ...idea, submitterName: 'A Resident' };
    // Refused forms count too: a flood of junk is limited just like a flood of ideas.
    expect((await anonymous.postForm(url, { ...suggestion, title: '' })).statusCode).toBe(422);
    for (let i = 1; i < SUGGESTIONS_PER_WINDOW; i++) expect((await anonymous.postForm(url, { ...suggestion, title: `Idea ${i}` })).statusCode).toBe(200);
    const limited = await anonymous.postForm(url, { ...suggestion, title: 'One too many' });
    expect(limited.statusCode).toBe(429);
    expect(limited.body).toContain('You have sent too many ideas');
    expect(limited.body).toContain(`You can send ${SUGGESTIONS_PER_WINDOW} ideas every 10 minutes`);
    expect((await t.db.query("select 1 from ideas where title = 'One too many'")).length).toBe(0);
    // Someone signed in is not limited by the public form's count.
    const participant = await aPerson(t.db, 'link_worker');
    const signedInClient = await signedInAs(t, participant);
    expect((await signedInClient.postForm(url, { ...suggestion, title: 'From a signed-in person' })).statusCode).toBe(200);
  });
});
