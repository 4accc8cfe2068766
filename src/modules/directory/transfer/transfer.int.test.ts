import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import dns from 'node:dns/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '../../../platform/db/database.ts';
import { createTestApp, type TestApp } from '../../../../test/support/kit.ts';
import { createTestDatabase } from '../../../../test/support/test-database.ts';
import { aService } from '../../../../test/support/directory-factories.ts';
import { orukProblems } from '../../../../test/support/oruk-standard.ts';
import { saveDirectory, someOrganisations, variedServices } from '../../../../test/support/varied-directory.ts';
import { loadOrganisationRecords, loadServiceRecords } from '../directory.repository.ts';
import type { OrganisationRecord, ServiceRecord } from '../directory.types.ts';
import { needs } from '../needs-taxonomy.ts';
import { exportDirectory } from './export.service.ts';
import { importFromText, importFromUrl, importRecords } from './transfer.service.ts';

async function exported(db: Database, format: 'ndjson' | 'csv'): Promise<string> {
  let text = '';
  for await (const chunk of exportDirectory(db, format)) text += chunk;
  return text;
}

const count = async (db: Database, table: string) => (await db.query<{ n: number }>(`select count(*)::int as n from ${table}`))[0].n;
const allServiceIds = async (db: Database) => (await db.query<{ id: string }>('select id from services order by id')).map((r) => r.id);

/** A record as compared after a round trip: times as ISO text. */
const comparable = (s: ServiceRecord) => JSON.parse(JSON.stringify(s));
const comparableOrganisation = (o: OrganisationRecord) => JSON.parse(JSON.stringify(o));

const CSV_HEADER =
  'service_name,service_description,organisation_name,organisation_identifiers,organisation_postcode,service_email,needs,languages,delivery_methods,address_1,city,postcode,latitude,longitude,times,contact_phone,minimum_age';

describe('importing and exporting the directory', () => {
  let source: TestApp;
  let organisations: OrganisationRecord[];
  let services: ServiceRecord[];

  beforeAll(async () => {
    source = await createTestApp();
    organisations = someOrganisations(5);
    services = variedServices(organisations.map((o) => o.id), 60);
    await saveDirectory(source.db, organisations, services);
  });
  afterAll(() => source?.close());

  it('exports NDJSON that imports into an empty database as the same records', async () => {
    const ndjson = await exported(source.db, 'ndjson');
    const lines = ndjson.trimEnd().split('\n');
    expect(lines).toHaveLength(60);
    // Apart from our own extra block, each line is an ORUK 3.0 service.
    const { common_ground: extras, ...oruk } = JSON.parse(lines[0]);
    expect(extras).toBeDefined();
    expect(orukProblems('service.json', oruk)).toEqual([]);

    const target = await createTestDatabase();
    try {
      const report = await importFromText(target, ndjson, { format: 'ndjson' });
      expect(report.rejected).toEqual([]);
      expect(report).toMatchObject({ total: 60, created: 60, updated: 0 });
      // A large import (here, into an empty directory) leaves the planner fresh statistics: PGlite has no autovacuum.
      expect((await target.query<{ n: number }>(`select reltuples::int as n from pg_class where oid = 'services'::regclass`))[0].n).toBe(60);
      const ids = await allServiceIds(source.db);
      expect(await allServiceIds(target)).toEqual(ids);
      expect((await loadServiceRecords(target, ids)).map(comparable)).toEqual((await loadServiceRecords(source.db, ids)).map(comparable));
      const organisationIds = organisations.map((o) => o.id);
      expect((await loadOrganisationRecords(target, organisationIds)).map(comparableOrganisation)).toEqual(
        (await loadOrganisationRecords(source.db, organisationIds)).map(comparableOrganisation),
      );

      // Exporting the copy gives the same file.
      expect(await exported(target, 'ndjson')).toBe(ndjson);

      // Importing again updates the same records and adds nothing.
      const counts = { services: await count(target, 'services'), organisations: await count(target, 'organisations'), locations: await count(target, 'locations') };
      const again = await importFromText(target, ndjson, { format: 'ndjson' });
      expect(again).toMatchObject({ created: 0, updated: 60, rejected: [] });
      expect({ services: await count(target, 'services'), organisations: await count(target, 'organisations'), locations: await count(target, 'locations') }).toEqual(counts);
    } finally {
      await target.close();
    }
  });

  it('imports a CSV file, rejecting a bad row with its reasons while saving the others, and updates on a second run', async () => {
    const csv = [
      CSV_HEADER,
      'Wyndale Walkers,Gentle walks for all,Wyndale Walking Trust,GB-CHC-1234567,wy1 2ab,walk@example.org,physical-activity; loneliness,English; Polish (pl),in person,1 Test Street,Wyndale,wy12ab,53.7,-1.9,"MO,WE 10:00-12:00; 1TH 18:00-20:00",01632 960001,18',
      'Broken Service,Has problems,Wyndale Walking Trust,,,not-an-email,lonely,,by pigeon,2 Test Street,Wyndale,NOT A POSTCODE,,,Mondays 10-12,,-4',
      'Wyndale Walkers,Gentle walks for all,Wyndale Walking Trust,GB-CHC-1234567,wy1 2ab,walk@example.org,physical-activity; loneliness,English; Polish (pl),in person,The Park Gate,Wyndale,WY1 3CD,,,SA 09:00-10:30,01632 960001,18',
      'Chatty Café,,"Wyndale Community Café, Ltd",,,,food,,online; phone,,,,,,,,',
    ].join('\n');
    const t = await createTestDatabase();
    try {
      const report = await importFromText(t, csv, { format: 'csv', source: 'walkers.csv' });
      expect(report).toMatchObject({ total: 3, created: 2, updated: 0 });
      expect(report.rejected).toHaveLength(1);
      const [bad] = report.rejected;
      expect(bad.record).toMatchObject({ line: 3, name: 'Broken Service' });
      expect(bad.reasons.join(' | ')).toMatch(/service_email/);
      expect(bad.reasons.join(' | ')).toMatch(/minimum_age/);

      const [walkers] = await t.query<{ id: string }>(`select id from services where name = 'Wyndale Walkers'`);
      const [walks] = await loadServiceRecords(t, [walkers.id]);
      expect(walks.locations.map((l) => l.postalCode).sort()).toEqual(['WY1 2AB', 'WY1 3CD']);
      const first = walks.locations.find((l) => l.postalCode === 'WY1 2AB')!;
      expect(first.schedules.map((s) => [s.freq, s.byday, s.opensAt, s.closesAt]).sort()).toEqual([
        ['MONTHLY', '1TH', '18:00', '20:00'],
        ['WEEKLY', 'MO,WE', '10:00', '12:00'],
      ]);
      expect(walks.taxonomyTermIds.sort()).toEqual([needs.find((n) => n.code === 'physical-activity')!.id, needs.find((n) => n.code === 'loneliness')!.id].sort());
      expect(walks.languages.map((l) => [l.name, l.code])).toEqual([['English', null], ['Polish', 'pl']]);
      expect(walks).toMatchObject({ deliveryModes: ['in_person'], minimumAge: 18, email: 'walk@example.org', freeOfCharge: true });
      expect(walks.contacts[0].phones[0].number).toBe('01632 960001');
      const [trust] = await loadOrganisationRecords(t, [walks.organisationId]);
      expect(trust).toMatchObject({ name: 'Wyndale Walking Trust', postcode: 'WY1 2AB' });
      expect(trust.identifiers.map((i) => [i.scheme, i.identifier])).toEqual([['GB-CHC', '1234567']]);

      const runs = await t.query<{ status: string; total: number; created: number; rejected: number; report: { rejected: unknown[] } }>(
        'select status, total, created, rejected, report from import_runs where id = $1',
        [report.runId],
      );
      expect(runs[0]).toMatchObject({ status: 'finished', total: 3, created: 2, rejected: 1 });
      expect(runs[0].report.rejected).toHaveLength(1);
      const audit = await t.query<{ record_type: string }>(`select record_type from audit_log where action = 'imported'`);
      expect(audit.map((a) => a.record_type).sort()).toEqual(['import_run', 'service']);

      // The same file again: the same records are updated; nothing is added.
      const before = { services: await count(t, 'services'), organisations: await count(t, 'organisations'), locations: await count(t, 'locations'), schedules: await count(t, 'schedules') };
      const again = await importFromText(t, csv, { format: 'csv' });
      expect(again).toMatchObject({ created: 0, updated: 2 });
      expect({ services: await count(t, 'services'), organisations: await count(t, 'organisations'), locations: await count(t, 'locations'), schedules: await count(t, 'schedules') }).toEqual(before);
    } finally {
      await t.close();
    }
  });

  it('joins CSV rows to an organisation already held with the same identifier, and exports CSV it can read back', async () => {
    const t = await createTestDatabase();
    try {
      await saveDirectory(t, organisations, services.slice(0, 10));
      const charity = organisations.find((o) => o.identifiers.some((i) => i.scheme === 'GB-CHC'))!;
      const id = charity.identifiers.find((i) => i.scheme === 'GB-CHC')!;
      const csv = `${CSV_HEADER}\nNew Befriending,,A different spelling of the name,GB-CHC-${id.identifier},,,,,,,,,,,,,`;
      const report = await importFromText(t, csv, { format: 'csv' });
      expect(report).toMatchObject({ created: 1, rejected: [] });
      const [added] = await t.query<{ organisation_id: string }>(`select organisation_id from services where name = 'New Befriending'`);
      expect(added.organisation_id).toBe(charity.id);

      const exportedCsv = await exported(t, 'csv');
      const copy = await createTestDatabase();
      try {
        const back = await importFromText(copy, exportedCsv, { format: 'csv' });
        expect(back.rejected).toEqual([]);
        expect(back.created).toBe(11);
        const [walk] = await loadServiceRecords(copy, [services[1].id]);
        expect(walk).toMatchObject({ name: services[1].name, organisationId: services[1].organisationId, status: services[1].status, taxonomyTermIds: [...services[1].taxonomyTermIds].sort() });
        expect(walk.locations.map((l) => l.postalCode)).toEqual(services[1].locations.filter((l) => l.locationType !== 'virtual').map((l) => l.postalCode));
      } finally {
        await copy.close();
      }
    } finally {
      await t.close();
    }
  });

  it('rejects one record that fails to save and keeps the rest of its batch, with nothing half-written', async () => {
    const t = await createTestDatabase();
    try {
      const [organisation] = someOrganisations(1);
      const ndjsonOf = async (records: ServiceRecord[]) => {
        const scratch = await createTestDatabase();
        await saveDirectory(scratch, [organisation], records);
        const text = await exported(scratch, 'ndjson');
        await scratch.close();
        return text;
      };
      const good = [aService(organisation.id, { name: 'Good One' }), aService(organisation.id, { name: 'Good Two' })];
      const clash = aService(organisation.id, { name: 'Clashing Contact' });
      // Another service's contact id: the database refuses it when both are saved.
      const text = (await ndjsonOf(good)) + (await ndjsonOf([clash])).replace(clash.contacts[0].id, good[0].contacts[0].id);
      const report = await importFromText(t, text, { format: 'ndjson', batchSize: 10 });
      expect(report).toMatchObject({ created: 2 });
      expect(report.rejected).toHaveLength(1);
      expect(report.rejected[0].record.name).toBe('Clashing Contact');
      expect(report.rejected[0].reasons[0]).toMatch(/could not be saved/);
      expect(await loadServiceRecords(t, [clash.id])).toEqual([]);
      expect(await t.query('select 1 from service_at_locations where service_id = $1', [clash.id])).toEqual([]);
      expect((await loadServiceRecords(t, good.map((s) => s.id))).map((s) => s.name)).toEqual(['Good One', 'Good Two']);
    } finally {
      await t.close();
    }
  });

  it('flags a new organisation that shares an identifier with one already held, and reports records with no organisation', async () => {
    const t = await createTestDatabase();
    try {
      await saveDirectory(t, organisations, []);
      const charity = organisations.find((o) => o.identifiers.some((i) => i.scheme === 'GB-CHC'))!;
      const twinId = crypto.randomUUID();
      const record = {
        id: crypto.randomUUID(),
        name: 'Twin Service',
        status: 'active',
        organization: {
          id: twinId,
          name: 'Twin Charity',
          description: 'Same charity number',
          organization_identifiers: charity.identifiers.map((i) => ({ id: crypto.randomUUID(), identifier_scheme: i.scheme, identifier_type: i.type, identifier: i.identifier })),
        },
      };
      const orphan = { id: crypto.randomUUID(), name: 'Orphan', status: 'active', organization_id: crypto.randomUUID() };
      const notAService = { name: 42 };
      const report = await importRecords(t, [record, orphan, notAService]);
      expect(report.created).toBe(1);
      const reasons = Object.fromEntries(report.rejected.map((r) => [r.record.name ?? '?', r.reasons.join(' ')]));
      expect(Object.keys(reasons).sort()).toEqual(['?', 'Orphan']);
      expect(reasons.Orphan).toMatch(/not in the directory/);
      expect(reasons['?']).toMatch(/name/);
      const flags = await t.query<{ organisation_id: string; candidate_id: string; reason: string }>(`select organisation_id, candidate_id, reason from duplicate_flags where status = 'open'`);
      expect(flags).toEqual([{ organisation_id: twinId, candidate_id: charity.id, reason: expect.stringContaining('shares the identifier') }]);
    } finally {
      await t.close();
    }
  });

  it('imports an ORUK summary page without wiping what its records leave out; a list given empty empties it', async () => {
    const t = await createTestDatabase();
    try {
      await saveDirectory(t, organisations, services);
      const ids = services.map((s) => s.id);
      const before = (await loadServiceRecords(t, ids)).map(comparable);
      const organisationsBefore = (await loadOrganisationRecords(t, organisations.map((o) => o.id))).map(comparableOrganisation);
      expect(before.some((s) => s.locations.length && s.contacts.length && s.costOptions.length)).toBe(true);
      // A list page without full=true: the one-to-one fields only.
      const page = (await source.app.inject({ method: 'GET', url: '/oruk/services?per_page=100' })).json() as { contents: Record<string, unknown>[] };
      expect(page.contents).toHaveLength(services.length);
      expect(page.contents[0]).not.toHaveProperty('service_at_locations');
      const report = await importFromText(t, JSON.stringify(page), { format: 'oruk-json' });
      expect(report).toMatchObject({ updated: services.length, rejected: [] });
      const after = (await loadServiceRecords(t, ids)).map(comparable);
      const parts = (s: ServiceRecord) => [s.locations, s.schedules, s.contacts, s.costOptions, s.serviceAreas, s.phones, s.languages, s.taxonomyTermIds, s.deliveryModes, s.freeOfCharge];
      expect(after.map(parts)).toEqual(before.map(parts));
      expect((await loadOrganisationRecords(t, organisations.map((o) => o.id))).map(comparableOrganisation).map((o) => o.identifiers)).toEqual(organisationsBefore.map((o) => o.identifiers));

      // A record that gives a list, even an empty one, replaces it.
      const withContacts = before.find((s) => s.contacts.length && s.locations.length)!;
      const full = (await source.app.inject({ method: 'GET', url: `/oruk/services/${withContacts.id}` })).json() as Record<string, unknown>;
      await importRecords(t, [{ ...full, contacts: [] }]);
      const [emptied] = await loadServiceRecords(t, [withContacts.id]);
      expect(emptied.contacts).toEqual([]);
      expect(emptied.locations.length).toBe(withContacts.locations.length);
    } finally {
      await t.close();
    }
  });

  describe('harvesting an ORUK feed over HTTP', () => {
    let baseUrl: string;
    beforeAll(async () => {
      // These feeds run on this machine: allowed only by configuration.
      vi.stubEnv('HARVEST_ALLOW_PRIVATE', 'true');
      await source.app.listen({ port: 0, host: '127.0.0.1' });
      baseUrl = `http://127.0.0.1:${(source.app.server.address() as AddressInfo).port}/oruk`;
    });
    afterAll(() => vi.unstubAllEnvs());

    it('imports every service of our own /oruk feed into a fresh database', async () => {
      const t = await createTestDatabase();
      try {
        const progress: number[] = [];
        const report = await importFromUrl(t, baseUrl, { onProgress: (p) => progress.push(p.processed), batchSize: 25 });
        expect(report.problems).toEqual([]);
        expect(report.rejected).toEqual([]);
        expect(report).toMatchObject({ total: 60, created: 60 });
        expect(progress.at(-1)).toBe(60);
        const ids = services.map((s) => s.id);
        const copies = new Map((await loadServiceRecords(t, ids)).map((s) => [s.id, s]));
        for (const s of services) {
          const c = copies.get(s.id)!;
          // What ORUK 3.0 carries arrives as it was.
          expect(c).toMatchObject({ name: s.name, organisationId: s.organisationId, status: s.status, deliveryModes: s.deliveryModes, freeOfCharge: s.freeOfCharge });
          expect(c.taxonomyTermIds).toEqual([...s.taxonomyTermIds].sort());
          expect(c.locations.map((l) => [l.id, l.postalCode ?? null, l.schedules.length])).toEqual(
            expect.arrayContaining(s.locations.map((l) => [l.id, l.postalCode ?? null, l.schedules.length])),
          );
          expect(c.schedules.length).toBe(s.schedules.length);
        }
        const [organisation] = await loadOrganisationRecords(t, [organisations[1].id]);
        expect(organisation.identifiers.map((i) => i.identifier).sort()).toEqual(organisations[1].identifiers.map((i) => i.identifier).sort());
        // Harvesting again changes nothing but the update count.
        const again = await importFromUrl(t, baseUrl);
        expect(again).toMatchObject({ created: 0, updated: 60, rejected: [] });
      } finally {
        await t.close();
      }
    });

    it('reports services that time out or answer badly, imports the rest, and fails clearly on an unreachable feed', async () => {
      const good = await (await fetch(`${baseUrl}/services/${services[0].id}`)).json();
      const ids = { good: services[0].id, error: crypto.randomUUID(), slow: crypto.randomUUID(), garbled: crypto.randomUUID() };
      const server = http.createServer((request, response) => {
        const url = request.url ?? '';
        if (url.startsWith('/oruk/services?')) {
          response.setHeader('content-type', 'application/json');
          response.end(JSON.stringify({ total_items: 4, total_pages: 1, page_number: 1, size: 4, first_page: true, last_page: true, empty: false, contents: Object.values(ids).map((id) => ({ id, name: 'x', status: 'active' })) }));
        } else if (url === `/oruk/services/${ids.good}`) response.end(JSON.stringify(good));
        else if (url === `/oruk/services/${ids.error}`) response.writeHead(500).end('boom');
        else if (url === `/oruk/services/${ids.garbled}`) response.end('<html>not json</html>');
        // The slow one never answers.
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as AddressInfo).port;
      const t = await createTestDatabase();
      try {
        await saveDirectory(t, organisations, []);
        const report = await importFromUrl(t, `http://127.0.0.1:${port}/oruk/`, { timeoutMs: 500 });
        expect(report.created).toBe(1);
        const reasons = Object.fromEntries(report.rejected.map((r) => [r.record.id, r.reasons.join(' ')]));
        expect(reasons[ids.error]).toMatch(/HTTP 500/);
        expect(reasons[ids.slow]).toMatch(/no answer within/);
        expect(reasons[ids.garbled]).toMatch(/not JSON/);

        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        const unreachable = await importFromUrl(t, `http://127.0.0.1:${port}/oruk`, { timeoutMs: 2000 });
        expect(unreachable.created).toBe(0);
        expect(unreachable.problems[0]).toMatch(/Could not read page 1/);
        const [run] = await t.query<{ status: string }>('select status from import_runs where id = $1', [unreachable.runId]);
        expect(run.status).toBe('failed');
      } finally {
        server.closeAllConnections();
        await t.close();
      }
    });
  });

  describe('harvesting refuses internal addresses', () => {
    beforeAll(() => vi.stubEnv('HARVEST_ALLOW_PRIVATE', 'false'));
    afterAll(() => {
      vi.unstubAllEnvs();
      vi.restoreAllMocks();
    });

    it('does not fetch a loopback feed unless the configuration allows it', async () => {
      await source.app.listen({ port: 0, host: '127.0.0.1' }).catch(() => {});
      const port = (source.app.server.address() as AddressInfo).port;
      const t = await createTestDatabase();
      try {
        for (const url of [`http://127.0.0.1:${port}/oruk`, `http://[::ffff:127.0.0.1]:${port}/oruk`, `http://0.0.0.0:${port}/oruk`, `http://localhost:${port}/oruk`]) {
          const report = await importFromUrl(t, url);
          expect(report.created).toBe(0);
          expect(report.problems[0]).toMatch(/loopback, private or link-local address.*HARVEST_ALLOW_PRIVATE=true/);
        }
        expect(await count(t, 'services')).toBe(0);
      } finally {
        await t.close();
      }
    });

    it('checks the address again at every redirect', async () => {
      let fetched = 0;
      const inside = http.createServer((request, response) => {
        fetched++;
        response.end('{}');
      });
      await new Promise<void>((resolve) => inside.listen(0, '127.0.0.1', resolve));
      const insidePort = (inside.address() as AddressInfo).port;
      const outside = http.createServer((request, response) => {
        response.writeHead(302, { location: `http://127.0.0.1:${insidePort}${request.url}` }).end();
      });
      await new Promise<void>((resolve) => outside.listen(0, resolve));
      const outsidePort = (outside.address() as AddressInfo).port;
      // "localhost" looks public to the check (as a real outside host would); the redirect it gives does not.
      const lookup = dns.lookup.bind(dns);
      vi.spyOn(dns, 'lookup').mockImplementation(((host: string, options: object) =>
        host === 'localhost' ? Promise.resolve([{ address: '203.0.113.7', family: 4 }]) : lookup(host, options as never)) as typeof dns.lookup);
      const t = await createTestDatabase();
      try {
        const report = await importFromUrl(t, `http://localhost:${outsidePort}/oruk`);
        expect(report.problems[0]).toMatch(/redirects to http:\/\/127\.0\.0\.1:\d+\/oruk\/services.*loopback, private or link-local/);
        expect(fetched).toBe(0);
      } finally {
        inside.close();
        outside.close();
        await t.close();
      }
    });
  });
});
