import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signedInAs, TestClient, type TestApp } from '../../../../test/support/kit.ts';
import { buildPartnership, openCaseThroughForms } from '../../../../test/support/social-prescribing.ts';
import { buildService } from '../../../../test/support/directory-factories.ts';
import { buildOrganisation } from '../../../../test/support/kit.ts';
import { needs } from '../../directory/index.ts';
import { sendReferralReminders } from '../connect/connect.service.ts';

/** The secure referral link: every way it can be misused is refused with a clear page, and audited. */
describe('secure referral links', () => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof buildPartnership>>;
  let lw: TestClient;

  const openCase = (name: string) => openCaseThroughForms(t, w, lw, name);

  /** Refers the case to the service and returns the onward referral and the path its email links to. */
  async function refer(caseId: string, serviceId = w.service.id) {
    const before = t.mailer.messages.length;
    // Groups with no account have signed no sharing agreement: these referrals go on the person's explicit consent.
    const response = await lw.postForm(`/social-prescribing/cases/${caseId}/connect/${serviceId}`, { kind: 'refer', sharedFields: ['name', 'phone'], consentConfirmed: 'yes', consentBasis: 'yes', notes: 'Prefers mornings.' });
    expect(response.statusCode).toBe(303);
    const [onward] = await t.db.query<{ id: string }>('select id from sp_onward_referrals where case_id = $1 order by created_at desc limit 1', [caseId]);
    const mail = t.mailer.messages.slice(before).find((m) => m.mail.related?.id === onward.id);
    const path = mail ? new URL(/https?:\/\/\S+\/referral\/\S+/.exec(mail.mail.text)![0]).pathname : null;
    return { onwardId: onward.id, path, response, mail };
  }

  const refusals = (personId: string) => t.db.query<{ why: string }>("select details->>'why' as why from audit_log where record_id = $1 and action = 'referral_link_refused' order by created_at", [personId]);

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildPartnership(t);
    lw = await signedInAs(t, w.lw);
  });
  afterAll(() => t.close());

  it('with email off, keeps the message in the outbox and tells the link worker it was NOT sent', async () => {
    const { caseId } = await openCase('Outboxa');
    const { onwardId, response, mail } = await refer(caseId);
    expect(mail?.result.status).toBe('not_sent');
    const page = await lw.get(response.headers.location as string);
    expect(page.body).toContain('was NOT sent');
    expect(page.body).toContain('Not sent yet');
    const [outbox] = await t.db.query<{ n: number }>("select count(*)::int as n from outbox where related_id = $1", [onwardId]);
    expect(outbox.n).toBe(1);
    const caseView = await lw.get(`/social-prescribing/cases/${caseId}`);
    expect(caseView.body).toContain('Email NOT sent');
  });

  it('opens for anyone holding it, shows only the shared details and who referred, and stores only a hash', async () => {
    const { caseId, personId } = await openCase('Openia');
    const { onwardId, path } = await refer(caseId);
    const anonymous = new TestClient(t.app);
    const page = await anonymous.get(path!);
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain('Openia Testperson');
    expect(page.body).toContain('Prefers mornings.');
    expect(page.body).toContain(w.lw.name);
    expect(page.body).toContain('Test Valley <abbr');
    for (const secret of ['1950', 'ada@example.org', 'WY1 2AB', 'Lives alone since spring']) expect(page.body).not.toContain(secret);
    const token = path!.split('/').pop()!;
    const [stored] = await t.db.query<{ n: number }>('select count(*)::int as n from sp_referral_links where token_hash = $1', [token]);
    expect(stored.n).toBe(0);
    const [opened] = await t.db.query<{ first_opened_at: Date | null }>('select first_opened_at from sp_referral_links where onward_referral_id = $1', [onwardId]);
    expect(opened.first_opened_at).not.toBeNull();
    const views = await t.db.query("select 1 from audit_log where record_id = $1 and action = 'viewed' and details->>'via' = 'referral_link'", [personId]);
    expect(views.length).toBe(1);
  });

  it('refuses a link for another referral (403), after revocation (410), after expiry (410), and a second answer (409), auditing each', async () => {
    const a = await openCase('Firsta');
    const b = await openCase('Secunda');
    const first = await refer(a.caseId);
    const second = await refer(b.caseId);
    const anonymous = new TestClient(t.app);
    const tokenOfFirst = first.path!.split('/').pop();

    const other = await anonymous.get(`/referral/${second.onwardId}/${tokenOfFirst}`);
    expect(other.statusCode).toBe(403);
    expect(other.body).toContain('This link is for a different referral');

    expect((await anonymous.get(`/referral/${first.onwardId}/not-a-real-token-at-all-0000`)).statusCode).toBe(404);
    expect((await anonymous.get(`/referral/not-a-uuid/${tokenOfFirst}`)).statusCode).toBe(404);

    // Answered once; a second answer is refused and the first stands.
    expect((await anonymous.postForm(`${first.path}/answer`, { decision: 'accept' })).statusCode).toBe(303);
    const again = await anonymous.postForm(`${first.path}/answer`, { decision: 'decline', reason: 'Full' });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('already been answered');
    const [answered] = await t.db.query<{ status: string; responded_by: string | null }>('select status, responded_by from sp_onward_referrals where id = $1', [first.onwardId]);
    expect(answered).toEqual({ status: 'accepted', responded_by: null });

    // A future attendance date is refused; a past one is kept.
    const future = await anonymous.postForm(`${first.path}/attendance`, { attendance: 'started', 'attendanceOn-day': '1', 'attendanceOn-month': '1', 'attendanceOn-year': '2999' });
    expect(future.statusCode).toBe(422);
    expect(future.body).toContain('today or in the past');

    // Revoked by the link worker: the organisation can no longer open it.
    const revoke = await lw.postForm(`/social-prescribing/cases/${b.caseId}/onward/${second.onwardId}/revoke`, {});
    expect(revoke.statusCode).toBe(303);
    const revoked = await anonymous.get(second.path!);
    expect(revoked.statusCode).toBe(410);
    expect(revoked.body).toContain('withdrawn');
    expect((await anonymous.postForm(`${second.path}/answer`, { decision: 'accept' })).statusCode).toBe(410);
    expect((await lw.postForm(`/social-prescribing/cases/${b.caseId}/onward/${second.onwardId}/revoke`, {})).statusCode).toBe(409);

    // Re-sent: a new link works, the old one still does not.
    const resend = await lw.postForm(`/social-prescribing/cases/${b.caseId}/onward/${second.onwardId}/resend`, {});
    expect(resend.statusCode).toBe(303);
    const newest = t.mailer.messages.filter((m) => m.mail.related?.id === second.onwardId).at(-1)!;
    const newPath = new URL(/https?:\/\/\S+\/referral\/\S+/.exec(newest.mail.text)![0]).pathname;
    expect((await anonymous.get(newPath)).statusCode).toBe(200);
    expect((await anonymous.get(second.path!)).statusCode).toBe(410);

    // Expired.
    await t.db.query("update sp_referral_links set expires_at = now() - interval '1 minute' where onward_referral_id = $1", [second.onwardId]);
    const expired = await anonymous.get(newPath);
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain('expired');

    expect((await refusals(a.personId)).map((r) => r.why)).toEqual(['other_referral']);
    expect((await refusals(b.personId)).map((r) => r.why)).toEqual(['revoked', 'revoked', 'revoked', 'expired']);
  });

  it('an organisation with no email: the link worker is told before choosing Refer, and it is never shown as sent', async () => {
    const quiet = await buildOrganisation(t.db, { name: 'Test Quiet Allotment Group' });
    const service = await buildService(t.db, { organisationId: quiet.id, name: 'Test Quiet Allotment', taxonomyTermIds: [needs[0].id], email: null });
    const { caseId } = await openCase('Nomaila');
    const form = await lw.get(`/social-prescribing/cases/${caseId}/connect/${service.id}`);
    expect(form.body).toContain('has no email address in the directory');
    const { onwardId, mail, response } = await refer(caseId, service.id);
    expect(mail).toBeUndefined();
    expect((await lw.get(response.headers.location as string)).body).toContain('NOT sent');
    const print = await lw.get(`/social-prescribing/cases/${caseId}/onward/${onwardId}/print`);
    expect(print.statusCode).toBe(200);
    expect(print.body).toContain('Nomaila Testperson');
    expect((await lw.postForm(`/social-prescribing/cases/${caseId}/onward/${onwardId}/resend`, {})).statusCode).toBe(409);
    expect((await lw.postForm(`/social-prescribing/cases/${caseId}/onward/${onwardId}/delivered`, { how: 'phoned' })).statusCode).toBe(303);
    const caseView = await lw.get(`/social-prescribing/cases/${caseId}`);
    expect(caseView.body).toContain('Phoned through');
    expect(caseView.body).not.toContain('Not sent yet');
  });

  it('reminds an organisation without editors at the address its link went to, pointing to that email', async () => {
    const org = await buildOrganisation(t.db, { name: 'Test Reminded Repair Cafe' });
    const service = await buildService(t.db, { organisationId: org.id, name: 'Test Repair Evenings', taxonomyTermIds: [needs[0].id], email: 'repair@example.org' });
    const { caseId } = await openCase('Remindia');
    const { onwardId } = await refer(caseId, service.id);
    const sentOn = new Date();
    const reminded = await sendReferralReminders(t.db, t.mailer, new Date(sentOn.getTime() + 7 * 86_400_000));
    expect(reminded).toBeGreaterThanOrEqual(1);
    const reminder = t.mailer.messages.filter((m) => m.mail.related?.id === onwardId && m.mail.subject.startsWith('Reminder')).at(-1)!;
    expect(reminder.mail.to).toBe('repair@example.org');
    expect(reminder.mail.text).toContain('secure link in our email');
    expect(reminder.mail.text).not.toContain('/referrals-received/');
  });

  it('lets the contact claim the organisation with the address the link reached', async () => {
    const org = await buildOrganisation(t.db, { name: 'Test Claimable Choir' });
    const service = await buildService(t.db, { organisationId: org.id, name: 'Test Singing Club', taxonomyTermIds: [needs[0].id], email: 'choir@example.org' });
    const { caseId } = await openCase('Claima');
    const { path } = await refer(caseId, service.id);
    const contact = new TestClient(t.app);
    expect((await contact.get(path!)).body).toContain('Claim Test Claimable Choir');
    const short = await contact.postForm(`${path}/claim`, { name: 'Cora Test-Choir', password: 'short' });
    expect(short.statusCode).toBe(422);
    const claimed = await contact.postForm(`${path}/claim`, { name: 'Cora Test-Choir', password: 'a long enough test password' });
    expect(claimed.statusCode).toBe(303);
    const [member] = await t.db.query<{ role: string }>("select m.role from memberships m join users u on u.id = m.user_id where u.email = 'choir@example.org' and m.organisation_id = $1", [org.id]);
    expect(member.role).toBe('organisation_editor');
    const inbox = await contact.get('/social-prescribing/referrals-received');
    expect(inbox.body).toContain('Claima Testperson');
  });
});
