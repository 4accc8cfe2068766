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

/** Text no database column or JSON audit record can hold, and bodies no parser can finish. */
describe('characters that cannot be stored, and broken bodies, get a 400', () => {
  let t: TestApp;
  let admin: TestClient;
  beforeAll(async () => {
    t = await createTestApp();
    const user = await buildUser(t.db, { role: 'partnership_admin' });
    admin = new TestClient(t.app);
    await admin.signIn(user.email, user.password);
  });
  afterAll(async () => t.close());

  it('answers a NUL or a lone surrogate in a query, a form or JSON, a repeated query key, and broken multipart, below 500 on every route', { timeout: 600_000 }, async () => {
    const routes = t.app.routeList.filter((r) => !r.url.startsWith('/assets') && !r.url.startsWith('/nhsuk') && !r.url.startsWith('/static') && r.url !== '/sign-out');
    const failures: string[] = [];
    const refusedAsUnstorable: string[] = [];
    for (const route of routes) {
      const url = route.url.replace(/:[A-Za-z_]+/g, '00000000-0000-0000-0000-000000000000').replace('*', 'x');
      const attempts =
        route.method === 'GET'
          ? [admin.get(`${url}?text=%00&search=%00&q=%00&postcode=WY1%001AA`), admin.get(`${url}?q=a&q=b&text=a&text=b&page=1&page=2`)]
          : [
              admin.postForm(url, { name: 'a\u0000b', email: 'x\u0000@example.org', text: 'note\u0000', description: '\u0000' }),
              t.app.inject({ method: route.method as 'POST', url, headers: { 'content-type': 'application/json', cookie: `cg_session=x` }, payload: '{"name":"\\ud800","description":"a\\u0000b"}' }),
              t.app.inject({ method: route.method as 'POST', url, headers: { 'content-type': 'multipart/form-data' }, payload: 'xx' }),
              t.app.inject({ method: route.method as 'POST', url, headers: { 'content-type': 'multipart/form-data; boundary=cut' }, payload: '--cut\r\nContent-Disposition: form-data; name="name"\r\n\r\ntruncated' }),
            ];
      for (const response of await Promise.all(attempts)) {
        if (response.statusCode >= 500) failures.push(`${route.method} ${url} → ${response.statusCode}: ${response.body.slice(0, 200)}`);
        if (response.statusCode === 400 && response.body.includes('characters that cannot be stored')) refusedAsUnstorable.push(url);
      }
    }
    expect(failures).toEqual([]);
    // The refusal is the platform's, for every route: not a lucky 4xx from somewhere else.
    expect(refusedAsUnstorable.length).toBeGreaterThan(routes.length);
  });

  it('names the field that holds the character, on the page and in the API', async () => {
    const page = await admin.get('/directory?text=walk%00ing');
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('query.text');
    const api = await t.app.inject({ method: 'POST', url: '/api/v1/services', headers: { 'content-type': 'application/json' }, payload: '{"name":"\\ud800"}' });
    expect(api.statusCode).toBe(400);
    expect(api.json().errors).toEqual([{ name: 'body.name', reason: expect.stringContaining('NUL') }]);
  });
});
