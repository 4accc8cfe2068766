import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser } from './support/factories.ts';
import { buildService } from './support/directory-factories.ts';
import { createTestApp, TestClient, type TestApp } from './support/test-app.ts';

/** Values a careless or hostile client might send in place of ids and parameters. */
const badValues = ['not-a-uuid', '00000000-0000-0000-0000-000000000000', "'; drop table users; --", '9'.repeat(40)];
const badQuery = '?page=-1&per_page=abc&miles=lots&age=old&day=Funday&postcode=%3Cscript%3E&text=%E0%A4%A&format=xml&modified_after=yesterday&from=2026-13-45&proximity=-5';

function fillParams(url: string, value: string): string {
  return url.replace(/:[A-Za-z_]+/g, encodeURIComponent(value)).replace('*', value);
}

describe('no input produces a server error', () => {
  let t: TestApp;
  let admin: TestClient;
  beforeAll(async () => {
    t = await createTestApp();
    await buildService(t.db);
    const user = await buildUser(t.db, { role: 'partnership_admin' });
    admin = new TestClient(t.app);
    await admin.signIn(user.email, user.password);
  });
  afterAll(async () => t.close());

  it('answers every route, with bad ids, bad parameters and junk bodies, below 500', { timeout: 600_000 }, async () => {
    const routes = t.app.routeList.filter((r) => !r.url.startsWith('/assets') && !r.url.startsWith('/nhsuk') && !r.url.startsWith('/static') && r.url !== '/sign-out');
    expect(routes.length).toBeGreaterThan(5);
    const failures: string[] = [];
    for (const route of routes) {
      for (const value of badValues) {
        const url = fillParams(route.url, value);
        const attempts =
          route.method === 'GET'
            ? [admin.get(url), admin.get(url + badQuery), t.app.inject({ method: 'GET', url: url + badQuery })]
            : [
                admin.postForm(url, { name: value, email: value, page: value, _method: 'PUT' }),
                t.app.inject({ method: route.method as 'POST', url, headers: { 'content-type': 'application/json', authorization: 'Bearer nonsense' }, payload: '{"name": 5, "nested": {"x": [null]}}' }),
                t.app.inject({ method: route.method as 'POST', url, headers: { 'content-type': 'application/json' }, payload: '{not json' }),
              ];
        for (const response of await Promise.all(attempts)) {
          if (response.statusCode >= 500) failures.push(`${route.method} ${url} → ${response.statusCode}: ${response.body.slice(0, 200)}`);
        }
        if (!route.url.includes(':')) break; // one pass is enough for routes without ids
      }
    }
    expect(failures).toEqual([]);
  });
});
