/**
 * The sign-in limits under attempts made at the same moment. Named `*.repository.int.test.ts` so it
 * runs on PostgreSQL as well as PGlite: counting attempts one after another depends on the engine's
 * locking (see lockSignInCounts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, createTestApp, type TestApp } from '../../../../test/support/kit.ts';

describe('sign-in limits under simultaneous attempts', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('checks at most 5 of 30 simultaneous wrong passwords for one account, and refuses the rest', async () => {
    const user = await buildUser(t.db, { role: 'analyst' });
    const page = await t.app.inject({ method: 'GET', url: '/sign-in' });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1];
    const cookie = page.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const attempt = () =>
      t.app.inject({
        method: 'POST',
        url: '/sign-in',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        payload: new URLSearchParams({ email: user.email, password: 'not the password at all', _csrf: csrf }).toString(),
      });
    const statuses = (await Promise.all(Array.from({ length: 30 }, attempt))).map((r) => r.statusCode);

    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(25);
    const audit = await t.db.query<{ action: string }>(`select action from audit_log where record_id = $1 order by at`, [user.id]);
    expect(audit.filter((a) => a.action === 'sign_in_failed')).toHaveLength(5);
    expect(audit.filter((a) => a.action === 'sign_in_limit_reached')).toHaveLength(1);
    const failures = await t.db.query<{ n: number }>('select count(*)::int as n from sign_in_failures where email = lower($1)', [user.email]);
    expect(failures[0].n).toBe(5);
  });
});
