import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signedInAs, type TestApp, type TestClient } from '../../../test/support/kit.ts';
import { buildPartnership, referThroughForm } from '../../../test/support/social-prescribing.ts';

/** A person's details must not be kept by the browser or a shared cache: every page and answer about them says no-store. */
describe('social prescribing: pages and API answers about a person are not cached', () => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof buildPartnership>>;
  let lw: TestClient;
  let personId: string;
  let caseId: string;
  let referralId: string;
  beforeAll(async () => {
    t = await createTestApp();
    w = await buildPartnership(t);
    lw = await signedInAs(t, w.lw);
    ({ personId, referralId } = await referThroughForm(t.db, await signedInAs(t, w.gpStaff), w.practice.id, { givenName: 'Cachea', nhsNumber: '' }));
    await lw.postForm(`/social-prescribing/referrals/${referralId}/triage`, { decision: 'accept' });
    [{ id: caseId }] = await t.db.query<{ id: string }>('select id from sp_cases where referral_id = $1', [referralId]);
  });
  afterAll(async () => t?.close());

  it.each([
    ['the person page', () => `/social-prescribing/people/${personId}`],
    ['the person edit form', () => `/social-prescribing/people/${personId}/edit`],
    ['the case page', () => `/social-prescribing/cases/${caseId}`],
    ['the referral page', () => `/social-prescribing/referrals/${referralId}`],
    ['the caseload', () => '/social-prescribing'],
    ['the person API', () => `/api/v1/social-prescribing/people/${personId}`],
    ['the case API', () => `/api/v1/social-prescribing/cases/${caseId}`],
    ['the caseload API', () => '/api/v1/social-prescribing/caseload'],
  ])('%s answers with cache-control: no-store', async (_what, url) => {
    const response = await lw.get(url());
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toContain('no-store');
  });
});
