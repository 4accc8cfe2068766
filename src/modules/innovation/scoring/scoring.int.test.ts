import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp, signedInAs } from '../../../../test/support/kit.ts';
import { access, aProgrammeWithCases, currentProgramme } from '../../../../test/support/innovation.ts';
import { listCriteria } from '../programmes/programmes.repository.ts';
import { declareInterest, moderationView, scoreCase } from './scoring.service.ts';

describe('scoring at Investment Day', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  it('keeps a conflicted member from scoring the case or seeing the others’ scores', async () => {
    const w = await aProgrammeWithCases(t.db, { requestedPence: [1_000_00, 2_000_00], stage: 'investment_day' });
    const criteria = await listCriteria(t.db, w.programmeId);
    const [clear, conflicted] = w.panel;
    const caseId = w.caseIds[0];
    const form = Object.fromEntries(criteria.flatMap((c) => [[`score-${c.id}`, '4'], [`comment-${c.id}`, 'Clear plan']]));

    const clearClient = await signedInAs(t, clear);
    // Scoring before declaring is refused.
    const early = await clearClient.postForm(`/programmes/${w.programmeId}/cases/${caseId}/score`, form);
    expect(early.statusCode).toBe(409);
    expect(early.body).toContain('Say whether you have a conflict of interest with this case before you score it');
    expect((await clearClient.postForm(`/programmes/${w.programmeId}/cases/${caseId}/conflict`, { conflicted: 'no' })).statusCode).toBe(303);
    expect((await clearClient.postForm(`/programmes/${w.programmeId}/cases/${caseId}/score`, form)).statusCode).toBe(303);

    const conflictedClient = await signedInAs(t, conflicted);
    const noReason = await conflictedClient.postForm(`/programmes/${w.programmeId}/cases/${caseId}/conflict`, { conflicted: 'yes' });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.body).toContain('Say briefly what the conflict of interest is');
    expect((await conflictedClient.postForm(`/programmes/${w.programmeId}/cases/${caseId}/conflict`, { conflicted: 'yes', reason: 'I am a trustee of the charity in this team' })).statusCode).toBe(303);
    const refused = await conflictedClient.postForm(`/programmes/${w.programmeId}/cases/${caseId}/score`, form);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('You declared a conflict of interest with this case, so you cannot score it');
    await expect(
      scoreCase(t.db, conflicted.actor, await access(t.db, conflicted, w.programmeId), await currentProgramme(t.db, w.programmeId), caseId, [{ criterionId: criteria[0].id, score: 3, comment: 'x' }]),
    ).rejects.toMatchObject({ status: 403 });
    // The database refuses it too.
    await expect(
      t.db.query("insert into case_scores (id, case_id, user_id, criterion_id, score) values (gen_random_uuid(), $1, $2, $3, 3)", [caseId, conflicted.id, criteria[0].id]),
    ).rejects.toThrow(/conflict of interest/);

    // Others' scores are hidden from the conflicted member: the case page is refused, the moderation row is hidden.
    const scoresPage = await conflictedClient.get(`/programmes/${w.programmeId}/moderation/${caseId}`);
    expect(scoresPage.statusCode).toBe(403);
    expect(scoresPage.body).not.toContain('Clear plan');
    const moderation = await conflictedClient.get(`/programmes/${w.programmeId}/moderation`);
    expect(moderation.body).toContain('Hidden: you have a conflict of interest');
    const view = await moderationView(t.db, conflicted.actor, await access(t.db, conflicted, w.programmeId), await currentProgramme(t.db, w.programmeId));
    expect(view.rows.find((r) => r.id === caseId)).toMatchObject({ hidden: true, stats: null });

    // The unconflicted member sees the case's weighted mean.
    const clearView = await clearClient.get(`/programmes/${w.programmeId}/moderation/${caseId}`);
    expect(clearView.statusCode).toBe(200);
    expect(clearView.body).toMatch(/Weighted mean score<\/dt><dd class="nhsuk-summary-list__value">4.00 out of 5/);
    expect(clearView.body).toContain('Clear plan');

    // Declaring a conflict after scoring removes the scores.
    await declareInterest(t.db, clear.actor, await access(t.db, clear, w.programmeId), await currentProgramme(t.db, w.programmeId), caseId, { conflicted: true, reason: 'Realised I know the team' });
    expect(await t.db.query('select 1 from case_scores where case_id = $1 and user_id = $2', [caseId, clear.id])).toHaveLength(0);
  });

  it('refuses scores outside 0 to 5 and asks for a comment on each criterion', async () => {
    const w = await aProgrammeWithCases(t.db, { requestedPence: [1_000_00], stage: 'investment_day' });
    const criteria = await listCriteria(t.db, w.programmeId);
    const member = w.panel[0];
    const client = await signedInAs(t, member);
    await client.postForm(`/programmes/${w.programmeId}/cases/${w.caseIds[0]}/conflict`, { conflicted: 'no' });
    const form: Record<string, string> = Object.fromEntries(criteria.flatMap((c) => [[`score-${c.id}`, '3'], [`comment-${c.id}`, 'Fine']]));
    form[`score-${criteria[0].id}`] = '7';
    form[`comment-${criteria[1].id}`] = '';
    const response = await client.postForm(`/programmes/${w.programmeId}/cases/${w.caseIds[0]}/score`, form);
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain(`The score for ${criteria[0].name} must be a whole number from 0 to 5`);
    expect(response.body).toContain(`Add a comment for ${criteria[1].name}`);
    expect(await t.db.query('select 1 from case_scores where case_id = $1', [w.caseIds[0]])).toHaveLength(0);
    await expect(
      scoreCase(t.db, member.actor, await access(t.db, member, w.programmeId), await currentProgramme(t.db, w.programmeId), w.caseIds[0], [{ criterionId: criteria[0].id, score: -1, comment: 'x' }]),
    ).rejects.toMatchObject({ status: 422 });
    await expect(t.db.query("insert into case_scores (id, case_id, user_id, criterion_id, score) values (gen_random_uuid(), $1, $2, $3, 6)", [w.caseIds[0], member.id, criteria[0].id])).rejects.toThrow();
  });

  it('shows weighted means, spread and outlying scores in the moderation view', async () => {
    const w = await aProgrammeWithCases(t.db, { requestedPence: [1_000_00], stage: 'investment_day' });
    const criteria = await listCriteria(t.db, w.programmeId);
    const scores = [5, 4, 1];
    for (const [i, member] of w.panel.entries()) {
      const a = await access(t.db, member, w.programmeId);
      const p = await currentProgramme(t.db, w.programmeId);
      await declareInterest(t.db, member.actor, a, p, w.caseIds[0], { conflicted: false, reason: '' });
      await scoreCase(t.db, member.actor, a, p, w.caseIds[0], criteria.map((c) => ({ criterionId: c.id, score: scores[i], comment: 'ok' })));
    }
    const client = await signedInAs(t, w.manager);
    const page = await client.get(`/programmes/${w.programmeId}/moderation`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('3.33'); // (5 + 4 + 1) / 3
    expect(page.body).toContain('4.00'); // spread
    expect(page.body).toContain(`${w.panel[2].name}: 1</span> on ${criteria[0].name}`);
    // Participants cannot see the moderation view.
    const participant = await signedInAs(t, w.participants[0]);
    expect((await participant.get(`/programmes/${w.programmeId}/moderation`)).statusCode).toBe(403);
  });
});
