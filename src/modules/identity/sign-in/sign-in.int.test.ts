import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, createTestApp, type TestApp, TestClient } from '../../../../test/support/kit.ts';

describe('signing in and out', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('signs in with the right password, sets an HttpOnly SameSite session cookie, and signs out', async () => {
    const user = await buildUser(t.db, { role: 'link_worker' });
    const client = new TestClient(t.app);
    const response = await client.signIn(user.email, user.password);
    const cookie = response.cookies.find((c) => c.name === 'cg_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    const home = await client.get('/');
    expect(home.body).toContain(`signed in as ${user.name}`);
    const audit = await t.db.query<{ action: string }>("select action from audit_log where record_id = $1 and action = 'signed_in'", [user.id]);
    expect(audit).toHaveLength(1);

    const out = await client.postForm('/sign-out', {});
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe('/sign-in');
    expect((await client.get('/sign-in')).body).toContain('You have signed out.');
    expect((await client.get('/')).body).not.toContain('signed in as');
  });

  it('gives one generic message for a wrong password or unknown email, and keeps the email typed', async () => {
    const user = await buildUser(t.db, { role: 'analyst' });
    const client = new TestClient(t.app);
    const wrong = await client.postForm('/sign-in', { email: user.email, password: 'wrong' });
    const unknown = await client.postForm('/sign-in', { email: 'nobody@test.common-ground.invalid', password: 'wrong' });
    for (const r of [wrong, unknown]) {
      expect(r.statusCode).toBe(401);
      expect(r.body).toContain('Enter a correct email address and password');
      expect(r.body).toContain('nhsuk-error-summary');
    }
    expect(wrong.body).toContain(`value="${user.email}"`);
    expect(wrong.body).toContain('href="#email"');
  });

  it('shows the error summary for an empty form', async () => {
    const response = await new TestClient(t.app).postForm('/sign-in', { email: '', password: '' });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('Enter your email address');
    expect(response.body).toContain('Enter your password');
    expect(response.body).toContain('<title>Error: Sign in');
  });

  it('locks an account after repeated failures and says when to try again', async () => {
    const user = await buildUser(t.db, { role: 'analyst' });
    const client = new TestClient(t.app);
    for (let i = 0; i < 5; i++) await client.postForm('/sign-in', { email: user.email, password: 'wrong' });
    const locked = await client.postForm('/sign-in', { email: user.email, password: user.password });
    expect(locked.statusCode).toBe(429);
    expect(locked.body).toMatch(/Try again in 1[45] minutes/);
    expect((await t.db.query("select 1 from audit_log where action = 'signed_in' and record_id = $1", [user.id])).length).toBe(0);
  });

  it('goes back to the page asked for after signing in, but only to a page on this site', async () => {
    const user = await buildUser(t.db, { role: 'analyst' });
    const form = await new TestClient(t.app).get('/sign-in?returnTo=%2Faccount');
    expect(form.body).toContain('name="returnTo" value="/account"');
    const local = await new TestClient(t.app).postForm('/sign-in', { email: user.email, password: user.password, returnTo: '/account' });
    expect(local.headers.location).toBe('/account');
    const offSite = await new TestClient(t.app).postForm('/sign-in', { email: user.email, password: user.password, returnTo: '//evil.example' });
    expect(offSite.headers.location).toBe('/');
  });

  it('refuses a form without a valid CSRF token with a 403 page explaining the form expired', async () => {
    const user = await buildUser(t.db, { role: 'analyst' });
    const client = new TestClient(t.app);
    const missing = await client.postForm('/sign-in', { email: user.email, password: user.password }, { csrf: null });
    expect(missing.statusCode).toBe(403);
    expect(missing.body).toContain('This form has expired');
    const forged = await client.postForm('/sign-in', { email: user.email, password: user.password }, { csrf: 'forged' });
    expect(forged.statusCode).toBe(403);
  });

  it('answers 404 pages and problem+json for unknown API routes, and 413 for oversized bodies', async () => {
    const page = await t.app.inject({ url: '/no-such-page' });
    expect(page.statusCode).toBe(404);
    expect(page.body).toContain('Page not found');
    const api = await t.app.inject({ url: '/api/v1/no-such-thing' });
    expect(api.statusCode).toBe(404);
    expect(api.headers['content-type']).toContain('application/problem+json');
    const big = await t.app.inject({ method: 'POST', url: '/api/v1/anything', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ x: 'a'.repeat(1_100_000) }) });
    expect(big.statusCode).toBe(413);
  });

  it('reports health and readiness', async () => {
    expect((await t.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject({ url: '/readyz' })).json()).toEqual({ status: 'ready' });
  });
});

describe('the sign-in limits when someone else fails an account’s password', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Behind a named proxy, so each request can come from the address a test gives.
    t = await createTestApp({ TRUSTED_PROXIES: '127.0.0.1' });
  });
  afterAll(async () => t.close());

  async function signInFrom(address: string, email: string, password: string) {
    const page = await t.app.inject({ method: 'GET', url: '/sign-in' });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1];
    const cookie = page.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    return t.app.inject({
      method: 'POST',
      url: '/sign-in',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': address, cookie },
      payload: new URLSearchParams({ email, password, _csrf: csrf }).toString(),
    });
  }

  it('lets the owner in from their own address while the address that failed the password stays limited', async () => {
    const admin = await buildUser(t.db, { role: 'partnership_admin' });
    const attacker = '203.0.113.66';
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await signInFrom(attacker, admin.email, `guess number ${i}`)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);

    const owner = await signInFrom('198.51.100.7', admin.email, admin.password);
    expect(owner.statusCode).toBe(303);
    // The owner signing in does not give the attacker's address more tries, even with the right password.
    const stillLimited = await signInFrom(attacker, admin.email, admin.password);
    expect(stillLimited.statusCode).toBe(429);
    expect(stillLimited.body).toMatch(/Try again in 1[45] minutes/);

    const audit = await t.db.query<{ action: string; ip: string; details: { limits?: string[] } }>(
      `select action, ip, details from audit_log where record_id = $1 and action in ('sign_in_limit_reached', 'signed_in') order by at`,
      [admin.id],
    );
    expect(audit).toEqual([
      { action: 'sign_in_limit_reached', ip: attacker, details: expect.objectContaining({ email: admin.email, limits: ['account_and_address'] }) },
      { action: 'signed_in', ip: '198.51.100.7', details: {} },
    ]);
  });

  it('still stops one address trying many accounts, and one account being tried from many addresses', async () => {
    const sprayer = '203.0.113.70';
    const sprayed: number[] = [];
    for (let i = 0; i < 21; i++) sprayed.push((await signInFrom(sprayer, `someone${i}@test.common-ground.invalid`, 'a guessed password')).statusCode);
    expect(sprayed.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(sprayed[20]).toBe(429);

    const user = await buildUser(t.db, { role: 'analyst' });
    for (let a = 0; a < 10; a++) {
      for (let i = 0; i < 5; i++) expect((await signInFrom(`192.0.2.${a + 1}`, user.email, `guess ${i}`)).statusCode).toBe(401);
    }
    // Fifty failures from ten addresses: the account's own, much higher limit is reached.
    expect((await signInFrom('198.51.100.99', user.email, user.password)).statusCode).toBe(429);
  });
});
