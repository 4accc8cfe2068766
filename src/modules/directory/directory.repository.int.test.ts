import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/db/database.ts';
import { createTestDatabase } from '../../../test/support/test-database.ts';
import { buildOrganisation } from '../../../test/support/factories.ts';
import { aLocation, aService, buildService } from '../../../test/support/directory-factories.ts';
import { loadServiceRecords, saveServiceRecords } from './directory.repository.ts';

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
});
