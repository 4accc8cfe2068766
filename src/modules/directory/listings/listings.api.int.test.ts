import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrganisation, buildUser, createTestApp, type TestApp } from '../../../../test/support/kit.ts';
import { buildService } from '../../../../test/support/directory-factories.ts';
import type { Role } from '../../../platform/actor.ts';
import { hashSecret, newSecret } from '../../identity/tokens.ts';
import { loadOrganisationRecords, loadServiceRecords } from '../directory.repository.ts';
import { addPostcodes } from '../../../../test/support/directory.ts';

/** A personal API token for a new user with this role. */
async function tokenFor(t: TestApp, role: Role, organisationId?: string) {
  const user = await buildUser(t.db, { role, organisationId });
  const token = newSecret('cg_');
  await t.db.query(`insert into api_tokens (id, user_id, name, token_hash, token_hint) values (gen_random_uuid(), $1, 'test', $2, 'cg_…')`, [user.id, hashSecret(token)]);
  return { user, headers: { authorization: `Bearer ${token}` } };
}

const aServiceBody = (overrides: Record<string, unknown> = {}) => ({
  name: 'Wyndale Carers Coffee Morning',
  description: 'A friendly monthly meet-up for unpaid carers.',
  status: 'active',
  freeOfCharge: true,
  deliveryModes: ['in_person'],
  languages: ['English'],
  needs: ['carers', '6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b1001'],
  contact: { name: 'Carers team', phone: '01632 960456' },
  locations: [
    {
      name: 'Wyndale Library',
      addressLine1: '5 Market Street',
      town: 'Wyndale',
      postcode: 'wy11aa',
      times: [{ frequency: 'monthly', week: '1', weekday: 'TU', opensAt: '10:00', closesAt: '11:30' }],
    },
  ],
  ...overrides,
});

describe('the listings API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await addPostcodes(t.db);
  });
  afterAll(async () => t?.close());

  const call = (method: 'POST' | 'PUT', url: string, headers: Record<string, string>, payload?: unknown) =>
    t.app.inject({ method, url, headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify(payload ?? {}) });

  it('creates a service with its places and times (201 and Location), then replaces it with PUT', async () => {
    const organisation = await buildOrganisation(t.db);
    const { headers, user } = await tokenFor(t, 'organisation_editor', organisation.id);
    const created = await call('POST', '/api/v1/services', headers, { ...aServiceBody(), organisationId: organisation.id });
    expect(created.statusCode).toBe(201);
    const body = created.json();
    expect(created.headers.location).toBe(`/api/v1/services/${body.id}`);
    expect(body).toMatchObject({ organisationId: organisation.id, name: 'Wyndale Carers Coffee Morning', status: 'active' });
    let [saved] = await loadServiceRecords(t.db, [body.id]);
    expect(saved.locations[0]).toMatchObject({ name: 'Wyndale Library', postalCode: 'WY1 1AA', latitude: 53.7 });
    expect(saved.locations[0].schedules[0]).toMatchObject({ freq: 'MONTHLY', byday: '1TU', opensAt: '10:00', closesAt: '11:30' });
    expect(saved.taxonomyTermIds).toHaveLength(2);
    const [audit] = await t.db.query<{ action: string; actor_user_id: string }>(`select action, actor_user_id from audit_log where record_id = $1`, [body.id]);
    expect(audit).toEqual({ action: 'created', actor_user_id: user.id });

    const replaced = await call('PUT', `/api/v1/services/${body.id}`, headers, aServiceBody({ name: 'Carers Coffee Morning', freeOfCharge: false, cost: { amount: 2.5, option: 'Per visit' }, locations: undefined, version: body.version }));
    expect(replaced.statusCode).toBe(200);
    [saved] = await loadServiceRecords(t.db, [body.id]);
    expect(saved).toMatchObject({ name: 'Carers Coffee Morning', freeOfCharge: false });
    expect(saved.costOptions[0]).toMatchObject({ amount: 2.5, option: 'Per visit' });
    // Locations left out are kept.
    expect(saved.locations).toHaveLength(1);

    // The version read before the replace is now out of date.
    const stale = await call('PUT', `/api/v1/services/${body.id}`, headers, aServiceBody({ version: body.version }));
    expect(stale.statusCode).toBe(409);
    expect(stale.headers['content-type']).toContain('application/problem+json');
  });

  it('answers 422 problem+json naming the fields that break the rules', async () => {
    const organisation = await buildOrganisation(t.db);
    const { headers } = await tokenFor(t, 'organisation_editor', organisation.id);
    const service = await buildService(t.db, { organisationId: organisation.id });
    const bad = await call('PUT', `/api/v1/services/${service.id}`, headers, aServiceBody({
      minimumAge: 70,
      maximumAge: 60,
      status: 'temporarily closed',
      freeOfCharge: false,
      needs: ['no-such-need'],
      locations: [{ name: 'Nowhere', addressLine1: '1 Road', town: 'Wyndale', postcode: 'WY9 9ZZ', times: [{ frequency: 'weekly', days: ['MO'], opensAt: '12:00', closesAt: '11:00' }] }],
    }));
    expect(bad.statusCode).toBe(422);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    const names = (bad.json().errors as { name: string; reason: string }[]).map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(['body.reopeningDate', 'body.minimumAge', 'body.cost.amount', 'body.needs', 'body.locations.0.postcode', 'body.locations.0.times.0.closesAt']));
    expect(bad.json().errors).toContainEqual({ name: 'body.locations.0.postcode', reason: 'We could not find that postcode' });
    expect((await loadServiceRecords(t.db, [service.id]))[0].name).toBe(service.name);

    const malformed = await call('PUT', `/api/v1/services/${service.id}`, headers, aServiceBody({ locations: [{ name: 'X', addressLine1: 'Y', town: 'Z', postcode: 'nonsense', times: [] }] }));
    expect(malformed.statusCode).toBe(422);
    expect(malformed.json().errors).toContainEqual({ name: 'body.locations.0.postcode', reason: 'Enter a real postcode' });

    const wrongShape = await call('PUT', `/api/v1/services/${service.id}`, headers, { name: 5 });
    expect(wrongShape.statusCode).toBe(400);
  });

  it('answers 401 without a token, 403 for another organisation, 404 for unknown services', async () => {
    const service = await buildService(t.db);
    const anonymous = await call('PUT', `/api/v1/services/${service.id}`, {}, aServiceBody());
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['content-type']).toContain('application/problem+json');
    expect((await call('POST', '/api/v1/services', {}, { ...aServiceBody(), organisationId: service.organisationId })).statusCode).toBe(401);

    const { headers } = await tokenFor(t, 'organisation_editor');
    expect((await call('PUT', `/api/v1/services/${service.id}`, headers, aServiceBody())).statusCode).toBe(403);
    expect((await call('POST', `/api/v1/services/${service.id}/reviewed`, headers)).statusCode).toBe(403);
    expect((await call('POST', '/api/v1/services', headers, { ...aServiceBody(), organisationId: service.organisationId })).statusCode).toBe(403);
    expect((await call('PUT', `/api/v1/services/${crypto.randomUUID()}`, headers, aServiceBody())).statusCode).toBe(404);
    expect((await call('PUT', '/api/v1/services/not-a-uuid', headers, aServiceBody())).statusCode).toBe(404);
  });

  it('marks a service as still correct', async () => {
    const service = await buildService(t.db);
    await t.db.query(`update services set last_reviewed_at = now() - interval '1 year' where id = $1`, [service.id]);
    const { headers } = await tokenFor(t, 'organisation_editor', service.organisationId);
    const response = await call('POST', `/api/v1/services/${service.id}/reviewed`, headers);
    expect(response.statusCode).toBe(200);
    expect(Date.now() - new Date(response.json().lastReviewedAt).getTime()).toBeLessThan(60_000);
  });

  it('creates organisations (admins), flags duplicates, and updates them with the form’s checks', async () => {
    const admin = await tokenFor(t, 'partnership_admin');
    const first = await call('POST', '/api/v1/organisations', admin.headers, { name: 'Hillside Food Bank', kind: 'charity', charityNumber: '3334445', postcode: 'WY1 1AA' });
    expect(first.statusCode).toBe(201);
    expect(first.headers.location).toBe(`/api/v1/organisations/${first.json().id}`);
    expect(first.json().identifiers).toEqual([{ scheme: 'GB-CHC', identifier: '3334445' }]);
    const second = await call('POST', '/api/v1/organisations', admin.headers, { name: 'Hillside Foodbank', kind: 'charity', charityNumber: '3334445' });
    expect(second.json().possibleDuplicates).toEqual([{ id: first.json().id, name: 'Hillside Food Bank', reason: 'shares the identifier GB-CHC-3334445' }]);

    const invalid = await call('POST', '/api/v1/organisations', admin.headers, { name: 'X', kind: 'charity', charityNumber: '12', postcode: 'nope' });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.json().errors).toEqual(
      expect.arrayContaining([
        { name: 'body.charityNumber', reason: 'Enter a charity number of 6 to 8 digits, like 1234567' },
        { name: 'body.postcode', reason: 'Enter a real postcode' },
      ]),
    );

    const editor = await tokenFor(t, 'organisation_editor', first.json().id);
    expect((await call('POST', '/api/v1/organisations', editor.headers, { name: 'Y', kind: 'charity' })).statusCode).toBe(403);
    const updated = await call('PUT', `/api/v1/organisations/${first.json().id}`, editor.headers, { name: 'Hillside Community Food Bank', kind: 'charity', version: first.json().version });
    expect(updated.statusCode).toBe(200);
    const [record] = await loadOrganisationRecords(t.db, [first.json().id]);
    expect(record.name).toBe('Hillside Community Food Bank');
    expect(record.identifiers).toEqual([]);
    expect((await call('PUT', `/api/v1/organisations/${first.json().id}`, editor.headers, { name: 'Again', kind: 'charity', version: first.json().version })).statusCode).toBe(409);
    expect((await call('PUT', `/api/v1/organisations/${second.json().id}`, editor.headers, { name: 'Not mine', kind: 'charity' })).statusCode).toBe(403);
  });

  it('documents the endpoints in OpenAPI under Directory', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json();
    for (const [path, method] of [['/api/v1/services', 'post'], ['/api/v1/services/{id}', 'put'], ['/api/v1/services/{id}/reviewed', 'post'], ['/api/v1/organisations', 'post'], ['/api/v1/organisations/{id}', 'put']]) {
      expect(doc.paths[path]?.[method]?.tags, `${method} ${path}`).toEqual(['Directory']);
    }
  });
});
