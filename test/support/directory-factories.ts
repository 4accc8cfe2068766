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

/**
 * A service carrying every field an ORUK or NDJSON round trip must keep (issue 10): a schedule
 * link, a place's UPRN, an address's attention line and postal type, accessibility details and
 * link, funding, languages, an attribute's link type, a term with a parent, and an organisation
 * with a uri and a parent organisation that has no services of its own. Saved, with its taxonomy.
 */
export async function buildServiceCarryingEverything(db: Database): Promise<{ service: ServiceRecord; parentOrganisationId: string; parentTermId: string; childTermId: string }> {
  const taxonomyId = uuid();
  const parentTermId = uuid();
  const childTermId = uuid();
  await db.query(`insert into taxonomies (id, name, description) values ($1, 'Wyndale activity types', 'Kinds of activity, made by a test.')`, [taxonomyId]);
  await db.query(
    `insert into taxonomy_terms (id, taxonomy_id, code, name, description, term_uri) values
       ($1, $3, 'arts', 'Arts and music', 'Making art and music together.', 'https://example.org/terms/arts'),
       ($2, $3, 'choirs', 'Choirs', 'Singing in a group.', 'https://example.org/terms/choirs')`,
    [parentTermId, childTermId, taxonomyId],
  );
  await db.query('update taxonomy_terms set parent_id = $1 where id = $2', [parentTermId, childTermId]);
  const parent = await buildOrganisation(db, { name: 'Wyndale Voluntary Action', kind: 'charity' });
  const organisation = await buildOrganisation(db, { name: 'Wyndale Singers Trust', kind: 'charity', postcode: 'WY1 2AB' });
  await db.query(`update organisations set parent_organisation_id = $1, uri = 'https://example.org/organisations/wyndale-singers', website = 'https://example.org' where id = $2`, [
    parent.id,
    organisation.id,
  ]);
  const service = aService(organisation.id, {
    name: 'Wyndale Community Choir',
    languages: [
      { id: uuid(), name: 'English', code: 'en' },
      { id: uuid(), name: 'Polish', code: 'pl' },
    ],
    funding: [{ id: uuid(), source: 'Wyndale Community Fund' }],
    taxonomyTermIds: [needs[0].id, childTermId].sort(),
    termLinkTypes: { [childTermId]: 'audience' },
    locations: [
      aLocation({
        name: 'Wyndale Methodist Hall',
        externalIdentifier: '100012345678',
        externalIdentifierType: 'UPRN',
        attention: 'The choir secretary',
        addressType: 'postal',
        accessibility: 'Step-free entrance at the side',
        accessibilityDetails: 'A hearing loop in the main hall; accessible toilet on the ground floor.',
        accessibilityUrl: 'https://example.org/access/methodist-hall',
        schedules: [{ id: uuid(), freq: 'WEEKLY', byday: 'TH', opensAt: '19:00', closesAt: '21:00', scheduleLink: 'https://example.org/choir/book' }],
      }),
    ],
    schedules: [{ id: uuid(), freq: 'MONTHLY', byday: '1SA', opensAt: '10:00', closesAt: '12:00', description: 'Online warm-up', scheduleLink: 'https://example.org/choir/join-online' }],
  });
  await db.transaction((tx) => saveServiceRecords(tx, [service]));
  return { service, parentOrganisationId: parent.id, parentTermId, childTermId };
}
