import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/kit.ts';
import { orukPageOfProblems, orukProblems } from '../../../../test/support/oruk-standard.ts';
import { saveDirectory, someOrganisations, variedServices } from '../../../../test/support/varied-directory.ts';
import type { OrganisationRecord, ServiceRecord } from '../directory.types.ts';
import { needs, NEEDS_TAXONOMY_ID } from '../needs-taxonomy.ts';
import { CHARGE_TERM_ID, deliveryTermIds, DELIVERY_TAXONOMY_ID, FREE_TERM_ID } from './oruk-taxonomies.ts';

type Page = {
  total_items: number;
  total_pages: number;
  page_number: number;
  size: number;
  first_page: boolean;
  last_page: boolean;
  empty: boolean;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are read field by field
  contents: Record<string, any>[];
};

describe('Open Referral UK 3.0 API', () => {
  let t: TestApp;
  let organisations: OrganisationRecord[];
  let services: ServiceRecord[];
  const get = (url: string) => t.app.inject({ method: 'GET', url });
  const json = async (url: string, status = 200) => {
    const response = await get(url);
    expect(response.statusCode, `${url}: ${response.body.slice(0, 300)}`).toBe(status);
    expect(response.headers['access-control-allow-origin']).toBe('*');
    return response.json();
  };

  beforeAll(async () => {
    t = await createTestApp();
    organisations = someOrganisations(7);
    services = variedServices(organisations.map((o) => o.id), 120);
    await saveDirectory(t.db, organisations, services);
    // Some services last changed long ago, for modified_after.
    await t.db.query(`update services set last_modified = '2024-01-01T00:00:00Z' where id = any($1::uuid[])`, [services.slice(0, 30).map((s) => s.id)]);
    await t.db.query(`insert into postcodes (postcode, latitude, longitude) values ('WY1 2AB', 53.71, -1.91), ('WY9 9ZZ', 10, 10)`);
  });
  afterAll(() => t?.close());

  it('describes itself at /oruk with the version and the specification it follows', async () => {
    const body = await json('/oruk');
    expect(orukProblems('api_details.json', body)).toEqual([]);
    expect(body).toEqual({ version: 'HSDS-UK-3.0', profile: 'https://openreferraluk.org/specifications/3.0/', openapi_url: 'https://openreferraluk.org/specifications/3.0/openapi.json' });
  });

  it('answers CORS preflight requests from any web page', async () => {
    const response = await t.app.inject({ method: 'OPTIONS', url: '/oruk/services?page=2', headers: { origin: 'https://other.example.org', 'access-control-request-method': 'GET' } });
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(response.headers['access-control-allow-methods']).toContain('GET');
  });

  it('pages through every service: first, middle and last pages conform and together hold each service once', async () => {
    const seen: string[] = [];
    for (let page = 1; page <= 5; page++) {
      const body: Page = await json(`/oruk/services?per_page=25&page=${page}`);
      expect(orukProblems('service_list.json', body)).toEqual([]);
      expect(body).toMatchObject({ total_items: 120, total_pages: 5, page_number: page, size: page === 5 ? 20 : 25, first_page: page === 1, last_page: page === 5, empty: false });
      seen.push(...body.contents.map((s) => s.id));
      // Lists carry one-to-one fields and the organisation only.
      expect(body.contents[0].organization).toBeDefined();
      expect(body.contents[0].service_at_locations).toBeUndefined();
    }
    expect(new Set(seen).size).toBe(120);
    expect(new Set(seen)).toEqual(new Set(services.map((s) => s.id)));
  });

  it('uses 50 a page unless asked, and returns an empty page past the end', async () => {
    const first: Page = await json('/oruk/services');
    expect(first).toMatchObject({ total_items: 120, total_pages: 3, size: 50 });
    const beyond: Page = await json('/oruk/services?page=9&per_page=50');
    expect(orukProblems('service_list.json', beyond)).toEqual([]);
    expect(beyond).toEqual({ total_items: 120, total_pages: 3, page_number: 9, size: 0, first_page: false, last_page: true, empty: true, contents: [] });
  });

  it('gives minimal records (id, name, status, last modified) and full nested records in lists when asked', async () => {
    const minimal: Page = await json('/oruk/services?minimal=true&per_page=1000');
    expect(orukProblems('service_list.json', minimal)).toEqual([]);
    expect(minimal.size).toBe(120);
    for (const s of minimal.contents) expect(Object.keys(s).sort()).toEqual(['id', 'last_modified', 'name', 'status']);

    for (const page of [1, 2, 3]) {
      const full: Page = await json(`/oruk/services?full_service=true&per_page=50&page=${page}`);
      expect(orukPageOfProblems('service_list.json', 'service.json', full)).toEqual([]);
      expect(full.contents.some((s) => s.service_at_locations && s.attributes)).toBe(true);
    }
    const viaFull: Page = await json('/oruk/services?full=true&per_page=3');
    expect(viaFull.contents[0].attributes).toBeDefined();
  });

  it('returns every service fully nested by id, conforming to service.json with no empty or unknown fields', async () => {
    for (const s of services) {
      const body = await json(`/oruk/services/${s.id}`);
      expect(orukProblems('service.json', body), s.name).toEqual([]);
      expect(body.id).toBe(s.id);
      expect(body.status).toBe(s.status);
      expect(body.organization.id).toBe(s.organisationId);
      expect(body.service_at_locations?.length ?? 0).toBe(s.locations.length);
      const termIds = (body.attributes ?? []).map((a: { taxonomy_term_id: string }) => a.taxonomy_term_id);
      expect(termIds).toEqual(expect.arrayContaining([...s.taxonomyTermIds, ...s.deliveryModes.map((m) => deliveryTermIds[m])]));
      expect(termIds).toContain(s.freeOfCharge ? FREE_TERM_ID : CHARGE_TERM_ID);
      const located = (body.schedules ?? []).filter((x: { service_at_location_id?: string }) => x.service_at_location_id).length;
      expect(located).toBe(s.locations.reduce((n, l) => n + l.schedules.length, 0));
    }
  });

  it('maps a service in detail: organisation with identifiers, address, accessibility, times, costs and needs', async () => {
    const s = services.find((x) => x.costOptions.length && x.locations.length && x.locations[0].accessibility && x.serviceAreas.length === 0)!;
    const organisation = organisations.find((o) => o.id === s.organisationId)!;
    const body = await json(`/oruk/services/${s.id}`);
    const location = s.locations[0];
    expect(body.service_at_locations[0]).toEqual({
      id: location.serviceAtLocationId,
      location: expect.objectContaining({
        id: location.id,
        location_type: 'physical',
        latitude: location.latitude,
        addresses: [expect.objectContaining({ address_1: expect.stringContaining(location.address1!), city: 'Wyndale', postal_code: location.postalCode, country: 'GB', address_type: 'physical' })],
        accessibility: [expect.objectContaining({ description: location.accessibility })],
      }),
    });
    expect(body.cost_options).toEqual([{ id: s.costOptions[0].id, option: 'Each session', amount: 2.5, amount_description: 'per person', valid_from: '2026-01-01' }]);
    expect(body.organization.organization_identifiers ?? []).toHaveLength(organisation.identifiers.length);
    const need = body.attributes.find((a: { taxonomy_term_id: string }) => a.taxonomy_term_id === s.taxonomyTermIds[0]);
    const term = needs.find((n) => n.id === s.taxonomyTermIds[0])!;
    expect(need.taxonomy_term).toEqual({ id: term.id, name: term.name, description: term.description, taxonomy: 'Needs', taxonomy_id: NEEDS_TAXONOMY_ID, term: term.code });
    expect(body.schedules).toContainEqual(expect.objectContaining({ service_at_location_id: location.serviceAtLocationId, freq: location.schedules[0].freq, opens_at: `${location.schedules[0].opensAt}:00` }));
  });

  it('filters services by taxonomy term, taxonomy, organisation, time modified and search words', async () => {
    const need = needs[0].id;
    const byTerm: Page = await json(`/oruk/services?taxonomy_term_id=${need}&per_page=1000`);
    expect(byTerm.total_items).toBe(services.filter((s) => s.taxonomyTermIds.includes(need)).length);
    expect(byTerm.total_items).toBeGreaterThan(0);

    const online: Page = await json(`/oruk/services?taxonomy_term_id=${deliveryTermIds.online}&per_page=1000`);
    expect(new Set(online.contents.map((s) => s.id))).toEqual(new Set(services.filter((s) => s.deliveryModes.includes('online')).map((s) => s.id)));
    const paid: Page = await json(`/oruk/services?taxonomy_term_id=${CHARGE_TERM_ID}&per_page=1000`);
    expect(paid.total_items).toBe(services.filter((s) => !s.freeOfCharge).length);

    const needsTaxonomy: Page = await json(`/oruk/services?taxonomy_id=${NEEDS_TAXONOMY_ID}&per_page=1000`);
    expect(needsTaxonomy.total_items).toBe(services.filter((s) => s.taxonomyTermIds.length).length);
    const delivered: Page = await json(`/oruk/services?taxonomy_id=${DELIVERY_TAXONOMY_ID}&per_page=1000`);
    expect(delivered.total_items).toBe(services.filter((s) => s.deliveryModes.length).length);

    const byOrganisation: Page = await json(`/oruk/services?organization_id=${organisations[2].id}&per_page=1000`);
    expect(byOrganisation.total_items).toBe(services.filter((s) => s.organisationId === organisations[2].id).length);
    expect(byOrganisation.contents.every((s) => s.organization_id === organisations[2].id)).toBe(true);

    const recent: Page = await json('/oruk/services?modified_after=2025-06-01T00:00:00Z&per_page=1000');
    expect(recent.total_items).toBe(90);

    const search: Page = await json('/oruk/services?search=walking&per_page=1000');
    expect(search.total_items).toBe(services.filter((s) => s.name.startsWith('Walking')).length);
  });

  it('finds services near a postcode, nearest first, and within a distance', async () => {
    const near: Page = await json('/oruk/services?postcode=wy12ab&proximity=1000&per_page=1000');
    expect(orukProblems('service_list.json', near)).toEqual([]);
    expect(near.total_items).toBeGreaterThan(0);
    // The services at the shared hall (at the postcode itself) come first.
    const atHall = services.filter((s) => s.locations.some((l) => l.name === 'Wyndale Shared Hall')).map((s) => s.id);
    expect(new Set(near.contents.slice(0, atHall.length).map((s) => s.id))).toEqual(new Set(atHall));
    const far: Page = await json('/oruk/services?postcode=WY9%209ZZ&proximity=1000');
    expect(far).toMatchObject({ total_items: 0, empty: true, contents: [] });
    const sorted: Page = await json('/oruk/services?postcode=WY1%202AB&per_page=1000');
    expect(sorted.total_items).toBe(120);
  });

  it.each([
    ['page=0', 'querystring.page'],
    ['page=two', 'querystring.page'],
    ['per_page=abc', 'querystring.per_page'],
    ['per_page=5000', 'querystring.per_page'],
    ['proximity=500', 'querystring.proximity'],
    ['taxonomy_term_id=not-a-uuid', 'querystring.taxonomy_term_id'],
    ['organization_id=123', 'querystring.organization_id'],
    ['modified_after=yesterday', 'querystring.modified_after'],
    ['minimal=yes', 'querystring.minimal'],
    ['format=xml', 'querystring.format'],
    ['postcode=hello&proximity=100', 'querystring.postcode'],
    ['postcode=ZZ1%201ZZ', 'querystring.postcode'],
  ])('rejects a bad parameter (%s) with a 400 problem naming it', async (query, name) => {
    const response = await get(`/oruk/services?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(response.json().errors.map((e: { name: string }) => e.name)).toContain(name);
  });

  it('gives a 404 problem for unknown or malformed ids and paths', async () => {
    for (const url of [
      `/oruk/services/${crypto.randomUUID()}`,
      '/oruk/services/not-a-uuid',
      "/oruk/services/1' or '1'='1",
      `/oruk/service_at_locations/${crypto.randomUUID()}`,
      '/oruk/service_at_locations/42',
      `/oruk/organizations/${crypto.randomUUID()}`,
      '/oruk/organizations/x',
      `/oruk/taxonomies/${crypto.randomUUID()}`,
      '/oruk/taxonomy_terms/zzz',
      '/oruk/no-such-endpoint',
    ]) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.headers['access-control-allow-origin']).toBe('*');
    }
  });

  it('streams every matching service as NDJSON, one full service a line', async () => {
    const response = await get('/oruk/services?format=ndjson');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('application/x-ndjson');
    expect(response.headers['access-control-allow-origin']).toBe('*');
    const lines = response.body.trimEnd().split('\n');
    expect(lines).toHaveLength(120);
    for (const line of lines) expect(orukProblems('service.json', JSON.parse(line))).toEqual([]);
    const some = await get(`/oruk/services?format=ndjson&organization_id=${organisations[1].id}`);
    expect(some.body.trimEnd().split('\n')).toHaveLength(services.filter((s) => s.organisationId === organisations[1].id).length);
    const none = await get('/oruk/services?format=ndjson&search=nothingmatchesthis');
    expect(none.statusCode).toBe(200);
    expect(none.body).toBe('');
    expect((await get('/oruk/services?format=ndjson&postcode=ZZ1%201ZZ')).statusCode).toBe(400);
  });

  it('lists services at locations, summary and full, and returns each by id', async () => {
    const expected = services.reduce((n, s) => n + s.locations.length, 0);
    const first: Page = await json('/oruk/service_at_locations?per_page=40');
    expect(orukProblems('service_at_location_list.json', first)).toEqual([]);
    expect(first.total_items).toBe(expected);
    const last: Page = await json(`/oruk/service_at_locations?per_page=40&page=${first.total_pages}`);
    expect(orukProblems('service_at_location_list.json', last)).toEqual([]);
    expect(last.last_page).toBe(true);
    // The pages together hold every service at a location once.
    const seen: string[] = [];
    for (let page = 1; page <= first.total_pages; page++) seen.push(...(await json(`/oruk/service_at_locations?per_page=40&page=${page}`)).contents.map((x: { id: string }) => x.id));
    expect(new Set(seen).size).toBe(expected);
    expect(seen).toHaveLength(expected);
    const full: Page = await json('/oruk/service_at_locations?per_page=40&page=2&full=true');
    expect(orukPageOfProblems('service_at_location_list.json', 'service_at_location.json', full)).toEqual([]);
    for (const item of first.contents.slice(0, 20)) {
      const body = await json(`/oruk/service_at_locations/${item.id}`);
      expect(orukProblems('service_at_location.json', body)).toEqual([]);
      expect(body.location.id).toBe(item.location.id);
      expect(body.service.id).toBe(item.service.id);
    }
    const near: Page = await json('/oruk/service_at_locations?postcode=WY1%202AB&proximity=200');
    expect(near.contents.every((x) => x.location.name === 'Wyndale Shared Hall')).toBe(true);
  });

  it('lists organisations and returns each with identifiers and services, leaving out merged ones', async () => {
    const merged = someOrganisations(1)[0];
    await saveDirectory(t.db, [merged], []);
    await t.db.query('update organisations set merged_into_id = $1 where id = $2', [organisations[0].id, merged.id]);

    const list: Page = await json('/oruk/organizations?per_page=5');
    expect(orukProblems('organization_list.json', list)).toEqual([]);
    expect(list.total_items).toBe(organisations.length);
    const lastPage: Page = await json(`/oruk/organizations?per_page=5&page=${list.total_pages}`);
    expect(orukProblems('organization_list.json', lastPage)).toEqual([]);
    const full: Page = await json('/oruk/organizations?full=true&per_page=3');
    expect(orukPageOfProblems('organization_list.json', 'organization.json', full)).toEqual([]);
    const fullServices: Page = await json('/oruk/organizations?full_service=true&per_page=2&page=2');
    expect(orukPageOfProblems('organization_list.json', 'organization.json', fullServices)).toEqual([]);

    for (const o of organisations) {
      const body = await json(`/oruk/organizations/${o.id}`);
      expect(orukProblems('organization.json', body)).toEqual([]);
      expect((body.organization_identifiers ?? []).map((i: { identifier: string }) => i.identifier).sort()).toEqual(o.identifiers.map((i) => i.identifier).sort());
      expect(body.services.length).toBe(services.filter((s) => s.organisationId === o.id).length);
    }
    const withFull = await json(`/oruk/organizations/${organisations[3].id}?full_service=true`);
    expect(orukProblems('organization.json', withFull)).toEqual([]);
    expect(withFull.services[0].attributes).toBeDefined();
    await json(`/oruk/organizations/${merged.id}`, 404);
  });

  it('lists taxonomies and their terms', async () => {
    const taxonomies: Page = await json('/oruk/taxonomies');
    expect(orukProblems('taxonomy_list.json', taxonomies)).toEqual([]);
    expect(taxonomies.contents.map((x) => x.name)).toEqual(expect.arrayContaining(['Needs', 'Delivery method', 'Cost']));
    for (const x of taxonomies.contents) {
      const body = await json(`/oruk/taxonomies/${x.id}`);
      expect(orukProblems('taxonomy.json', body)).toEqual([]);
    }
    const needsTaxonomy = await json(`/oruk/taxonomies/${NEEDS_TAXONOMY_ID}`);
    expect(needsTaxonomy.taxonomy_terms).toHaveLength(needs.length);

    const terms: Page = await json(`/oruk/taxonomy_terms?taxonomy_id=${NEEDS_TAXONOMY_ID}&per_page=8&page=3`);
    expect(orukProblems('taxonomy_term_list.json', terms)).toEqual([]);
    expect(terms).toMatchObject({ total_items: needs.length, total_pages: 3, size: needs.length - 16, last_page: true });
    const all: Page = await json('/oruk/taxonomy_terms?per_page=1000');
    expect(all.total_items).toBeGreaterThanOrEqual(needs.length + 5);
    const term = await json(`/oruk/taxonomy_terms/${needs[4].id}`);
    expect(orukProblems('taxonomy_term.json', term)).toEqual([]);
    expect(term).toMatchObject({ id: needs[4].id, name: needs[4].name, term: needs[4].code, taxonomy_id: NEEDS_TAXONOMY_ID });
    const badTaxonomy = await get('/oruk/taxonomy_terms?taxonomy_id=nope');
    expect(badTaxonomy.statusCode).toBe(400);
  });
});
