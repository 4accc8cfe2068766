import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aSignedInUser, brokenErrorSummaryLinks, buildOrganisation, createTestApp, createTestAppWithMailServer, TestClient, type TestApp } from '../../../../test/support/kit.ts';

const waitingIds = async (t: TestApp) => (await t.db.query<{ id: string }>('select id from outbox where sent_another_way_at is null order by created_at')).map((r) => r.id);

describe('the email outbox, with no SMTP_URL', () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof aSignedInUser>>;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await aSignedInUser(t, 'partnership_admin');
  });
  afterAll(async () => t.close());

  it('keeps an invitation that was not emailed, with its full text, on the outbox page, and says it was not sent', async () => {
    const org = await buildOrganisation(t.db, { name: 'Harbour Lane Befrienders' });
    const invited = await admin.client.postForm('/admin/users/invite', { name: 'Olu Outbox', email: 'olu@example.org', organisationId: org.id, role: 'analyst' });
    expect(invited.statusCode).toBe(200);
    expect(t.mailer.messages.at(-1)!.result).toMatchObject({ status: 'not_sent', reason: 'not_configured' });

    const page = await admin.client.get('/admin/outbox');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('You are invited to Common Ground');
    expect(page.body).toContain('olu@example.org');
    expect(page.body).toMatch(/\/invitations\/[A-Za-z0-9_-]{43}/);
    expect(page.body).toContain('Email is not set up on this Common Ground (no SMTP_URL)');
    expect(page.body).toContain('Email is off');
    expect(page.body).toContain('Waiting to be sent (1)');
    expect(page.body).not.toMatch(/\bsent successfully\b|\bwas emailed\b/i);
    expect(page.body).toContain('Email outbox (1)');
    const viewed = await t.db.query(`select 1 from audit_log where action = 'viewed' and record_type = 'outbox' and actor_user_id = $1`, [admin.user.id]);
    expect(viewed.length).toBeGreaterThan(0);
  });

  it('records, audited, that an admin sent a message another way; it then leaves the waiting list', async () => {
    await t.mailer.send({ to: 'surgery@example.org', subject: 'Outcome summary for Ada', text: 'Summary text', related: { type: 'case', id: 'case-1' } });
    const [id] = (await t.db.query<{ id: string }>(`select id from outbox where subject = 'Outcome summary for Ada'`)).map((r) => r.id);
    const marked = await admin.client.postForm(`/admin/outbox/${id}/sent-another-way`, { note: 'Emailed from the team mailbox' });
    expect(marked.statusCode).toBe(303);
    expect(marked.headers.location).toBe('/admin/outbox');
    const next = await admin.client.get('/admin/outbox');
    expect(next.body).toContain('Recorded that the message to surgery@example.org was sent another way.');
    expect(next.body).not.toContain('Outcome summary for Ada');
    const handled = await admin.client.get('/admin/outbox?show=handled');
    expect(handled.body).toContain('Outcome summary for Ada');
    expect(handled.body).toContain('Emailed from the team mailbox');
    expect(handled.body).toContain(admin.user.name);

    const audit = await t.db.query<{ actor_user_id: string; details: Record<string, unknown> }>(
      `select actor_user_id, details from audit_log where action = 'sent_another_way' and record_type = 'outbox_message' and record_id = $1`,
      [id],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0].actor_user_id).toBe(admin.user.id);
    expect(audit[0].details).toMatchObject({ to: 'surgery@example.org', note: 'Emailed from the team mailbox', relatedType: 'case', relatedId: 'case-1' });

    const again = await admin.client.postForm(`/admin/outbox/${id}/sent-another-way`, { note: '' });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('has already recorded that this message was sent');
    expect(brokenErrorSummaryLinks(again.body)).toEqual([]);
  });

  it('shows the form again with the error by the field for a note too long, with the input kept', async () => {
    const [id] = await waitingIds(t);
    const response = await admin.client.postForm(`/admin/outbox/${id}/sent-another-way`, { note: 'x'.repeat(501) });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('How you sent it must be 500 characters or fewer');
    expect(response.body).toContain(`id="message-${id}-note"`);
    expect(brokenErrorSummaryLinks(response.body)).toEqual([]);
    expect(await waitingIds(t)).toContain(id);
  });

  it('is for partnership admins only: 403 for every other role, sign-in for anonymous people, CSRF required, 404 for no such message', async () => {
    const [id] = await waitingIds(t);
    for (const role of ['organisation_editor', 'link_worker', 'programme_manager', 'panel_member', 'analyst', 'ig_lead'] as const) {
      const { client } = await aSignedInUser(t, role);
      expect((await client.get('/admin/outbox')).statusCode, role).toBe(403);
      expect((await client.postForm(`/admin/outbox/${id}/sent-another-way`, {})).statusCode, role).toBe(403);
      expect((await client.get('/')).body).not.toContain('Email outbox');
    }
    const anonymous = await new TestClient(t.app).get('/admin/outbox');
    expect(anonymous.statusCode).toBe(302);
    expect(anonymous.headers.location).toBe('/sign-in?returnTo=%2Fadmin%2Foutbox');
    expect((await admin.client.postForm(`/admin/outbox/${id}/sent-another-way`, {}, { csrf: null })).statusCode).toBe(403);
    expect((await admin.client.postForm(`/admin/outbox/${crypto.randomUUID()}/sent-another-way`, {})).statusCode).toBe(404);
    expect((await admin.client.postForm('/admin/outbox/not-a-uuid/sent-another-way', {})).statusCode).toBe(404);
    expect((await admin.client.get('/admin/outbox?show=everything')).statusCode).toBe(400);
    expect(await waitingIds(t)).toContain(id);
  });
});

describe('the email outbox, with SMTP_URL', () => {
  let t: Awaited<ReturnType<typeof createTestAppWithMailServer>>;
  beforeAll(async () => {
    t = await createTestAppWithMailServer();
  });
  afterAll(async () => t.close());

  it('lists only what the mail server refused, and why; what it accepted is not there', async () => {
    const { client } = await aSignedInUser(t, 'partnership_admin');
    t.smtp.refuse.add('gone@example.org');
    expect((await t.mailer.send({ to: 'here@example.org', subject: 'Accepted by the server', text: 'x' })).status).toBe('sent');
    expect((await t.mailer.send({ to: 'gone@example.org', subject: 'Refused by the server', text: 'x' })).status).toBe('not_sent');
    const page = await client.get('/admin/outbox');
    expect(page.body).not.toContain('Email is off');
    expect(page.body).toContain('Refused by the server');
    expect(page.body).toContain('The mail server did not accept it');
    expect(page.body).toContain('gone@example.org');
    expect(page.body).not.toContain('Accepted by the server');
    expect(t.smtp.received.map((m) => m.subject)).toEqual(['Accepted by the server']);
  });
});
