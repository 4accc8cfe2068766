import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/db/database.ts';
import { createTestDatabase } from '../../../test/support/test-database.ts';
import { buildOrganisation } from '../../../test/support/factories.ts';
import { aLocation, aService, buildService } from '../../../test/support/directory-factories.ts';
import { needs } from './needs-taxonomy.ts';
import { loadOrganisationRecords, loadServiceRecords, loadServicesWithOrganisations, saveServiceRecords } from './directory.repository.ts';

describe('saving and loading whole services', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.close());

  it('loads back exactly what was saved, parts included', async () => {
    const saved = await buildService(db, { costOptions: [{ id: crypto.randomUUID(), option: 'Lunch', amount: 3.5, amountDescription: 'per meal' }], freeOfCharge: false });
    const [loaded] = await loadServiceRecords(db, [saved.id]);
    expect(loaded.name).toBe(saved.name);
    expect(loaded.costOptions[0]).toMatchObject({ option: 'Lunch', amount: 3.5 });
    expect(loaded.contacts[0].phones[0].number).toBe('01632 960000');
    expect(loaded.locations[0]).toMatchObject({ postalCode: 'WY1 1AA', latitude: 53.7 });
    expect(loaded.locations[0].schedules[0]).toMatchObject({ byday: 'MO,WE', opensAt: '10:00', closesAt: '12:00' });
    expect(loaded.taxonomyTermIds).toEqual([...saved.taxonomyTermIds].sort());
    expect(loaded.deliveryModes).toEqual(['in_person']);
  });

  it('saving the same record again replaces its parts and makes no duplicates', async () => {
    const org = await buildOrganisation(db);
    const service = aService(org.id);
    await db.transaction((tx) => saveServiceRecords(tx, [service]));
    await db.transaction((tx) => saveServiceRecords(tx, [{ ...service, name: 'Renamed Lunch Club', languages: [] }]));
    const [loaded] = await loadServiceRecords(db, [service.id]);
    expect(loaded.name).toBe('Renamed Lunch Club');
    expect(loaded.languages).toEqual([]);
    const counts = await db.query<{ n: number }>('select count(*)::int as n from service_at_locations where service_id = $1', [service.id]);
    expect(counts[0].n).toBe(1);
  });

  it('saves a shared venue whose owning organisation is not in the directory, leaving the owner blank', async () => {
    const org = await buildOrganisation(db);
    const venue = aLocation({ organisationId: crypto.randomUUID() });
    const service = aService(org.id, { locations: [venue] });
    await db.transaction((tx) => saveServiceRecords(tx, [service]));
    const [loaded] = await loadServiceRecords(db, [service.id]);
    expect(loaded.locations.map((l) => l.id)).toEqual([venue.id]);
    expect(loaded.locations[0].organisationId).toBeNull();
  });

  it('loads several services in the order asked, with each part under its own service', async () => {
    const org = await buildOrganisation(db);
    const [first, second] = [
      aService(org.id, { name: 'First Club', phones: [{ id: crypto.randomUUID(), number: '01632 960123', description: 'Office' }], schedules: [{ id: crypto.randomUUID(), freq: 'MONTHLY', byday: '1TU', opensAt: '09:30', closesAt: null }] }),
      aService(org.id, { name: 'Second Club', languages: [], contacts: [], locations: [aLocation({ latitude: null, longitude: null, schedules: [] })], taxonomyTermIds: [] }),
    ];
    await db.transaction((tx) => saveServiceRecords(tx, [first, second]));
    const loaded = await loadServiceRecords(db, [second.id, crypto.randomUUID(), first.id]);
    expect(loaded.map((s) => s.name)).toEqual(['Second Club', 'First Club']);
    expect(loaded[0]).toMatchObject({ languages: [], contacts: [], phones: [], schedules: [], taxonomyTermIds: [] });
    expect(loaded[0].locations[0]).toMatchObject({ latitude: null, schedules: [] });
    expect(loaded[1].phones).toEqual([{ id: first.phones[0].id, number: '01632 960123', description: 'Office' }]);
    expect(loaded[1].schedules).toMatchObject([{ freq: 'MONTHLY', byday: '1TU', opensAt: '09:30', closesAt: null }]);
    expect(loaded[1].contacts[0].phones.map((p) => p.number)).toEqual(['01632 960000']);
    expect(loaded[1].lastModified).toBeInstanceOf(Date);

    const { services, organisations } = await loadServicesWithOrganisations(db, [first.id]);
    expect(services).toEqual([loaded[1]]);
    expect(organisations.get(org.id)).toEqual((await loadOrganisationRecords(db, [org.id]))[0]);
  });

  it('writes the search’s copies of needs and places with the service, as refresh_service_search makes them', async () => {
    const org = await buildOrganisation(db);
    const shared = aLocation({ latitude: 53.8, longitude: -1.5, schedules: [] });
    const neighbour = aService(org.id, { locations: [{ ...shared, serviceAtLocationId: crypto.randomUUID() }] });
    await db.transaction((tx) => saveServiceRecords(tx, [neighbour]));
    const moved = { ...shared, latitude: 53.9, longitude: -1.6 };
    const services = [
      aService(org.id, { taxonomyTermIds: [needs[3].id, needs[1].id, needs[3].id], locations: [aLocation(), moved, aLocation({ latitude: null, longitude: null })] }),
      aService(org.id, { taxonomyTermIds: [], locations: [] }),
    ];
    await db.transaction((tx) => saveServiceRecords(tx, services));
    const ids = [...services, neighbour].map((s) => s.id);
    const rows = () => db.query<{ row: unknown }>(`select to_jsonb(s) - 'updated_at' as row from services s where id = any($1::uuid[]) order by id`, [ids]);
    const written = await rows();
    await db.query('select refresh_service_search($1::uuid[])', [ids]);
    expect(await rows()).toEqual(written);
    const [box] = await db.query<{ neighbour_moved: boolean; terms: string[]; none: boolean }>(
      `select (select location_box = ll_to_earth(53.9, -1.6)::cube from services where id = $1) as neighbour_moved,
              (select taxonomy_term_ids::text[] from services where id = $2) as terms,
              (select location_box is null and taxonomy_term_ids = '{}' from services where id = $3) as none`,
      [neighbour.id, services[0].id, services[1].id],
    );
    expect(box).toEqual({ neighbour_moved: true, terms: [needs[1].id, needs[3].id].sort(), none: true });
  });

  it('keeps the count of services that lists of every service show, as services are added and removed', async () => {
    const counted = async () => (await db.query<{ kept: number; real: number }>('select (select services::int from service_count) as kept, (select count(*)::int from services) as real'))[0];
    const org = await buildOrganisation(db);
    const [one, two] = [aService(org.id), aService(org.id)];
    await db.transaction((tx) => saveServiceRecords(tx, [one, two]));
    await db.transaction((tx) => saveServiceRecords(tx, [{ ...one, name: 'Saved again' }]));
    let now = await counted();
    expect(now.kept).toBe(now.real);
    await db.query('delete from services where id = $1', [two.id]);
    now = await counted();
    expect(now.kept).toBe(now.real);
  });
});
