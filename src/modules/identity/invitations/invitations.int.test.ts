import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrganisation, buildUser, createTestApp, createTestAppWithMailServer, signedInAs, type TestApp, TestClient } from '../../../../test/support/kit.ts';

/** The path of the link in the last email to this address. */
function linkIn(t: TestApp, to: string, path: string): string {
  const mail = [...t.mailer.outbox].reverse().find((m) => m.to === to);
  const match = mail && new RegExp(`https?://[^/\\s]+(${path}/[A-Za-z0-9_-]+)`).exec(mail.text);
  if (!match) throw new Error(`no ${path} link emailed to ${to}`);
  return match[1];
}

describe('inviting people', () => {
  let t: TestApp;
  let admin: TestClient;
  let adminUser: Awaited<ReturnType<typeof buildUser>>;
  beforeAll(async () => {
    t = await createTestApp();
    adminUser = await buildUser(t.db, { role: 'partnership_admin' });
    admin = await signedInAs(t, adminUser);
  });
  afterAll(async () => t.close());

  it('invites a person, shows the link, says no email was sent without SMTP, and the person sets up their account', async () => {
    const org = await buildOrganisation(t.db, { name: 'Riverside Lunch Club' });
    const email = 'new.person@example.org';
    const form = await admin.get('/admin/users/invite');
    expect(form.statusCode).toBe(200);
    // The organisation picker, without script: type part of the name, Find, choose from the matches.
    expect(form.body).toContain('name="organisationIdSearch"');
    const found = await admin.postForm('/admin/users/invite', { name: 'Robin Example', email, organisationIdSearch: 'riverside lunch', _find: 'organisationId', role: 'organisation_editor' });
    expect(found.statusCode).toBe(200);
    expect(found.body).toContain('Riverside Lunch Club');
    expect(found.body).toContain(`value="${org.id}"`);

    const made = await admin.postForm('/admin/users/invite', { name: 'Robin Example', email, organisationId: org.id, role: 'organisation_editor' });
    expect(made.statusCode).toBe(200);
    expect(made.body).toContain('Invitation made');
    expect(made.body).toContain('No email was sent');
    const path = linkIn(t, email, '/invitations');
    expect(made.body).toContain(path);
    // Only the hash is stored.
    const stored = await t.db.query<{ token_hash: string; expires_in_days: number }>(
      `select token_hash, round(extract(epoch from expires_at - created_at) / 86400)::int as expires_in_days from one_time_links where email = $1`,
      [email],
    );
    expect(stored[0].token_hash).not.toContain(path.split('/').pop());
    expect(stored[0].expires_in_days).toBe(7);

    const list = await admin.get('/admin/users');
    expect(list.body).toContain('Invitations not yet accepted');
    expect(list.body).toContain(email);

    const invited = new TestClient(t.app);
    const page = await invited.get(path);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Set up your account');
    expect(page.body).toContain('value="Robin Example"');
    const accepted = await invited.postForm(path, { name: 'Robin Q Example', password: 'a good long passphrase' });
    expect(accepted.statusCode).toBe(303);
    expect(accepted.headers.location).toBe('/account?welcome=1');
    const account = await invited.get(accepted.headers.location as string);
    expect(account.body).toContain('Your account is ready');
    expect(account.body).toContain('Robin Q Example');
    expect(account.body).toContain('Organisation editor for Riverside Lunch Club');

    // They can sign in with the password they chose.
    await new TestClient(t.app).signIn(email, 'a good long passphrase');

    const audit = await t.db.query<{ action: string; actor_name: string }>(
      `select action, actor_name from audit_log where action in ('invited', 'invitation_accepted') and (details->>'email' = $1 or record_id in (select id::text from users where email = $1)) order by at`,
      [email],
    );
    expect(audit.map((a) => [a.action, a.actor_name])).toEqual([
      ['invited', adminUser.name],
      ['invitation_accepted', 'Robin Q Example'],
    ]);
  });

  it('refuses a second use of the same link with a clear page', async () => {
    const org = await buildOrganisation(t.db);
    const email = 'twice@example.org';
    await admin.postForm('/admin/users/invite', { name: 'Sam Twice', email, organisationId: org.id, role: 'link_worker' });
    const path = linkIn(t, email, '/invitations');
    const first = await new TestClient(t.app).postForm(path, { name: 'Sam Twice', password: 'first long password' });
    expect(first.statusCode).toBe(303);
    const again = await new TestClient(t.app).postForm(path, { name: 'Someone Else', password: 'another long password' });
    expect(again.statusCode).toBe(410);
    expect(again.body).toContain('This invitation has already been used');
    expect((await new TestClient(t.app).get(path)).body).toContain('already been used');
    // The first password still works; the second attempt changed nothing.
    await new TestClient(t.app).signIn(email, 'first long password');
  });

  it('refuses an expired link and an unknown link with clear pages, not errors', async () => {
    const org = await buildOrganisation(t.db);
    const email = 'late@example.org';
    await admin.postForm('/admin/users/invite', { name: 'Lee Late', email, organisationId: org.id, role: 'analyst' });
    const path = linkIn(t, email, '/invitations');
    await t.db.query(`update one_time_links set expires_at = now() - interval '1 minute' where email = $1`, [email]);
    const expired = await new TestClient(t.app).get(path);
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain('This invitation has expired');
    const post = await new TestClient(t.app).postForm(path, { name: 'Lee Late', password: 'a long enough password' });
    expect(post.statusCode).toBe(410);
    expect((await t.db.query('select 1 from users where email = $1', [email])).length).toBe(0);

    for (const bad of ['/invitations/not-a-real-token-at-all-123456', '/invitations/%27%3B--', `/invitations/${'x'.repeat(99)}`]) {
      const unknown = await new TestClient(t.app).get(bad);
      expect(unknown.statusCode).toBe(404);
      expect(unknown.body).toContain('This invitation link is not valid');
    }
  });

  it('keeps the name and explains a short password when accepting', async () => {
    const org = await buildOrganisation(t.db);
    const email = 'short@example.org';
    await admin.postForm('/admin/users/invite', { name: 'Kit Short', email, organisationId: org.id, role: 'analyst' });
    const path = linkIn(t, email, '/invitations');
    const client = new TestClient(t.app);
    const short = await client.postForm(path, { name: 'Kit Short', password: 'too-short' });
    expect(short.statusCode).toBe(422);
    expect(short.body).toContain('Password must be 12 characters or more');
    expect(short.body).toContain('nhsuk-error-summary');
    expect(short.body).toContain('value="Kit Short"');
    // The link is not spent by a failed attempt.
    expect((await client.postForm(path, { name: 'Kit Short', password: 'twelve chars!' })).statusCode).toBe(303);
  });

  it('adds the role to an existing account instead of inviting, and says so', async () => {
    const existing = await buildUser(t.db, { role: 'link_worker' });
    const org = await buildOrganisation(t.db, { name: 'Hillside Befriending' });
    const before = t.mailer.outbox.length;
    const response = await admin.postForm('/admin/users/invite', { name: 'Whatever', email: existing.email.toUpperCase(), organisationId: org.id, role: 'organisation_editor' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Role added to their account');
    expect(response.body).toContain('already has an account');
    const roles = await t.db.query<{ role: string }>('select role from memberships where user_id = $1 order by role', [existing.id]);
    expect(roles.map((r) => r.role)).toEqual(['link_worker', 'organisation_editor']);
    expect((await t.db.query('select 1 from one_time_links where lower(email) = lower($1)', [existing.email])).length).toBe(0);
    expect(t.mailer.outbox.length).toBe(before + 1);
    const audit = await t.db.query<{ details: { role: string } }>(`select details from audit_log where action = 'role_added' and record_id = $1`, [existing.id]);
    expect(audit[0].details.role).toBe('organisation_editor');

    const again = await admin.postForm('/admin/users/invite', { name: 'Whatever', email: existing.email, organisationId: org.id, role: 'organisation_editor' });
    expect(again.body).toContain('They already have this role');
  });

  it('adds the role to an account made since the invitation, and asks them to sign in with their own password', async () => {
    const org = await buildOrganisation(t.db, { name: 'Late Starters Club' });
    const email = 'made.since@example.org';
    await admin.postForm('/admin/users/invite', { name: 'Mae Since', email, organisationId: org.id, role: 'analyst' });
    const path = linkIn(t, email, '/invitations');
    const since = await buildUser(t.db, { role: 'link_worker', email });
    const client = new TestClient(t.app);
    const accepted = await client.postForm(path, { name: 'Mae Since', password: 'a different long password' });
    expect(accepted.statusCode).toBe(303);
    expect(accepted.headers.location).toBe('/sign-in');
    expect((await client.get('/sign-in')).body).toContain('the invitation added its role to it');
    const roles = await t.db.query<{ role: string }>('select role from memberships where user_id = $1 order by role', [since.id]);
    expect(roles.map((r) => r.role)).toEqual(['analyst', 'link_worker']);
    await new TestClient(t.app).signIn(email, since.password);
  });

  it('redisplays the invitation form with messages by each field and the values kept', async () => {
    const response = await admin.postForm('/admin/users/invite', { name: '', email: 'not-an-email', organisationId: 'nonsense', role: 'emperor' });
    expect(response.statusCode).toBe(422);
    for (const message of ['Enter their full name', 'Enter an email address in the correct format', 'Select an organisation', 'Select a role']) expect(response.body).toContain(message);
    expect(response.body).toContain('value="not-an-email"');
    const unknownOrg = await admin.postForm('/admin/users/invite', { name: 'A Person', email: 'a.person@example.org', organisationId: crypto.randomUUID(), role: 'analyst' });
    expect(unknownOrg.statusCode).toBe(422);
    expect(unknownOrg.body).toContain('Select an organisation');
  });

  it('emails the invitation when a mail server is configured and says so', async () => {
    // A real SMTP server on this machine, and an app that sends through it.
    const mailing = await createTestAppWithMailServer();
    const { smtp } = mailing;
    try {
      const mailingAdmin = await signedInAs(mailing, await buildUser(mailing.db, { role: 'partnership_admin' }));
      const org = await buildOrganisation(mailing.db);
      const response = await mailingAdmin.postForm('/admin/users/invite', { name: 'Mo Mail', email: 'mo@example.org', organisationId: org.id, role: 'analyst' });
      expect(response.body).toContain('We have emailed the invitation link to mo@example.org');
      expect(smtp.received[0].to).toEqual(['mo@example.org']);
      expect(smtp.received[0].text).toMatch(/\/invitations\/[A-Za-z0-9_-]{43}/);
      // A mail server that refuses: the invitation is kept and the admin is told to send the link.
      smtp.refuse.add('nomail@example.org');
      const refused = await mailingAdmin.postForm('/admin/users/invite', { name: 'No Mail', email: 'nomail@example.org', organisationId: org.id, role: 'analyst' });
      expect(refused.statusCode).toBe(200);
      expect(refused.body).toContain('The email could not be sent');
      expect(refused.body).toContain('kept in the Email outbox');
      expect(refused.body).toMatch(/\/invitations\/[A-Za-z0-9_-]{43}/);
      expect(await mailing.db.query(`select 1 from outbox where to_address = 'nomail@example.org' and reason = 'failed'`)).toHaveLength(1);
    } finally {
      await mailing.close();
    }
  });

  it('lets only partnership admins invite: others get 403, anonymous people are sent to sign in, and CSRF is required', async () => {
    const org = await buildOrganisation(t.db);
    const editor = await buildUser(t.db, { role: 'organisation_editor', organisationId: org.id });
    const client = await signedInAs(t, editor);
    for (const url of ['/admin/users', '/admin/users/invite']) {
      const r = await client.get(url);
      expect(r.statusCode).toBe(403);
      expect(r.headers['content-type']).toContain('text/html');
    }
    expect((await client.postForm('/admin/users/invite', { name: 'X', email: 'x@example.org', organisationId: org.id, role: 'partnership_admin' })).statusCode).toBe(403);
    expect((await t.db.query("select 1 from one_time_links where email = 'x@example.org'")).length).toBe(0);

    const anonymous = await new TestClient(t.app).get('/admin/users');
    expect(anonymous.statusCode).toBe(302);
    expect(anonymous.headers.location).toBe('/sign-in?returnTo=%2Fadmin%2Fusers');

    const noCsrf = await admin.postForm('/admin/users/invite', { name: 'Y', email: 'y@example.org', organisationId: org.id, role: 'analyst' }, { csrf: null });
    expect(noCsrf.statusCode).toBe(403);
    expect((await t.db.query("select 1 from one_time_links where email = 'y@example.org'")).length).toBe(0);
  });
});
