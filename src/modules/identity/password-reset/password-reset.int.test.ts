import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, createTestApp, createTestAppWithMailServer, signedInAs, type TestApp, TestClient } from '../../../../test/support/kit.ts';

function resetPathIn(text: string): string {
  const match = /https?:\/\/[^/\s]+(\/reset-password\/[A-Za-z0-9_-]+)/.exec(text);
  if (!match) throw new Error('no reset link');
  return match[1];
}

describe('resetting a forgotten password', () => {
  let t: Awaited<ReturnType<typeof createTestAppWithMailServer>>;
  beforeAll(async () => {
    // A real mail server: "check your email" is only true where email is set up.
    t = await createTestAppWithMailServer();
  });
  afterAll(async () => t.close());

  const mailsTo = (email: string) => t.smtp.received.filter((m) => m.to.includes(email));

  it('gives the same page whether or not the email has an account, and emails a link only to real accounts', async () => {
    const user = await buildUser(t.db, { role: 'link_worker' });
    const known = await new TestClient(t.app).postForm('/forgotten-password', { email: user.email });
    const unknown = await new TestClient(t.app).postForm('/forgotten-password', { email: 'nobody-here@example.org' });
    expect(known.statusCode).toBe(200);
    expect(unknown.statusCode).toBe(200);
    const strip = (body: string, email: string) => body.replace(email, 'EMAIL').replace(/name="_csrf" value="[^"]+"/g, '').replace(/nonce="[^"]+"/g, '');
    expect(strip(known.body, user.email)).toBe(strip(unknown.body, 'nobody-here@example.org'));
    expect(known.body).toContain('Check your email');
    expect(mailsTo(user.email)).toHaveLength(1);
    expect(mailsTo('nobody-here@example.org')).toHaveLength(0);
    const expiry = await t.db.query<{ minutes: number }>(
      `select round(extract(epoch from expires_at - created_at) / 60)::int as minutes from one_time_links where user_id = $1 and purpose = 'password_reset'`,
      [user.id],
    );
    expect(expiry[0].minutes).toBe(60);
  });

  it('sets a new password, signs out every other session, and the link cannot be used again', async () => {
    const user = await buildUser(t.db, { role: 'analyst' });
    const elsewhere = await signedInAs(t, user);
    expect((await elsewhere.get('/account')).statusCode).toBe(200);

    await new TestClient(t.app).postForm('/forgotten-password', { email: user.email });
    const path = resetPathIn(mailsTo(user.email).at(-1)!.text);
    const client = new TestClient(t.app);
    expect((await client.get(path)).body).toContain('Choose a new password');
    const short = await client.postForm(path, { password: 'short' });
    expect(short.statusCode).toBe(422);
    expect(short.body).toContain('Password must be 12 characters or more');

    const done = await client.postForm(path, { password: 'my brand new passphrase' });
    expect(done.statusCode).toBe(303);
    expect((await client.get(done.headers.location as string)).body).toContain('Your password has been changed');

    // The other browser is signed out; the old password no longer works; the new one does.
    const other = await elsewhere.get('/account');
    expect(other.statusCode).toBe(302);
    expect((await new TestClient(t.app).postForm('/sign-in', { email: user.email, password: user.password })).statusCode).toBe(401);
    await new TestClient(t.app).signIn(user.email, 'my brand new passphrase');

    const again = await new TestClient(t.app).postForm(path, { password: 'another new passphrase' });
    expect(again.statusCode).toBe(410);
    expect(again.body).toContain('already been used');
    const audit = await t.db.query<{ action: string }>(`select action from audit_log where record_id = $1 and action like 'password%' order by at`, [user.id]);
    expect(audit.map((a) => a.action)).toEqual(['password_reset_requested', 'password_reset']);
  });

  it('revokes every API token of the account when its password is reset, each audited with the reason', async () => {
    const user = await buildUser(t.db, { role: 'analyst' });
    const own = await signedInAs(t, user);
    const token = /(cg_[A-Za-z0-9_-]{43})/.exec((await own.postForm('/account/api-tokens', { name: 'Nightly export' })).body)![1];
    const me = () => t.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    expect((await me()).statusCode).toBe(200);

    await new TestClient(t.app).postForm('/forgotten-password', { email: user.email });
    const done = await new TestClient(t.app).postForm(resetPathIn(mailsTo(user.email).at(-1)!.text), { password: 'my brand new passphrase' });
    expect(done.statusCode).toBe(303);
    expect((await me()).statusCode).toBe(401);
    const audit = await t.db.query<{ actor_user_id: string; details: { reason: string; name: string } }>(
      `select a.actor_user_id, a.details from audit_log a join api_tokens k on k.id::text = a.record_id where k.user_id = $1 and a.action = 'api_token_revoked'`,
      [user.id],
    );
    expect(audit).toEqual([{ actor_user_id: user.id, details: expect.objectContaining({ reason: 'password_reset', name: 'Nightly export' }) }]);
  });

  it('refuses an expired reset link and an unknown one with clear pages', async () => {
    const user = await buildUser(t.db, { role: 'analyst' });
    await new TestClient(t.app).postForm('/forgotten-password', { email: user.email });
    const path = resetPathIn(mailsTo(user.email).at(-1)!.text);
    await t.db.query(`update one_time_links set expires_at = now() - interval '1 second' where user_id = $1`, [user.id]);
    const expired = await new TestClient(t.app).postForm(path, { password: 'a long new password' });
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain('This password reset link has expired');
    await new TestClient(t.app).signIn(user.email, user.password);
    const unknown = await new TestClient(t.app).get('/reset-password/no-such-token-anywhere-here');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain('This password reset link is not valid');
  });

  it('asks for an email address in the right format, keeping what was typed', async () => {
    const response = await new TestClient(t.app).postForm('/forgotten-password', { email: 'not an email' });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('Enter an email address in the correct format');
    expect(response.body).toContain('value="not an email"');
  });

  it('sends no more than three reset emails an hour to one account, and none to a deactivated one', async () => {
    const user = await buildUser(t.db, { role: 'analyst' });
    for (let i = 0; i < 5; i++) await new TestClient(t.app).postForm('/forgotten-password', { email: user.email });
    expect(mailsTo(user.email)).toHaveLength(3);
    const gone = await buildUser(t.db, { role: 'analyst' });
    await t.db.query('update users set is_active = false where id = $1', [gone.id]);
    await new TestClient(t.app).postForm('/forgotten-password', { email: gone.email });
    expect(mailsTo(gone.email)).toHaveLength(0);
  });

  it('lets an admin make a reset link for a user when email is not set up', async () => {
    const admin = await buildUser(t.db, { role: 'partnership_admin' });
    const user = await buildUser(t.db, { role: 'link_worker' });
    const client = await signedInAs(t, admin);
    const made = await client.postForm(`/admin/users/${user.id}/reset-link`, {});
    expect(made.statusCode).toBe(200);
    const path = resetPathIn(made.body);
    expect((await new TestClient(t.app).postForm(path, { password: 'chosen after admin help' })).statusCode).toBe(303);
    await new TestClient(t.app).signIn(user.email, 'chosen after admin help');
    const audit = await t.db.query<{ actor_user_id: string }>(`select actor_user_id from audit_log where action = 'password_reset_link_created' and record_id = $1`, [user.id]);
    expect(audit[0].actor_user_id).toBe(admin.id);

    const linkWorker = new TestClient(t.app);
    await linkWorker.signIn(user.email, 'chosen after admin help');
    expect((await linkWorker.postForm(`/admin/users/${admin.id}/reset-link`, {})).statusCode).toBe(403);
  });
});

describe('a forgotten password where email is not set up', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('says no link can be emailed and whom to ask, the same whether or not the account exists, and keeps the message in the outbox', async () => {
    const user = await buildUser(t.db, { role: 'analyst' });
    const known = await new TestClient(t.app).postForm('/forgotten-password', { email: user.email });
    const unknown = await new TestClient(t.app).postForm('/forgotten-password', { email: 'nobody-here@example.org' });
    expect(known.body).toContain('Ask a partnership admin for a reset link');
    expect(known.body).toContain('Email is not set up');
    expect(known.body).not.toContain('Check your email');
    const strip = (body: string, email: string) => body.replace(email, 'EMAIL').replace(/name="_csrf" value="[^"]+"/g, '').replace(/nonce="[^"]+"/g, '');
    expect(strip(known.body, user.email)).toBe(strip(unknown.body, 'nobody-here@example.org'));
    const kept = await t.db.query<{ to_address: string }>(`select * from outbox`);
    expect(kept.map((m) => Object.values(m))).toEqual([expect.arrayContaining([user.email])]);
  });
});
