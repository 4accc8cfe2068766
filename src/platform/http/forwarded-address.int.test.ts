import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser } from '../../../test/support/factories.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';


// CSRF: the sign-in form needs its token; take it from the page with the cookie that goes with it.
async function signInForm(t: TestApp) {
  const page = await t.app.inject({ method: 'GET', url: '/sign-in' });
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1];
  const cookie = page.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  return { token, cookie };
}

describe('the client address behind X-Forwarded-For', () => {
  describe('with no trusted proxies (the default)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp();
    });
    afterAll(async () => t.close());

    it('ignores a forged X-Forwarded-For: a new address each time does not dodge the sign-in limit, and the audit log records the real one', async () => {
      // More different accounts than the per-address limit (20), from one real address.
      const emails = Array.from({ length: 22 }, (_, i) => `nobody${i}@test.common-ground.invalid`);
      const { token, cookie } = await signInForm(t);
      const statuses: number[] = [];
      for (const [i, email] of emails.entries()) {
        const response = await t.app.inject({
          method: 'POST',
          url: '/sign-in',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': i === 0 ? '=HYPERLINK("http://x")' : `198.51.100.${i}`, cookie },
          payload: new URLSearchParams({ email, password: 'not-the-password', _csrf: token }).toString(),
        });
        statuses.push(response.statusCode);
      }
      expect(statuses.slice(-2)).toEqual([429, 429]);
      const ips = await t.db.query<{ ip: string }>(`select distinct ip from audit_log where action = 'sign_in_failed'`);
      expect(ips.map((r) => r.ip)).toEqual(['127.0.0.1']);
    });
  });

  describe('behind a named proxy', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ TRUSTED_PROXIES: '127.0.0.1' });
    });
    afterAll(async () => t.close());

    it('believes the address the proxy forwards', async () => {
      const user = await buildUser(t.db, { role: 'analyst' });
      const { token, cookie } = await signInForm(t);
      await t.app.inject({
        method: 'POST',
        url: '/sign-in',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '203.0.113.9', cookie },
        payload: new URLSearchParams({ email: user.email, password: 'not-the-password', _csrf: token }).toString(),
      });
      const ips = await t.db.query<{ ip: string }>(`select ip from audit_log where action = 'sign_in_failed'`);
      expect(ips.map((r) => r.ip)).toEqual(['203.0.113.9']);
    });
  });
});
