import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, createTestApp, signedInAs, type TestApp, type TestClient } from '../../../test/support/kit.ts';

/** The module's own routes, with junk ids, parameters and bodies: never a server error. */
const badValues = ['not-a-uuid', '00000000-0000-0000-0000-000000000000', "'; drop table users; --"];
const badFields = { organisationId: 'x', role: 'king', fingerprint: 'abc', version: '-1', title: '', dataItems: ['nope'], article9: '9(9)', screening: 'maybe', likelihood: '99', decision: 'perhaps', startOn: '2026-02-30', icoRegistration: '=1+1', protocolVersion: 'one' };

describe('information sharing answers junk without a server error', () => {
  let t: TestApp;
  let ig: TestClient;
  beforeAll(async () => {
    t = await createTestApp();
    ig = await signedInAs(t, await buildUser(t.db, { role: 'ig_lead' }));
  });
  afterAll(async () => t.close());

  it('every /sharing route, for every bad value, is below 500', { timeout: 300_000 }, async () => {
    const routes = t.app.routeList.filter((r) => r.url.startsWith('/sharing'));
    expect(routes.length).toBeGreaterThan(15);
    const failures: string[] = [];
    for (const route of routes) {
      for (const value of badValues) {
        const url = route.url.replace(/:[A-Za-z]+/g, encodeURIComponent(value));
        const response = route.method === 'GET' ? await ig.get(`${url}?page=-1&show=everything&organisationId=${encodeURIComponent(value)}`) : await ig.postForm(url, badFields);
        if (response.statusCode >= 500) failures.push(`${route.method} ${url}: ${response.statusCode}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
