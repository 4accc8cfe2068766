import crypto from 'node:crypto';
import type { Database } from '../../src/platform/db/database.ts';
import { saveOrganisationRecords, saveServiceRecords } from '../../src/modules/directory/directory.repository.ts';
import { deliveryModes, serviceStatuses, type OrganisationRecord, type ServiceRecord } from '../../src/modules/directory/directory.types.ts';
import { needs } from '../../src/modules/directory/needs-taxonomy.ts';
import { aLocation, aService } from './directory-factories.ts';

const uuid = () => crypto.randomUUID();

/** Synthetic organisations with official identifiers (org-id form), one the parent of another. */
export function someOrganisations(count: number): OrganisationRecord[] {
  const organisations: OrganisationRecord[] = [];
  for (let i = 0; i < count; i++) {
    const id = uuid();
    organisations.push({
      id,
      name: `Wyndale Test Group ${i + 1} ${id.slice(0, 4)}`,
      description: i % 3 === 0 ? '' : `A synthetic organisation number ${i + 1}, made by a test.`,
      kind: i % 2 ? 'charity' : 'community_group',
      email: i % 2 ? `group${i}@example.org` : null,
      website: i % 3 === 1 ? `https://group${i}.example.org/` : i % 3 === 2 ? `www.group${i}.example.org` : null,
      postcode: `WY${(i % 9) + 1} ${i % 10}AB`,
      parentOrganisationId: i > 0 && i % 4 === 0 ? organisations[0].id : null,
      identifiers:
        i % 2
          ? [
              { id: uuid(), scheme: 'GB-CHC', type: 'Charity number (England and Wales)', identifier: String(1_100_000 + i + Math.floor(Math.random() * 800_000)) },
              ...(i % 4 === 1 ? [{ id: uuid(), scheme: 'GB-COH', type: 'Company number', identifier: `0${9_000_000 + i}` }] : []),
            ]
          : [],
    });
  }
  return organisations;
}

/** Services whose optional parts vary with their number, so that every shape is exercised. */
export function variedServices(organisationIds: string[], count: number): ServiceRecord[] {
  const shared = aLocation({ name: 'Wyndale Shared Hall', postalCode: 'WY1 2AB', latitude: 53.71, longitude: -1.91 });
  const services: ServiceRecord[] = [];
  for (let i = 0; i < count; i++) {
    const organisationId = organisationIds[i % organisationIds.length];
    const locations = [];
    if (i % 5 !== 0) {
      locations.push(
        i % 7 === 0
          ? { ...shared, serviceAtLocationId: uuid(), schedules: [{ id: uuid(), freq: 'WEEKLY' as const, byday: 'TU', opensAt: '13:30', closesAt: '15:00' }] }
          : aLocation({
              name: i % 4 ? `Test Venue ${i}` : null,
              description: i % 3 ? null : 'A synthetic venue made by a test.',
              address1: `${i + 1} Test Street`,
              address2: i % 6 === 1 ? 'Back entrance' : null,
              city: 'Wyndale',
              stateProvince: i % 2 ? 'West Test Shire' : null,
              postalCode: `WY${(i % 9) + 1} ${i % 10}AB`,
              latitude: 53.6 + (i % 20) * 0.01,
              longitude: -1.95 + (i % 13) * 0.01,
              accessibility: i % 3 ? 'Step-free entrance and an accessible toilet.' : null,
              schedules:
                i % 4 === 0
                  ? [{ id: uuid(), freq: 'MONTHLY', byday: '1TH', opensAt: '18:00', closesAt: '20:00', description: 'First Thursday of the month' }]
                  : [{ id: uuid(), freq: 'WEEKLY', byday: 'MO,WE', opensAt: '10:00', closesAt: '12:00' }],
            }),
      );
      if (i % 6 === 0) locations.push(aLocation({ locationType: 'virtual', name: 'Online', address1: null, city: null, postalCode: null, latitude: null, longitude: null, schedules: [] }));
    }
    services.push(
      aService(organisationId, {
        name: `${['Lunch Club', 'Walking Group', 'Memory Café', 'Debt Advice', 'Befriending', 'Carers Cuppa'][i % 6]} ${i + 1}`,
        description: i % 11 === 0 ? '' : `A synthetic service number ${i + 1}, made by a test.`,
        url: i % 2 ? `https://service${i}.example.org/` : null,
        email: i % 3 ? `service${i}@example.org` : null,
        status: serviceStatuses[i % serviceStatuses.length],
        reopeningDate: i % 4 === 3 ? '2027-03-01' : null,
        fees: i % 5 === 1 ? '£2 a session' : null,
        accreditations: i % 8 === 0 ? 'Synthetic Quality Mark' : null,
        eligibilityDescription: i % 2 ? 'Adults living in Wyndale.' : null,
        minimumAge: i % 3 ? 18 : null,
        maximumAge: i % 9 === 0 ? 99 : null,
        freeOfCharge: i % 5 !== 1,
        deliveryModes: [...deliveryModes].filter((_, k) => (i + k) % 3 !== 0),
        assuredDate: i % 4 ? '2026-01-15' : null,
        assurerEmail: i % 4 ? 'assurer@example.org' : null,
        alert: i % 10 === 0 ? 'Closed over the holidays.' : null,
        lastReviewedAt: new Date(Date.UTC(2026, i % 12, 1 + (i % 27))).toISOString(),
        languages: i % 3 === 0 ? [] : [{ id: uuid(), name: 'English', code: 'en' }, ...(i % 3 === 2 ? [{ id: uuid(), name: 'Polish', code: 'pl' }] : [])],
        costOptions: i % 5 === 1 ? [{ id: uuid(), option: 'Each session', amount: 2.5, amountDescription: 'per person', validFrom: '2026-01-01' }] : [],
        contacts:
          i % 4 === 2
            ? []
            : [{ id: uuid(), name: i % 2 ? 'Test Coordinator' : null, title: 'Coordinator', email: i % 2 ? `coordinator${i}@example.org` : null, phones: [{ id: uuid(), number: `01632 960${String(i % 1000).padStart(3, '0')}` }] }],
        phones: i % 3 === 1 ? [{ id: uuid(), number: '07700 900123', description: 'Text or call' }] : [],
        locations,
        schedules: i % 5 === 0 ? [{ id: uuid(), freq: 'WEEKLY', byday: 'FR', opensAt: '09:00', closesAt: '17:00', notes: 'Phone line hours' }] : [],
        serviceAreas: i % 4 === 1 ? [{ id: uuid(), name: 'Wyndale', serviceArea: 'Wyndale district', extentType: 'text' }] : [],
        taxonomyTermIds: i % 10 === 9 ? [] : [needs[i % needs.length].id, ...(i % 2 ? [needs[(i + 3) % needs.length].id] : [])],
      }),
    );
  }
  return services;
}

/** Saves organisations and services in one transaction. */
export async function saveDirectory(db: Database, organisations: OrganisationRecord[], services: ServiceRecord[]): Promise<void> {
  await db.transaction(async (tx) => {
    await saveOrganisationRecords(tx, organisations);
    for (let i = 0; i < services.length; i += 500) await saveServiceRecords(tx, services.slice(i, i + 500));
  });
}
