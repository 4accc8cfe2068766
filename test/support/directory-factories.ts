import crypto from 'node:crypto';
import type { Database } from '../../src/platform/db/database.ts';
import { saveServiceRecords } from '../../src/modules/directory/directory.repository.ts';
import type { LocationRecord, ServiceRecord } from '../../src/modules/directory/directory.types.ts';
import { needs } from '../../src/modules/directory/needs-taxonomy.ts';
import { buildOrganisation } from './factories.ts';

const uuid = () => crypto.randomUUID();

export function aLocation(overrides: Partial<LocationRecord> = {}): LocationRecord {
  return {
    id: uuid(),
    serviceAtLocationId: uuid(),
    locationType: 'physical',
    name: 'Test Community Centre',
    address1: '1 Test Street',
    city: 'Wyndale',
    postalCode: 'WY1 1AA',
    country: 'GB',
    latitude: 53.7,
    longitude: -1.9,
    schedules: [{ id: uuid(), freq: 'WEEKLY', byday: 'MO,WE', opensAt: '10:00', closesAt: '12:00' }],
    ...overrides,
  };
}

/** A complete service record (not saved). */
export function aService(organisationId: string, overrides: Partial<ServiceRecord> = {}): ServiceRecord {
  return {
    id: uuid(),
    organisationId,
    name: 'Test Lunch Club',
    description: 'A synthetic weekly lunch club for older people, made by a test.',
    status: 'active',
    freeOfCharge: true,
    deliveryModes: ['in_person'],
    email: 'hello@test.common-ground.invalid',
    minimumAge: 60,
    languages: [{ id: uuid(), name: 'English', code: 'en' }],
    costOptions: [],
    contacts: [{ id: uuid(), name: 'Test Coordinator', title: 'Coordinator', phones: [{ id: uuid(), number: '01632 960000' }] }],
    phones: [],
    locations: [aLocation()],
    schedules: [],
    serviceAreas: [],
    taxonomyTermIds: [needs[0].id, needs[7].id],
    ...overrides,
  };
}

/** Saves a service (and an organisation for it unless one is given). */
export async function buildService(db: Database, overrides: Partial<ServiceRecord> = {}): Promise<ServiceRecord> {
  const organisationId = overrides.organisationId ?? (await buildOrganisation(db)).id;
  const service = aService(organisationId, overrides);
  await db.transaction((tx) => saveServiceRecords(tx, [service]));
  return service;
}
