import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signedInAs, type TestApp, type TestClient } from '../../../test/support/kit.ts';
import { startRecordingSmtpServer } from '../../../test/support/mail.ts';
import { createMailer } from '../../platform/mailer.ts';
import { buildPartnership, postMultipart, openCaseThroughForms } from '../../../test/support/social-prescribing.ts';
import { sendReferralReminders } from './connect/connect.service.ts';
import { addDays, ukToday } from '../../platform/dates.ts';

describe('social prescribing: cases, the closed loop, measures, cohorts and governance', () => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof buildPartnership>>;
  let lw: TestClient;
  const today = ukToday();

  const openCase = (name: string) => openCaseThroughForms(t, w, lw, name);

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildPartnership(t);
    lw = await signedInAs(t, w.lw);
  });
  afterAll(async () => t?.close());

  it('shows only the PCN’s team (and admins) a case, and writes every view to the audit log', async () => {
    const { caseId, personId } = await openCase('Privata');
    expect((await lw.get(`/social-prescribing/cases/${caseId}`)).statusCode).toBe(200);
    expect((await (await signedInAs(t, w.admin)).get(`/social-prescribing/cases/${caseId}`)).statusCode).toBe(200);
    for (const outsider of [w.otherLw, w.editor, w.gpStaff]) {
      const c = await signedInAs(t, outsider);
      const r = await c.get(`/social-prescribing/cases/${caseId}`);
      expect(r.statusCode).toBe(403);
      expect((await c.get(`/social-prescribing/people/${personId}`)).statusCode).toBe(403);
    }
    expect((await (await signedInAs(t, w.otherLw)).get(`/api/v1/social-prescribing/cases/${caseId}`)).statusCode).toBe(403);
    expect((await lw.get('/social-prescribing/cases/not-a-uuid')).statusCode).toBe(404);
    expect((await lw.get('/social-prescribing/cases/00000000-0000-0000-0000-000000000000')).statusCode).toBe(404);
    const views = await t.db.query<{ actor_user_id: string }>("select actor_user_id from audit_log where record_type = 'sp_person' and record_id = $1 and action = 'viewed'", [personId]);
    expect(views.map((v) => v.actor_user_id)).toEqual(expect.arrayContaining([w.lw.id, w.admin.id]));
    expect(views.map((v) => v.actor_user_id)).not.toContain(w.otherLw.id);
  });

  it('refuses the second of two saves of the same case version, says why, keeps the input and loses nothing', async () => {
    const { caseId } = await openCase('Concurra');
    const colleague = await signedInAs(t, w.lw2);
    const [{ version }] = await t.db.query<{ version: number }>('select version from sp_cases where id = $1', [caseId]);
    const first = await lw.postForm(`/social-prescribing/cases/${caseId}/status`, { version: String(version), status: 'on_hold' });
    expect(first.statusCode).toBe(303);
    const second = await colleague.postForm(`/social-prescribing/cases/${caseId}/status`, { version: String(version), status: 'closed', closedReason: 'Moved away – typed by colleague' });
    expect(second.statusCode).toBe(409);
    expect(second.body).toContain('Someone else changed this case while you were editing it');
    expect(second.body).toContain('Moved away – typed by colleague');
    const [after] = await t.db.query<{ status: string; version: number }>('select status, version from sp_cases where id = $1', [caseId]);
    expect(after).toEqual({ status: 'on_hold', version: version + 1 });
    // The redisplayed form carries the current version, so saving again on purpose works.
    expect(second.body).toContain(`name="version" value="${version + 1}"`);
    const reassignStale = await colleague.postForm(`/social-prescribing/cases/${caseId}/reassign`, { version: String(version), linkWorkerId: w.lw2.id });
    expect(reassignStale.statusCode).toBe(409);
  });

  it('needs a reason to close, reassigns only within the team, and refuses contacts in the future', async () => {
    const { caseId } = await openCase('Rulesa');
    const [{ version }] = await t.db.query<{ version: number }>('select version from sp_cases where id = $1', [caseId]);
    const close = await lw.postForm(`/social-prescribing/cases/${caseId}/status`, { version: String(version), status: 'closed' });
    expect(close.statusCode).toBe(422);
    expect(close.body).toContain('Enter why the case is closed');
    const outsider = await lw.postForm(`/social-prescribing/cases/${caseId}/reassign`, { version: String(version), linkWorkerId: w.otherLw.id });
    expect(outsider.statusCode).toBe(422);
    expect(outsider.body).toContain('Select a link worker in this PCN’s team');
    const future = await lw.postForm(`/social-prescribing/cases/${caseId}/contacts`, { method: 'phone', outcome: 'made', contactedOn: addDays(today, 2) });
    expect(future.statusCode).toBe(422);
    expect(future.body).toContain('today or in the past');
    const ok = await lw.postForm(`/social-prescribing/cases/${caseId}/contacts`, { method: 'home_visit', outcome: 'made', contactedOn: today, durationMinutes: '45', notes: 'Talked about the garden.' });
    expect(ok.statusCode).toBe(303);
    const [c] = await t.db.query<{ status: string }>('select status from sp_cases where id = $1', [caseId]);
    expect(c.status).toBe('contacting');
    const moved = await lw.postForm(`/social-prescribing/cases/${caseId}/reassign`, { version: String(version + 1), linkWorkerId: w.lw2.id });
    expect(moved.statusCode).toBe(303);
  });

  it('shows due and overdue follow-ups on the caseload; a weekly call comes back next week until stopped', async () => {
    const { caseId } = await openCase('Weekly');
    await lw.postForm(`/social-prescribing/cases/${caseId}/follow-ups`, { description: 'Weekly wellbeing call', dueOn: today, repeatsWeekly: 'yes' });
    const { caseId: late } = await openCase('Latecomer');
    await lw.postForm(`/social-prescribing/cases/${late}/follow-ups`, { description: 'Check on the bus pass', dueOn: addDays(today, -3) });
    const page = await lw.get('/social-prescribing');
    const dueSection = page.body.slice(page.body.indexOf('id="due-today"'), page.body.indexOf('id="open-cases"'));
    const overdueSection = page.body.slice(page.body.indexOf('id="overdue"'), page.body.indexOf('id="due-today"'));
    expect(dueSection).toContain('Weekly Testperson');
    expect(overdueSection).toContain('Latecomer Testperson');
    const [f] = await t.db.query<{ id: string }>('select id from sp_follow_ups where case_id = $1', [caseId]);
    await lw.postForm(`/social-prescribing/follow-ups/${f.id}/done`, {});
    const [next] = await t.db.query<{ status: string; due_on: string }>('select status, due_on from sp_follow_ups where id = $1', [f.id]);
    expect(next).toEqual({ status: 'open', due_on: addDays(today, 7) });
    await lw.postForm(`/social-prescribing/follow-ups/${f.id}/stop`, {});
    const [stopped] = await t.db.query<{ status: string }>('select status from sp_follow_ups where id = $1', [f.id]);
    expect(stopped.status).toBe('stopped');
    expect((await lw.postForm(`/social-prescribing/follow-ups/${f.id}/done`, {})).statusCode).toBe(409);
  });

  it('refers to a community organisation with only the consented details, closes the loop, and reminds at 7 days', async () => {
    const { caseId, personId } = await openCase('Loopa');
    const form = await lw.get(`/social-prescribing/cases/${caseId}/connect`);
    expect(form.body).toContain('Test Friendship Lunch Club');
    const noConsent = await lw.postForm(`/social-prescribing/cases/${caseId}/connect/${w.service.id}`, { kind: 'refer', sharedFields: ['name'] });
    expect(noConsent.statusCode).toBe(422);
    expect(noConsent.body).toContain('Confirm the person agreed to share these details');
    const sent = await lw.postForm(`/social-prescribing/cases/${caseId}/connect/${w.service.id}`, { kind: 'refer', sharedFields: ['name', 'phone'], consentConfirmed: 'yes', notes: 'Enjoys cooking.' });
    expect(sent.statusCode).toBe(303);
    const [onward] = await t.db.query<{ id: string; shared_details: Record<string, unknown> }>('select id, shared_details from sp_onward_referrals where case_id = $1', [caseId]);
    expect(onward.shared_details).toEqual({ name: 'Loopa Testperson', phone: '01632 960123' });
    const [consent] = await t.db.query<{ fields: string[]; organisation_id: string }>("select fields, organisation_id from sp_consents where person_id = $1 and kind = 'share_with_organisation'", [personId]);
    expect(consent).toEqual({ fields: ['name', 'phone'], organisation_id: w.charity.id });

    const editor = await signedInAs(t, w.editor);
    const inbox = await editor.get('/social-prescribing/referrals-received');
    expect(inbox.body).toContain('Loopa Testperson');
    const item = await editor.get(`/social-prescribing/referrals-received/${onward.id}`);
    expect(item.body).toContain('01632 960123');
    // Who referred, and how to reach them.
    expect(item.body).toContain(w.lw.name);
    expect(item.body).toContain(w.lw.email);
    for (const secret of ['1950', 'ada@example.org', 'WY1 2AB', 'Lives alone since spring']) expect(item.body).not.toContain(secret);
    const other = await signedInAs(t, w.otherEditor);
    expect((await other.get(`/social-prescribing/referrals-received/${onward.id}`)).statusCode).toBe(403);
    expect((await editor.get(`/social-prescribing/cases/${caseId}`)).statusCode).toBe(403);

    // Reminder at 7 days, once; none before.
    const sentOn = new Date(`${today}T12:00:00Z`);
    expect(await sendReferralReminders(t.db, t.mailer, new Date(sentOn.getTime() + 6 * 86_400_000))).toBe(0);
    const before = t.mailer.outbox.length;
    // The hourly sweep (through the job runner) and another process sweeping at the same moment: one reminder.
    const day7 = new Date(sentOn.getTime() + 7 * 86_400_000);
    await t.app.jobs.ensureSweeps();
    const [viaRunner, direct] = await Promise.all([t.app.jobs.runDue(new Date(day7.getTime() + 3_600_000)), sendReferralReminders(t.db, t.mailer, day7)]);
    expect(viaRunner.failed).toBe(0);
    // The sweep ran (its next run is an hour on) and the two together reminded once.
    const [sweep] = await t.db.query<{ runAt: Date }>(`select run_at as "runAt" from jobs where unique_key like '%social-prescribing.referral-reminders'`);
    expect(new Date(sweep.runAt).getTime()).toBeGreaterThan(day7.getTime() + 3_600_000);
    expect(direct).toBeLessThanOrEqual(1);
    expect(t.mailer.outbox.slice(before).map((m) => m.to)).toEqual([w.editor.email]);
    // Email is off in this test: the referral's own email and the reminder both wait in the outbox.
    expect(await t.db.query(`select 1 from outbox where related_type = 'sp_onward_referral' and related_id = $1 and subject like 'Reminder:%'`, [onward.id])).toHaveLength(1);
    expect(t.mailer.outbox.at(-1)!.text).toContain(`/social-prescribing/referrals-received/${onward.id}`);
    expect(await sendReferralReminders(t.db, t.mailer, new Date(sentOn.getTime() + 8 * 86_400_000))).toBe(0);

    const noReason = await editor.postForm(`/social-prescribing/referrals-received/${onward.id}/answer`, { decision: 'decline' });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.body).toContain('Enter why you cannot take this referral');
    const early = await editor.postForm(`/social-prescribing/referrals-received/${onward.id}/attendance`, { attendance: 'started' });
    expect(early.statusCode).toBe(409);
    expect((await editor.postForm(`/social-prescribing/referrals-received/${onward.id}/answer`, { decision: 'accept' })).statusCode).toBe(303);
    expect((await editor.postForm(`/social-prescribing/referrals-received/${onward.id}/attendance`, { attendance: 'attending' })).statusCode).toBe(303);
    const casePage = await lw.get(`/social-prescribing/cases/${caseId}`);
    expect(casePage.body).toContain('Accepted');
    expect(casePage.body).toContain('Attending');
  });

  it('shows "no response" to the link worker once 14 days pass without an answer', async () => {
    const { caseId } = await openCase('Silentia');
    await lw.postForm(`/social-prescribing/cases/${caseId}/connect/${w.service.id}`, { kind: 'refer', sharedFields: ['name'], consentConfirmed: 'yes' });
    // Email is off in this test, so the link worker phoned it through: it reached them.
    const [onward] = await t.db.query<{ id: string }>('select id from sp_onward_referrals where case_id = $1', [caseId]);
    expect((await lw.postForm(`/social-prescribing/cases/${caseId}/onward/${onward.id}/delivered`, { how: 'phoned' })).statusCode).toBe(303);
    await t.db.query('update sp_onward_referrals set sent_on = $2 where case_id = $1', [caseId, addDays(today, -15)]);
    const page = await lw.get(`/social-prescribing/cases/${caseId}`);
    expect(page.body).toContain('No response');
    const api = await lw.get(`/api/v1/social-prescribing/cases/${caseId}`);
    expect(api.json().onwardReferrals[0].status).toBe('no_response');
  });

  it('records ONS4 and UCLA measures, refuses answers out of range, and shows change with ONS bands', async () => {
    const { caseId } = await openCase('Measura');
    const bad = await lw.postForm(`/social-prescribing/cases/${caseId}/measures`, { measure: 'ons4', stage: 'start', takenOn: today, a0: '11', a1: '4', a2: '', a3: '7' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Answer question 1 with a whole number from 0 to 10');
    expect(bad.body).toContain('Answer question 3 with a whole number from 0 to 10');
    expect(bad.body).toContain('value="11"');
    await lw.postForm(`/social-prescribing/cases/${caseId}/measures`, { measure: 'ons4', stage: 'start', takenOn: addDays(today, -60), a0: '3', a1: '4', a2: '5', a3: '8' });
    await lw.postForm(`/social-prescribing/cases/${caseId}/measures`, { measure: 'ons4', stage: 'review', takenOn: today, a0: '7', a1: '6', a2: '9', a3: '3' });
    await lw.postForm(`/social-prescribing/cases/${caseId}/measures`, { measure: 'ucla3', stage: 'start', takenOn: addDays(today, -60), a0: '3', a1: '3', a2: '2' });
    await lw.postForm(`/social-prescribing/cases/${caseId}/measures`, { measure: 'ucla3', stage: 'review', takenOn: today, a0: '1', a1: '2', a2: '1' });
    const [ucla] = await t.db.query<{ score: number }>("select score::float8 as score from sp_measurements where case_id = $1 and measure = 'ucla3' order by taken_on limit 1", [caseId]);
    expect(ucla.score).toBe(8);
    const page = await lw.get(`/social-prescribing/cases/${caseId}/measures`);
    expect(page.body).toContain('3 (Low)');
    expect(page.body).toContain('7 (High)');
    expect(page.body).toContain('+4');
    expect(page.body).toContain('8 (High)'); // anxiety at the start
    expect(page.body).toContain('3 (Low)');
    expect(page.body).toContain('-4'); // UCLA 8 → 4
  });

  it('sends the GP practice an outcome summary when the case closes, only with the person’s consent, and audits it', async () => {
    const { caseId, personId } = await openCase('Gpshara');
    const take = (measure: string, stage: string, answers: string[]) => lw.postForm(`/social-prescribing/cases/${caseId}/measures`, { measure, stage, takenOn: today, ...Object.fromEntries(answers.map((a, i) => [`a${i}`, a])) });
    await take('ons4', 'start', ['3', '4', '2', '8']);
    await take('ucla3', 'start', ['3', '3', '2']);
    await lw.postForm(`/social-prescribing/cases/${caseId}/connect/${w.service.id}`, { kind: 'refer', sharedFields: ['name'], consentConfirmed: 'yes' });
    const [onward] = await t.db.query<{ id: string }>('select id from sp_onward_referrals where case_id = $1', [caseId]);
    const editor = await signedInAs(t, w.editor);
    expect((await editor.postForm(`/social-prescribing/referrals-received/${onward.id}/answer`, { decision: 'accept' })).statusCode).toBe(303);
    expect((await editor.postForm(`/social-prescribing/referrals-received/${onward.id}/attendance`, { attendance: 'attending' })).statusCode).toBe(303);
    await take('ons4', 'end', ['7', '7', '8', '3']);
    await take('ucla3', 'end', ['1', '2', '1']);
    await lw.postForm(`/social-prescribing/cases/${caseId}/follow-ups`, { description: 'Weekly wellbeing call', dueOn: today, repeatsWeekly: 'yes' });
    const [{ version }] = await t.db.query<{ version: number }>('select version from sp_cases where id = $1', [caseId]);
    expect((await lw.postForm(`/social-prescribing/cases/${caseId}/status`, { version: String(version), status: 'closed', closedReason: 'Goals met' })).statusCode).toBe(303);
    // Closing stops the calls: nothing stays due on a closed case.
    expect(await t.db.query('select status from sp_follow_ups where case_id = $1', [caseId])).toEqual([{ status: 'stopped' }]);
    await t.db.query('update organisations set email = $2 where id = $1', [w.practice.id, 'surgery@example.org']);
    const mailsBefore = t.mailer.outbox.length;

    // No consent yet: the page says why, and sending is refused.
    const noConsent = await lw.get(`/social-prescribing/cases/${caseId}`);
    expect(noConsent.body).toContain('has not agreed to share their outcomes with their GP');
    const refused = await lw.postForm(`/social-prescribing/cases/${caseId}/gp-summary`, { how: 'email' });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('Nothing was sent to the GP practice');
    await lw.postForm(`/social-prescribing/people/${personId}/consents`, { kind: 'share_outcomes_with_gp', given: 'no' });
    expect((await lw.get(`/social-prescribing/cases/${caseId}`)).body).toContain('said no to sharing their outcomes with their GP');
    expect((await lw.postForm(`/social-prescribing/cases/${caseId}/gp-summary`, { how: 'other' })).statusCode).toBe(409);
    expect(t.mailer.outbox.length).toBe(mailsBefore);

    // With consent: the summary is on the case, with the boundary said plainly, and goes to the practice.
    await lw.postForm(`/social-prescribing/people/${personId}/consents`, { kind: 'share_outcomes_with_gp', given: 'yes' });
    const ready = await lw.get(`/social-prescribing/cases/${caseId}`);
    for (const text of ['Outcomes for the GP practice', 'Taken at the start: ', 'Life satisfaction: start 3 (low), end 7 (high)', 'Anxiety yesterday: start 8 (high), end 3 (low)', 'Start 8', 'end 4', 'Test Friendship Lunch Club (Test Friendship Group)', 'accepted; attendance: attending', 'Reason for closing: Goals met', 'GP Connect', 'surgery@example.org']) {
      expect(ready.body).toContain(text);
    }
    // Email is not set up here: nothing says "emailed", the case is not marked sent, and the message waits in the outbox.
    const notEmailed = await lw.postForm(`/social-prescribing/cases/${caseId}/gp-summary`, { how: 'email' });
    expect(notEmailed.statusCode).toBe(303);
    const afterNotEmailed = (await lw.get(notEmailed.headers.location as string)).body;
    expect(afterNotEmailed).toContain('The outcome summary was not emailed: email is not set up');
    expect(afterNotEmailed).toContain('Record that I sent it another way');
    expect(afterNotEmailed).not.toContain('Outcome summary emailed');
    expect(afterNotEmailed).not.toContain('Sent on');
    expect(await t.db.query(`select 1 from outbox where related_type = 'sp_case' and related_id = $1 and to_address = 'surgery@example.org'`, [caseId])).toHaveLength(1);
    const mail = t.mailer.outbox.at(-1)!;
    expect(mail.to).toBe('surgery@example.org');
    expect(mail.subject).toContain('Gpshara Testperson');
    expect(mail.text).toContain('Life satisfaction: start 3 (low), end 7 (high)');
    expect(mail.text).toContain('Reason for closing: Goals met');

    // With a mail server (a real one on this machine): emailed, recorded, and the case says so.
    const smtp = await startRecordingSmtpServer();
    const sending = createMailer(smtp.url, 'Common Ground <no-reply@common-ground.invalid>', { db: t.db });
    const unsent = t.mailer.send;
    t.mailer.send = (m, options) => sending.send(m, options);
    try {
      const emailed = await lw.postForm(`/social-prescribing/cases/${caseId}/gp-summary`, { how: 'email' });
      expect((await lw.get(emailed.headers.location as string)).body).toContain('Outcome summary emailed to the <abbr');
    } finally {
      t.mailer.send = unsent;
      await smtp.close();
    }
    expect(smtp.received.map((m) => m.to)).toEqual([['surgery@example.org']]);
    expect(smtp.received[0].text).toContain('Reason for closing: Goals met');
    const [audit] = await t.db.query<{ details: Record<string, unknown> }>("select details from audit_log where record_id = $1 and action = 'outcomes_shared_with_gp'", [personId]);
    expect(audit.details).toMatchObject({ caseId, how: 'email', to: 'surgery@example.org', gpPracticeId: w.practice.id });
    expect((await lw.get(`/social-prescribing/cases/${caseId}`)).body).toContain('to surgery@example.org');

    // No email address for the practice: the page says so and the link worker records sending it their way.
    await t.db.query('update organisations set email = null where id = $1', [w.practice.id]);
    expect((await lw.get(`/social-prescribing/cases/${caseId}`)).body).toContain('We do not have an email address for Test Valley Surgery');
    expect((await lw.postForm(`/social-prescribing/cases/${caseId}/gp-summary`, { how: 'email' })).statusCode).toBe(409);
    expect((await lw.postForm(`/social-prescribing/cases/${caseId}/gp-summary`, { how: 'other' })).statusCode).toBe(303);
    expect(t.mailer.outbox.at(-1)).toBe(mail);
  });

  it('lets an admin load a licensed measure from JSON or CSV, checks its conversion table, and scores with it', async () => {
    const admin = await signedInAs(t, w.admin);
    const csv = ['type,text,min,max,raw,score', 'question,A first invented question,1,3,,', 'question,A second invented question,1,3,,', ...[2, 3, 4, 5, 6].map((raw) => `conversion,,,,${raw},${raw * 2}`)].join('\n');
    const gap = csv.replace('conversion,,,,4,8\n', '');
    const refused = await postMultipart(admin, '/social-prescribing/measures', { code: 'invented', name: 'Invented scale' }, { name: 'file', filename: 'm.csv', content: gap, type: 'text/csv' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('no score for raw totals 4');
    const loaded = await postMultipart(admin, '/social-prescribing/measures', { code: 'invented', name: 'Invented scale' }, { name: 'file', filename: 'm.csv', content: csv, type: 'text/csv' });
    expect(loaded.statusCode).toBe(303);
    const json = JSON.stringify({ questions: [{ text: 'Only question', min: 0, max: 4 }] });
    expect((await postMultipart(admin, '/social-prescribing/measures', { code: 'single', name: 'Single item' }, { name: 'file', filename: 'm.json', content: json, type: 'application/json' })).statusCode).toBe(303);
    expect((await postMultipart(lw, '/social-prescribing/measures', { code: 'x', name: 'x' }, { name: 'file', filename: 'm.json', content: json, type: 'application/json' })).statusCode).toBe(403);
    const { caseId } = await openCase('Licensa');
    expect((await lw.postForm(`/social-prescribing/cases/${caseId}/measures`, { measure: 'invented', stage: 'start', takenOn: today, a0: '2', a1: '3' })).statusCode).toBe(303);
    const [m] = await t.db.query<{ score: number }>("select score::float8 as score from sp_measurements where case_id = $1 and measure = 'invented'", [caseId]);
    expect(m.score).toBe(10);
  });

  it('lets the IG lead list who looked at a person, export the record, and anonymise only after closure and retention', async () => {
    const { caseId, personId } = await openCase('Governa');
    await lw.get(`/social-prescribing/people/${personId}`);
    const ig = await signedInAs(t, w.ig);
    expect((await lw.get(`/social-prescribing/people/${personId}/access`)).statusCode).toBe(403);
    const access = await ig.get(`/social-prescribing/people/${personId}/access`);
    expect(access.statusCode).toBe(200);
    expect(access.body).toContain('Lee Test-Linkworker');
    expect(access.body).toContain('viewed');
    const json = await ig.get(`/social-prescribing/people/${personId}/export.json`);
    expect(json.headers['content-disposition']).toContain('attachment');
    const data = json.json();
    expect(data.person.givenName).toBe('Governa');
    expect(data.referrals[0].snomedCode).toBe('871731000000106');
    const csv = await ig.get(`/social-prescribing/people/${personId}/export.csv`);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('person,1,givenName,Governa');
    expect((await t.db.query("select 1 from audit_log where record_id = $1 and action = 'exported'", [personId])).length).toBe(2);

    const open = await ig.postForm(`/social-prescribing/people/${personId}/anonymise`, {});
    expect(open.statusCode).toBe(409);
    expect(open.body).toContain('This person has an open case');
    const [{ version }] = await t.db.query<{ version: number }>('select version from sp_cases where id = $1', [caseId]);
    await lw.postForm(`/social-prescribing/cases/${caseId}/status`, { version: String(version), status: 'closed', closedReason: 'Goals met' });
    const early = await ig.postForm(`/social-prescribing/people/${personId}/anonymise`, {});
    expect(early.statusCode).toBe(409);
    expect(early.body).toContain('The retention period has not passed');
    await t.db.query('update sp_cases set closed_on = $2 where id = $1', [caseId, addDays(today, -9 * 366)]);
    expect((await ig.get('/social-prescribing/anonymise')).body).toContain('Governa Testperson');
    expect((await ig.postForm(`/social-prescribing/people/${personId}/anonymise`, {})).statusCode).toBe(303);
    const [p] = await t.db.query<{ given_name: string; date_of_birth: string | null; phone: string | null; postcode: string }>('select given_name, date_of_birth, phone, postcode from sp_people where id = $1', [personId]);
    expect(p).toEqual({ given_name: 'Anonymised', date_of_birth: null, phone: null, postcode: 'WY1' });
    const [r] = await t.db.query<{ notes: string | null; snomed_code: string }>('select notes, snomed_code from sp_referrals where person_id = $1', [personId]);
    expect(r).toEqual({ notes: null, snomed_code: '871731000000106' });
  });

  it('reports referrals, triage, days to first contact, onward outcomes and outcome change, as charts, tables and CSV', async () => {
    const report = await lw.get(`/social-prescribing/reports?pcnId=${w.pcn.id}&from=${addDays(today, -90)}&to=${today}`);
    expect(report.statusCode).toBe(200);
    expect(report.body).toMatch(/<svg[^>]* class="[^"]*\bcg-chart" role="img"/);
    expect(report.body).toContain('<title id="chart-');
    // The wellbeing dumbbell: average first and latest scores, no names.
    expect(report.body).toMatch(/ONS4 personal wellbeing: first and latest scores/);
    expect(report.body).toContain('GP practice');
    expect(report.body).toContain('Loneliness and isolation');
    expect(report.body).toContain('Attending');
    expect(report.body).toContain('No response');
    expect(report.body).toContain('Life satisfaction');
    const csv = await lw.get(`/social-prescribing/reports.csv?pcnId=${w.pcn.id}&from=${addDays(today, -90)}&to=${today}`);
    expect(csv.body).toContain('referrals by source,GP practice');
    expect(csv.body).toMatch(/outcome change,ONS4 personal wellbeing: Life satisfaction,4/);
    expect((await lw.get(`/social-prescribing/reports?pcnId=${w.otherPcn.id}`)).statusCode).toBe(403);
    const bad = await lw.get('/social-prescribing/reports?from=2026-02-30');
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('From date must be a real date');
  });
});
