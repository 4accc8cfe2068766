import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, TestClient, buildOrganisation, createTestApp, signedInAs } from '../../../../test/support/kit.ts';
import { access, aPerson, aProgrammeWithCases, currentProgramme, scoreEveryCase } from '../../../../test/support/innovation.ts';
import { listCriteria } from './programmes.repository.ts';
import { addMember } from './programmes.service.ts';
import { decide } from '../decisions/decisions.service.ts';

/** Programmes that real people join: invited by email, pledging for their own organisation, a chair deciding once scoring is complete. */
describe('taking part in a programme', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  it('invites someone new by email into the programme; without a mail server the manager is told it was NOT sent, and the link still works', async () => {
    const w = await aProgrammeWithCases(t.db, { teams: 1 });
    const org = await buildOrganisation(t.db, { name: 'Wyndale Befriending Circle' });
    await buildOrganisation(t.db, { name: 'Wyndale Befriending Network' });
    const manager = await signedInAs(t, w.manager);
    const url = `/programmes/${w.programmeId}/participants`;

    // Bad input: each named, the values kept, nothing saved.
    const bad = await manager.postForm(url, { name: '', email: 'not-an-email', organisationIdSearch: '', role: 'participant' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Enter their full name');
    expect(bad.body).toContain('Enter an email address in the correct format, like name@example.org');
    expect(bad.body).toContain('value="not-an-email"');

    // The organisation picker without script: find, then choose from the matches.
    const found = await manager.postForm(url, { name: 'Ash Newcomer', email: 'ash@example.org', organisationIdSearch: 'befriending', _find: 'organisationId', role: 'participant' });
    expect(found.statusCode).toBe(200);
    expect(found.body).toContain('2 organisations match “befriending”: choose one');
    expect(found.body).toContain('value="ash@example.org"');
    const ambiguous = await manager.postForm(url, { name: 'Ash Newcomer', email: 'ash@example.org', organisationIdSearch: 'befriending', role: 'participant' });
    expect(ambiguous.statusCode).toBe(422);
    expect(ambiguous.body).toContain('More than one organisation matches “befriending”. Choose one from the list.');
    const nothing = await manager.postForm(url, { name: 'Ash Newcomer', email: 'ash@example.org', organisationIdSearch: 'zzqx', role: 'participant' });
    expect(nothing.body).toContain('No organisation’s name contains “zzqx”');
    expect(await t.db.query('select 1 from programme_invitations where programme_id = $1', [w.programmeId])).toHaveLength(0);
    // With script, the GOV.UK accessible-autocomplete, served from this site (script-src 'self'), enhances the same field.
    expect(found.body).toContain('<script src="/vendor/accessible-autocomplete/accessible-autocomplete.min.js" defer></script>');
    for (const asset of ['/vendor/accessible-autocomplete/accessible-autocomplete.min.js', '/vendor/accessible-autocomplete/accessible-autocomplete.min.css', '/static/organisation-picker.js']) {
      expect((await manager.get(asset)).statusCode, asset).toBe(200);
    }
    const search = await manager.get('/organisations/search?q=befriending%20circ');
    expect(search.json()).toEqual([{ id: org.id, name: 'Wyndale Befriending Circle' }]);

    // Chosen from the matches (the radio carries the id); no mail server: NOT sent, the link shown once.
    const invited = await manager.postForm(url, { name: 'Ash Newcomer', email: 'ash@example.org', organisationId: org.id, organisationIdSearch: 'befriending', role: 'participant' });
    expect(invited.statusCode).toBe(200);
    expect(invited.body).toContain('The email was NOT sent');
    expect(invited.body).toContain('kept in the Email outbox');
    const link = /\/invitations\/[A-Za-z0-9_-]{43}/.exec(invited.body)![0];
    expect(await t.db.query("select 1 from outbox where to_address = 'ash@example.org'")).toHaveLength(1);
    expect((await manager.get(url)).body).toContain('1 invitation not yet accepted');

    // Ash sets a password through the link and lands in the programme, taking part for their organisation.
    const ash = new TestClient(t.app);
    expect((await ash.get(link)).body).toContain('Wyndale Befriending Circle');
    const accepted = await ash.postForm(link, { name: 'Ash Newcomer', password: 'a long enough passphrase' });
    expect(accepted.statusCode).toBe(303);
    expect(accepted.headers.location).toBe(`/programmes/${w.programmeId}/join`);
    const joined = await ash.get(accepted.headers.location as string);
    expect(joined.headers.location).toBe(`/programmes/${w.programmeId}`);
    expect((await ash.get(`/programmes/${w.programmeId}`)).body).toContain('You are now taking part in Test Ideas Fund');
    const [member] = await t.db.query<{ role: string; organisation_id: string }>(
      "select m.role, m.organisation_id from programme_members m join users u on u.id = m.user_id where u.email = 'ash@example.org' and m.programme_id = $1",
      [w.programmeId],
    );
    expect(member).toEqual({ role: 'participant', organisation_id: org.id });
    // No role anywhere else on Common Ground.
    expect(await t.db.query("select 1 from memberships m join users u on u.id = m.user_id where u.email = 'ash@example.org'")).toHaveLength(0);

    // Only the programme's managers invite.
    const participant = await signedInAs(t, w.participants[0]);
    const refused = await participant.postForm(url, { name: 'Someone', email: 'someone@example.org', organisationId: org.id, role: 'participant' });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('Only the programme’s managers can do that.');
  });

  it('adds someone who already has an account at once, and makes one chair', async () => {
    const w = await aProgrammeWithCases(t.db, { teams: 1 });
    const someone = await aPerson(t.db, 'analyst', w.orgs[2].id);
    const manager = await signedInAs(t, w.manager);
    const response = await manager.postForm(`/programmes/${w.programmeId}/participants`, { name: someone.name, email: someone.email, organisationId: w.orgs[2].id, role: 'chair' });
    // No mail server here: the page says so rather than "emailed".
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('The email was NOT sent');
    expect(response.body).toContain('they are taking part now');
    const chairs = await t.db.query<{ user_id: string }>('select user_id from programme_members where programme_id = $1 and chair', [w.programmeId]);
    expect(chairs).toEqual([{ user_id: someone.id }]);
  });

  it('refuses a decision by someone who is not the chair, before scoring is complete, and by a member from a team’s organisation', async () => {
    const w = await aProgrammeWithCases(t.db, { requestedPence: [2_000_00], stage: 'investment_day' });
    const caseUrl = `/programmes/${w.programmeId}/cases/${w.caseIds[0]}/decision`;
    const [chair, member] = w.panel;

    const notChair = await signedInAs(t, member);
    const byMember = await notChair.postForm(caseUrl, { outcome: 'fund_full', feedback: 'Yes' });
    expect(byMember.statusCode).toBe(403);
    expect(byMember.body).toContain('Only the chair of the investment team records decisions');
    const byManager = await (await signedInAs(t, w.manager)).postForm(caseUrl, { outcome: 'fund_full', feedback: 'Yes' });
    expect(byManager.statusCode).toBe(403);

    const chairClient = await signedInAs(t, chair);
    const form = await chairClient.get(caseUrl);
    expect(form.body).toContain('Scoring is not complete');
    const early = await chairClient.postForm(caseUrl, { outcome: 'fund_full', feedback: 'Yes' });
    expect(early.statusCode).toBe(409);
    expect(early.body).toContain('Scoring of this case is not complete:');
    expect(early.body).toContain('have still to score it');
    expect(await t.db.query('select 1 from investment_decisions where case_id = $1', [w.caseIds[0]])).toHaveLength(0);

    // A panel member taking part for the surgery, which has someone in the team: a conflict, found automatically.
    const surgeryPanel = await aPerson(t.db, 'panel_member', w.orgs[0].id);
    await addMember(t.db, w.manager.actor, await access(t.db, w.manager, w.programmeId), await currentProgramme(t.db, w.programmeId), { email: surgeryPanel.email, organisationId: w.orgs[0].id, role: 'panel' });
    const surgeryClient = await signedInAs(t, surgeryPanel);
    const criteria = await listCriteria(t.db, w.programmeId);
    const scoreForm = Object.fromEntries(criteria.flatMap((c) => [[`score-${c.id}`, '5'], [`comment-${c.id}`, 'Great']]));
    expect((await surgeryClient.get(`/programmes/${w.programmeId}/cases/${w.caseIds[0]}/score`)).body).toContain('Conflict of interest: same organisation');
    const conflictedScore = await surgeryClient.postForm(`/programmes/${w.programmeId}/cases/${w.caseIds[0]}/score`, scoreForm);
    expect(conflictedScore.statusCode).toBe(403);
    expect(conflictedScore.body).toContain('You take part for Wyndale Test Surgery, as someone in this team does.');
    // Shown to the member, and to the chair.
    expect((await surgeryClient.get(`/programmes/${w.programmeId}/investment-day`)).body).toContain(`Conflict: ${surgeryPanel.name}, same organisation as the team (Wyndale Test Surgery)`);
    await scoreEveryCase(t.db, w);
    const day = await chairClient.get(`/programmes/${w.programmeId}/investment-day`);
    expect(day.body).toContain(`Conflict: ${surgeryPanel.name}, same organisation as the team (Wyndale Test Surgery)`);
    // Scoring is complete without the conflicted member; the scores show beside the decision.
    expect(day.body).toContain('Complete');
    expect(day.body).toContain('3.00');
    expect(day.body).toMatch(/<svg[^>]* class="[^"]*\bcg-chart"[^>]*><title id="chart-\d+-title">The fund: £0.00 awarded of £10,000.00<\/title>/);
    const decisionPage = await chairClient.get(caseUrl);
    expect(decisionPage.body).toContain('Scores and moderation');
    expect(decisionPage.body).toMatch(/Weighted mean score<\/dt><dd class="nhsuk-summary-list__value">3.00 out of 5/);
    await expect(
      decide(t.db, surgeryPanel.actor, await access(t.db, surgeryPanel, w.programmeId), await currentProgramme(t.db, w.programmeId), w.caseIds[0], { outcome: 'not_now', feedback: 'x' }),
    ).rejects.toMatchObject({ status: 403 });
    expect((await chairClient.postForm(caseUrl, { outcome: 'fund_full', feedback: 'Yes' })).statusCode).toBe(303);
  });
});
