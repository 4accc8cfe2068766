import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aSignedInUser, createTestApp, signedInAs, type TestApp, TestClient } from '../../../../test/support/kit.ts';

describe('your account, password and API tokens', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('shows name, email and roles in plain words', async () => {
    const { user, client } = await aSignedInUser(t, 'ig_lead');
    const page = await client.get('/account');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(user.name);
    expect(page.body).toContain(user.email);
    expect(page.body).toContain('Information governance lead for');
    expect((await new TestClient(t.app).get('/account')).headers.location).toBe('/sign-in?returnTo=%2Faccount');
  });

  it('changes the password with the current one, and signs out other sessions but not this one', async () => {
    const { user, client } = await aSignedInUser(t, 'link_worker');
    const other = await signedInAs(t, user);
    const changed = await client.postForm('/account/password', { currentPassword: user.password, newPassword: 'a fresh long password' });
    expect(changed.statusCode).toBe(303);
    expect((await client.get('/account?password=1')).body).toContain('Your password has been changed');
    expect((await other.get('/account')).statusCode).toBe(302);
    await new TestClient(t.app).signIn(user.email, 'a fresh long password');
    expect((await t.db.query(`select 1 from audit_log where action = 'password_changed' and record_id = $1`, [user.id])).length).toBe(1);
  });

  it('revokes every API token of the account when its password is changed, each audited with the reason', async () => {
    const { user, client } = await aSignedInUser(t, 'analyst');
    const tokens: string[] = [];
    for (const name of ['Report script', 'Spreadsheet']) {
      const made = await client.postForm('/account/api-tokens', { name });
      tokens.push(/(cg_[A-Za-z0-9_-]{43})/.exec(made.body)![1]);
    }
    const me = (token: string) => t.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    for (const token of tokens) expect((await me(token)).statusCode).toBe(200);

    expect((await client.postForm('/account/password', { currentPassword: user.password, newPassword: 'a fresh long password' })).statusCode).toBe(303);
    for (const token of tokens) expect((await me(token)).statusCode).toBe(401);
    expect((await client.get('/account')).body).not.toContain('Report script');
    const audit = await t.db.query<{ action: string; actor_user_id: string; details: { reason: string; userId: string } }>(
      `select a.action, a.actor_user_id, a.details from audit_log a join api_tokens k on k.id::text = a.record_id
        where k.user_id = $1 and a.action = 'api_token_revoked'`,
      [user.id],
    );
    expect(audit).toHaveLength(2);
    for (const entry of audit) expect(entry).toMatchObject({ actor_user_id: user.id, details: { reason: 'password_changed', userId: user.id } });
    // A token made after the change works.
    const fresh = /(cg_[A-Za-z0-9_-]{43})/.exec((await client.postForm('/account/api-tokens', { name: 'New' })).body)![1];
    expect((await me(fresh)).statusCode).toBe(200);
  });

  it('refuses a wrong current password, a short new one, and a missing CSRF token, changing nothing', async () => {
    const { user, client } = await aSignedInUser(t, 'link_worker');
    const wrong = await client.postForm('/account/password', { currentPassword: 'not my password', newPassword: 'a fresh long password' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('Your current password is not correct');
    expect(wrong.body).toContain('href="#currentPassword"');
    const short = await client.postForm('/account/password', { currentPassword: user.password, newPassword: 'short' });
    expect(short.statusCode).toBe(422);
    expect(short.body).toContain('Password must be 12 characters or more');
    const empty = await client.postForm('/account/password', {});
    expect(empty.body).toContain('Enter your current password');
    expect(empty.body).toContain('Enter a new password');
    const noCsrf = await client.postForm('/account/password', { currentPassword: user.password, newPassword: 'a fresh long password' }, { csrf: null });
    expect(noCsrf.statusCode).toBe(403);
    await new TestClient(t.app).signIn(user.email, user.password);
    expect((await t.db.query(`select 1 from audit_log where action = 'password_changed' and record_id = $1`, [user.id])).length).toBe(0);
  });

  it('creates an API token shown once, lists it by its last four characters, and it works until revoked', async () => {
    const { user, client } = await aSignedInUser(t, 'analyst');
    const made = await client.postForm('/account/api-tokens', { name: 'Monthly report' });
    expect(made.statusCode).toBe(200);
    const token = /(cg_[A-Za-z0-9_-]{43})/.exec(made.body)![1];
    expect(made.body).toContain('it will not be shown again');
    const stored = await t.db.query<{ token_hash: string; token_hint: string; id: string }>('select id, token_hash, token_hint from api_tokens where user_id = $1', [user.id]);
    expect(stored[0].token_hash).not.toContain(token.slice(3));
    expect(stored[0].token_hint).toBe(token.slice(-4));

    const page = await client.get('/account');
    expect(page.body).toContain('Monthly report');
    expect(page.body).toContain(`…${token.slice(-4)}`);
    expect(page.body).not.toContain(token);
    expect(page.body).toContain('Never');

    const me = await t.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: user.id, email: user.email, memberships: [{ organisationId: user.organisationId, role: 'analyst', roleName: 'Analyst' }] });
    expect((await client.get('/account')).body).not.toContain('Never');
    // A token reaches the API, not the account page that makes and revokes tokens.
    expect((await t.app.inject({ url: '/account', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(403);
    const byToken = await t.app.inject({ method: 'POST', url: `/account/api-tokens/${stored[0].id}/revoke`, headers: { authorization: `Bearer ${token}` } });
    expect(byToken.statusCode).toBe(403);

    const revoked = await client.postForm(`/account/api-tokens/${stored[0].id}/revoke`, {});
    expect(revoked.statusCode).toBe(303);
    expect((await client.get('/account')).body).not.toContain('Monthly report');
    const after = await t.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    expect(after.statusCode).toBe(401);
    expect(after.headers['content-type']).toContain('application/problem+json');
    expect(after.json()).toMatchObject({ status: 401, title: 'Sign-in required' });
    const audit = await t.db.query<{ action: string }>(`select action from audit_log where record_id = $1 order by at`, [stored[0].id]);
    expect(audit.map((a) => a.action)).toEqual(['api_token_created', 'api_token_revoked']);
  });

  it('needs a name for a token, cannot revoke someone else’s, and refuses a token form without CSRF', async () => {
    const { client } = await aSignedInUser(t, 'link_worker');
    const nameless = await client.postForm('/account/api-tokens', { name: '  ' });
    expect(nameless.statusCode).toBe(422);
    expect(nameless.body).toContain('Enter a name for the token');
    const { client: other } = await aSignedInUser(t, 'link_worker');
    await other.postForm('/account/api-tokens', { name: 'Theirs' });
    const theirs = await t.db.query<{ id: string }>(`select id from api_tokens where name = 'Theirs'`);
    expect((await client.postForm(`/account/api-tokens/${theirs[0].id}/revoke`, {})).statusCode).toBe(404);
    expect((await client.postForm('/account/api-tokens/not-a-uuid/revoke', {})).statusCode).toBe(404);
    expect((await t.db.query<{ revoked_at: Date | null }>('select revoked_at from api_tokens where id = $1', [theirs[0].id]))[0].revoked_at).toBeNull();
    expect((await client.postForm('/account/api-tokens', { name: 'Sneaky' }, { csrf: null })).statusCode).toBe(403);
    expect((await t.db.query(`select 1 from api_tokens where name = 'Sneaky'`)).length).toBe(0);
  });

  it('answers /api/v1/me with 401 problem+json when anonymous or with an unknown token, and documents it', async () => {
    const anonymous = await t.app.inject({ url: '/api/v1/me' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['content-type']).toContain('application/problem+json');
    expect(anonymous.headers['www-authenticate']).toBe('Bearer');
    expect((await t.app.inject({ url: '/api/v1/me', headers: { authorization: 'Bearer cg_made-up' } })).statusCode).toBe(401);
    const { user, client } = await aSignedInUser(t, 'link_worker');
    expect((await client.get('/api/v1/me')).json()).toMatchObject({ id: user.id });
    const openapi = (await t.app.inject({ url: '/api/openapi.json' })).json();
    expect(openapi.paths['/api/v1/me'].get.responses['200']).toBeDefined();
    expect(openapi.paths['/api/v1/audit'].get.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['userId', 'recordType', 'recordId', 'action', 'from', 'to', 'page']));
  });
});
