import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, ukToday } from '../../platform/dates.ts';
import { aSignedInUser, brokenErrorSummaryLinks, createTestApp, type TestApp } from '../../../test/support/kit.ts';
import { aFund, aGrant, grantFields } from '../../../test/support/grants.ts';
import { pdfText } from '../../../test/support/pdf-text.ts';

const errorText = (body: string) => /nhsuk-error-summary[\s\S]*?<\/ul>/.exec(body)?.[0].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ') ?? '';
const tranche = async (t: TestApp, grantId: string, position: number) =>
  (await t.db.query<{ id: string; status: string }>('select id, status from grant_tranches where grant_id = $1 and position = $2', [grantId, position]))[0];

describe('grants: from award to signed closure', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('refuses a fund whose dates are out of order, naming the field, and saves nothing', async () => {
    const s = await aFund(t);
    const before = (await t.db.query<{ n: number }>('select count(*)::int as n from grant_funds'))[0].n;
    const response = await s.manager.postForm('/grants/funds', { funderOrganisationId: s.funderId, name: 'Backwards', total: '1000', opensOn: '2026-05-01', closesOn: '2026-04-01' });
    expect(response.statusCode).toBe(422);
    expect(errorText(response.body)).toContain('The close date must be the same as or after the open date');
    expect(brokenErrorSummaryLinks(response.body)).toEqual([]);
    expect((await t.db.query<{ n: number }>('select count(*)::int as n from grant_funds'))[0].n).toBe(before);
  });

  it('never lets the grants awarded pass the fund: a clear message, nothing saved; and the database itself refuses it', async () => {
    const s = await aFund(t, '15000');
    await aGrant(t, s);
    const over = await s.manager.postForm(`/grants/funds/${s.fundId}/grants`, grantFields(s, { amount: '6000', budgetLines: 'Staff: £6,000' }));
    expect(over.statusCode).toBe(409);
    expect(errorText(over.body)).toContain('£6,000.00 is more than the £5,000.00 left in Test community fund');
    expect(brokenErrorSummaryLinks(over.body)).toEqual([]);
    expect((await t.db.query<{ n: number }>('select count(*)::int as n from grants where fund_id = $1', [s.fundId]))[0].n).toBe(1);
    // Past the service: the trigger locks the fund and checks the total.
    await expect(t.db.query(`update grants set amount_pence = 1600000 where fund_id = $1`, [s.fundId])).rejects.toThrow(/would exceed the fund/);
  });

  it('refuses planned dates out of order, budget lines that do not add up, and an unknown place, each by its field', async () => {
    const s = await aFund(t);
    const dates = await s.manager.postForm(`/grants/funds/${s.fundId}/grants`, grantFields(s, { plannedStart: '2026-06-01', plannedEnd: '2026-05-01' }));
    expect(dates.statusCode).toBe(422);
    expect(errorText(dates.body)).toContain('The planned end date must be the same as or after the planned start date');
    const budget = await s.manager.postForm(`/grants/funds/${s.fundId}/grants`, grantFields(s, { budgetLines: 'Staff: £6,000\nActivities: £3,000' }));
    expect(errorText(budget.body)).toContain('The budget lines add up to £9,000.00, not the £10,000.00 awarded');
    const place = await s.manager.postForm(`/grants/funds/${s.fundId}/grants`, grantFields(s, { locations: 'nowhere' }));
    expect(errorText(place.body)).toContain('“NOWHERE” is not a postcode or an area code');
    for (const r of [dates, budget, place]) expect(brokenErrorSummaryLinks(r.body)).toEqual([]);
  });

  it('takes a grant through tranches, a spend return, a late move, the final report, the letter and both signatures to closed', async () => {
    const s = await aFund(t);
    const id = await aGrant(t, s);
    const page = `/grants/${id}`;

    // Tranches must add up exactly.
    const short = await s.manager.postForm(`${page}/schedule`, { schedule: `${ukToday()}, £4,000, on signing\n${addDays(ukToday(), 10)}, £5,000` });
    expect(short.statusCode).toBe(422);
    expect(errorText(short.body)).toContain('The tranches add up to £9,000.00, not the £10,000.00 awarded (£1,000.00 short)');
    expect((await t.db.query('select 1 from grant_tranches where grant_id = $1', [id])).length).toBe(0);
    expect((await s.manager.postForm(`${page}/schedule`, { schedule: `${addDays(ukToday(), -300)}, £6,000, on signing\n${addDays(ukToday(), 20)}, £4,000, on receipt of the final report` })).statusCode).toBe(303);

    // £6,000 is above the £5,000 threshold: a second grants manager approves it; the one who released it cannot.
    const first = await tranche(t, id, 0);
    expect((await s.manager.postForm(`${page}/tranches/${first.id}/release`, {})).statusCode).toBe(303);
    expect((await tranche(t, id, 0)).status).toBe('awaiting_approval');
    const self = await s.manager.postForm(`${page}/tranches/${first.id}/approve`, {});
    expect(self.statusCode).toBe(403);
    expect(errorText(self.body)).toContain('a second grants manager must approve it');
    expect((await s.secondManager.postForm(`${page}/tranches/${first.id}/approve`, {})).statusCode).toBe(303);
    const noRef = await s.manager.postForm(`${page}/tranches/${first.id}/paid`, { paidOn: ukToday(), paymentReference: '' });
    expect(errorText(noRef.body)).toContain('Enter the payment reference');
    expect(brokenErrorSummaryLinks(noRef.body)).toEqual([]);
    expect((await s.manager.postForm(`${page}/tranches/${first.id}/paid`, { paidOn: ukToday(), paymentReference: 'BACS-0001' })).statusCode).toBe(303);
    // £4,000 is at or below the threshold: one manager releases and approves it.
    const second = await tranche(t, id, 1);
    await s.manager.postForm(`${page}/tranches/${second.id}/release`, {});
    expect((await tranche(t, id, 1)).status).toBe('approved');

    // A spend return from the grantee's editor; variance shown to both sides.
    await s.manager.postForm(`${page}/reports`, { kind: 'spend_return', dueOn: addDays(ukToday(), 3) });
    const [spendReturn] = await t.db.query<{ id: string }>(`select id from grant_reports where grant_id = $1 and kind = 'spend_return'`, [id]);
    const lines = await t.db.query<{ id: string; description: string }>('select id, description from grant_budget_lines where grant_id = $1 order by position', [id]);
    const missing = await s.editor.postForm(`${page}/reports/${spendReturn.id}/submit`, { narrative: 'Going well.', [`spend-${lines[0].id}`]: '3000' });
    expect(missing.statusCode).toBe(422);
    expect(errorText(missing.body)).toContain('Enter what was spent on “Activities” so far');
    expect(brokenErrorSummaryLinks(missing.body)).toEqual([]);
    const spent = { [`spend-${lines[0].id}`]: '3000', [`spend-${lines[1].id}`]: '1,500', [`spend-${lines[2].id}`]: '100' };
    expect((await s.editor.postForm(`${page}/reports/${spendReturn.id}/submit`, { narrative: 'Walks every week; 40 people.', ...spent })).statusCode).toBe(303);
    for (const who of [s.editor, s.manager]) expect((await who.get(page)).body).toMatch(/data-variance>£5,400.00</);

    // A small late move (£500 of £10,000, within 10% and £1,000, in the last three months): the manager alone approves it; a new budget version is kept.
    const tooMuch = await s.editor.postForm(`${page}/changes/move`, { fromLineId: lines[2].id, toLineId: lines[1].id, amount: '1,500', reason: 'More sessions' });
    expect(errorText(tooMuch.body)).toContain('“Volunteer expenses” has only £1,000.00 to move');
    await s.editor.postForm(`${page}/changes/move`, { fromLineId: lines[2].id, toLineId: lines[1].id, amount: '500', reason: 'Fewer journeys, more sessions' });
    const [change] = await t.db.query<{ id: string }>('select id from grant_change_requests where grant_id = $1', [id]);
    expect((await s.manager.postForm(`${page}/changes/${change.id}/decide`, { decision: 'approve', decisionReason: 'Within the late-move limits' })).statusCode).toBe(303);
    expect((await t.db.query<{ amount_pence: number }>('select amount_pence from grant_budget_lines where id = $1', [lines[1].id]))[0].amount_pence).toBe(350_000);
    expect((await t.db.query<{ n: number }>('select count(*)::int as n from grant_budget_versions where grant_id = $1', [id]))[0].n).toBe(2);

    // Final report, accepted; the last tranche paid; the checklist.
    await s.manager.postForm(`${page}/reports`, { kind: 'final', dueOn: addDays(ukToday(), 25) });
    const [final] = await t.db.query<{ id: string }>(`select id from grant_reports where grant_id = $1 and kind = 'final'`, [id]);
    const finalSpend = { [`spend-${lines[0].id}`]: '6000', [`spend-${lines[1].id}`]: '3500', [`spend-${lines[2].id}`]: '500' };
    expect((await s.editor.postForm(`${page}/reports/${final.id}/submit`, { narrative: 'All done: 120 people walked.', ...finalSpend })).statusCode).toBe(303);
    expect((await s.manager.postForm(`${page}/reports/${final.id}/accept`, {})).statusCode).toBe(303);
    expect((await s.manager.postForm(`${page}/tranches/${second.id}/paid`, { paidOn: ukToday(), paymentReference: 'BACS-0002' })).statusCode).toBe(303);
    const checklist = { finalReportReviewed: 'yes', spendReconciled: 'yes', meetingNotes: 'Call held; nothing outstanding.', intellectualProperty: 'The walk maps belong to the grantee.', personalData: 'Deleted within three months.', communications: 'Name the funder until it closes.', assets: 'None bought.' };
    expect((await s.manager.postForm(`${page}/closure`, checklist)).statusCode).toBe(303);

    // The letter: drafted from the template with the sections, commented on, revised, signed.
    expect((await s.manager.postForm(`${page}/letter`, {})).statusCode).toBe(303);
    const v1 = (await t.db.query<{ body: string; fingerprint: string }>('select body, fingerprint from grant_letter_versions where grant_id = $1 and version = 1', [id]))[0];
    expect(v1.body).toContain('The walk maps belong to the grantee.');
    expect(v1.body).not.toContain('{{');
    expect((await s.editor.postForm(`${page}/letter/comments`, { comment: 'Please say the maps may be shared.', suggestedText: 'The walk maps belong to the grantee, who lets the funder share them.' })).statusCode).toBe(303);
    // Someone who is neither party's signatory is refused.
    const stranger = await aSignedInUser(t, 'organisation_editor');
    expect((await stranger.client.postForm(`${page}/letter/signatures`, { party: 'grantee', typedName: 'Sam Stranger', signerRole: 'Chair', signedOn: ukToday(), fingerprint: v1.fingerprint })).statusCode).toBe(403);
    // The grantee's editor cannot sign for the funder.
    const wrongParty = await s.editor.postForm(`${page}/letter/signatures`, { party: 'funder', typedName: 'Eve Editor', signerRole: 'Chair', signedOn: ukToday(), fingerprint: v1.fingerprint });
    expect(wrongParty.statusCode).toBe(403);
    expect(errorText(wrongParty.body)).toContain('Only the fund’s grants managers can sign for the funder');
    // The funder signs version 1, then revises the letter: that signature no longer counts, and signing the old text is refused.
    expect((await s.manager.postForm(`${page}/letter/signatures`, { party: 'funder', typedName: 'Fran Funder', signerRole: 'Grants manager', signedOn: ukToday(), fingerprint: v1.fingerprint })).statusCode).toBe(303);
    const revised = v1.body.replace('The walk maps belong to the grantee.', 'The walk maps belong to the grantee, who lets the funder share them.');
    expect((await s.manager.postForm(`${page}/letter/versions`, { body: revised, note: 'Took in the grantee’s wording' })).statusCode).toBe(303);
    const stale = await s.editor.postForm(`${page}/letter/signatures`, { party: 'grantee', typedName: 'Eve Editor', signerRole: 'Chair', signedOn: ukToday(), fingerprint: v1.fingerprint });
    expect(stale.statusCode).toBe(409);
    expect(errorText(stale.body)).toContain('The letter has changed since you read it: version 2 is now the current one');
    expect(brokenErrorSummaryLinks(stale.body)).toEqual([]);
    const notYet = await s.manager.postForm(`${page}/close`, {});
    expect(notYet.statusCode).toBe(409);
    expect(errorText(notYet.body)).toContain('the funder has not signed the current version (2)');
    const v2 = (await t.db.query<{ fingerprint: string }>('select fingerprint from grant_letter_versions where grant_id = $1 and version = 2', [id]))[0];
    expect((await s.editor.postForm(`${page}/letter/signatures`, { party: 'grantee', typedName: 'Eve Editor', signerRole: 'Chair', signedOn: ukToday(), fingerprint: v2.fingerprint })).statusCode).toBe(303);
    expect((await s.manager.postForm(`${page}/letter/signatures`, { party: 'funder', typedName: 'Fran Funder', signerRole: 'Grants manager', signedOn: ukToday(), fingerprint: v2.fingerprint })).statusCode).toBe(303);
    expect((await s.manager.postForm(`${page}/close`, {})).statusCode).toBe(303);
    expect((await t.db.query<{ stage: string }>('select stage from grants where id = $1', [id]))[0].stage).toBe('closed');

    // The PDF shows both signatures, each naming version 2's fingerprint.
    const pdf = await s.editor.get(`${page}/letter.pdf`);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = pdfText(pdf.rawPayload);
    expect(text).toContain('Signed: Fran Funder, Grants manager');
    expect(text).toContain('Signed: Eve Editor, Chair');
    expect(text.match(new RegExp(`Signed version fingerprint: ${v2.fingerprint}`, 'g'))).toHaveLength(2);

    // Nothing more on a closed grant: a report is refused with the reason.
    const late = await s.manager.postForm(`${page}/reports`, { kind: 'progress', dueOn: addDays(ukToday(), 5) });
    expect(late.statusCode).toBe(409);
    expect(errorText(late.body)).toContain('This grant was closed on');
    expect(brokenErrorSummaryLinks(late.body)).toEqual([]);

    // Every change was audited.
    const actions = (await t.db.query<{ action: string }>(`select distinct action from audit_log where record_type = 'grant' and record_id = $1`, [id])).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['created', 'scheduled_payments', 'released_tranche', 'approved_tranche', 'paid_tranche', 'submitted_report', 'accepted_report', 'requested_change', 'approved_change', 'drafted_closure_letter', 'signed_closure_letter', 'closed', 'viewed']));
  });

  it('keeps the spend-out dashboard true after every change, though it keeps its figures between changes', async () => {
    const s = await aFund(t, '100000', { spendOutOn: addDays(ukToday(), 183) });
    const stageCount = async () => /data-stage="awarded">(\d+)</.exec((await s.manager.get(`/grants/funds/${s.fundId}`)).body)?.[1];
    await aGrant(t, s);
    expect(await stageCount()).toBe('1');
    expect(await stageCount()).toBe('1');
    await aGrant(t, s, { title: 'A second grant' });
    expect(await stageCount()).toBe('2');
    const page = (await s.manager.get(`/grants/funds/${s.fundId}`)).body;
    expect(page).toContain('<svg');
    expect(page).toContain('role="img"');
    // Ending 30 days from now, after the work deadline (six months before a spend-out six months away): at risk.
    expect(page).toContain('Ends after the deadline');
  });

  it('needs two grants managers for a change beyond the fund’s late-move limits', async () => {
    const s = await aFund(t);
    const id = await aGrant(t, s);
    const lines = await t.db.query<{ id: string }>('select id from grant_budget_lines where grant_id = $1 order by position', [id]);
    await s.editor.postForm(`/grants/${id}/changes/move`, { fromLineId: lines[0].id, toLineId: lines[1].id, amount: '2000', reason: 'A bigger change' });
    const [change] = await t.db.query<{ id: string }>('select id from grant_change_requests where grant_id = $1', [id]);
    await s.manager.postForm(`/grants/${id}/changes/${change.id}/decide`, { decision: 'approve', decisionReason: 'Fine by me' });
    expect((await t.db.query<{ status: string }>('select status from grant_change_requests where id = $1', [change.id]))[0].status).toBe('pending');
    const again = await s.manager.postForm(`/grants/${id}/changes/${change.id}/decide`, { decision: 'approve', decisionReason: 'Still fine' });
    expect(again.statusCode).toBe(403);
    await s.secondManager.postForm(`/grants/${id}/changes/${change.id}/decide`, { decision: 'approve', decisionReason: 'Agreed' });
    expect((await t.db.query<{ status: string }>('select status from grant_change_requests where id = $1', [change.id]))[0].status).toBe('approved');
  });

  it('shows a grantee editor their own organisation’s grants only, and managers only their funds', async () => {
    const s = await aFund(t);
    const id = await aGrant(t, s);
    expect((await s.editor.get(`/grants/${id}`)).statusCode).toBe(200);
    const otherEditor = await aSignedInUser(t, 'organisation_editor');
    expect((await otherEditor.client.get(`/grants/${id}`)).statusCode).toBe(403);
    const otherManager = await aSignedInUser(t, 'grants_manager');
    expect((await otherManager.client.get(`/grants/${id}`)).statusCode).toBe(403);
    expect((await otherManager.client.get(`/grants/funds/${s.fundId}`)).statusCode).toBe(403);
    expect((await otherEditor.client.get('/grants/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    const list = await s.editor.get('/grants');
    expect(list.body).toContain('Walking groups for older people');
    expect(list.body).not.toContain('Set up a fund');
  });

  it('turns an Investment Day decision into a grant with one action, carrying the organisation, amount and programme across', async () => {
    const s = await aFund(t, '100000', {});
    const [{ id: programmeId }] = await t.db.query<{ id: string }>(`insert into programmes (id, name, fund_pence) values (gen_random_uuid(), 'Healthy Ageing', 5000000) returning id`);
    const [{ id: ideaId }] = await t.db.query<{ id: string }>(
      `insert into ideas (id, programme_id, title, problem, who_benefits, idea, how_we_know, organisation_id) values (gen_random_uuid(), $1, 'Tea and talk', 'p', 'w', 'i', 'h', $2) returning id`,
      [programmeId, s.granteeId],
    );
    const [{ id: teamId }] = await t.db.query<{ id: string }>(`insert into teams (id, programme_id, idea_id, name) values (gen_random_uuid(), $1, $2, 'Tea and talk team') returning id`, [programmeId, ideaId]);
    const [{ id: caseId }] = await t.db.query<{ id: string }>(
      `insert into investment_cases (id, programme_id, team_id, requested_pence, summary, outcomes, evaluation_plan, risks) values (gen_random_uuid(), $1, $2, 800000, 'Weekly tea and talk sessions in the library.', 'o', 'e', 'r') returning id`,
      [programmeId, teamId],
    );
    await t.db.query(`insert into case_budget_lines (id, case_id, description, amount_pence) values (gen_random_uuid(), $1, 'Sessions', 800000)`, [caseId]);
    const [{ id: decisionId }] = await t.db.query<{ id: string }>(
      `insert into investment_decisions (id, programme_id, case_id, outcome, awarded_pence, feedback) values (gen_random_uuid(), $1, $2, 'fund_full', 800000, 'Yes') returning id`,
      [programmeId, caseId],
    );
    const form = await s.manager.get(`/grants/funds/${s.fundId}/from-decision/${decisionId}`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain(`name="recipientOrganisationId" value="${s.granteeId}"`);
    expect(form.body).toContain('Sessions: £8,000.00');
    const values = Object.fromEntries([...form.body.matchAll(/name="(\w+)"[^>]*value="([^"]*)"/g)].map((m) => [m[1], m[2].replace(/&amp;/g, '&')]));
    const response = await s.manager.postForm(`/grants/funds/${s.fundId}/grants`, {
      ...grantFields(s, { amount: values.amount, title: values.title, budgetLines: 'Sessions: £8,000.00', investmentDecisionId: decisionId, description: 'Weekly tea and talk sessions in the library.' }),
    });
    expect(response.statusCode).toBe(303);
    expect((await t.db.query<{ amount_pence: number; investment_decision_id: string }>('select amount_pence, investment_decision_id from grants where investment_decision_id = $1', [decisionId]))[0].amount_pence).toBe(800000);
    const twice = await s.manager.get(`/grants/funds/${s.fundId}/from-decision/${decisionId}`);
    expect(twice.statusCode).toBe(409);
  });
});
