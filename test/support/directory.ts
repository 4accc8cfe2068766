/**
 * Scenario builders for the directory's listings and problems tests: an editor signed in with their
 * organisation, known postcodes, and a complete service form. Services themselves are built with
 * directory-factories.ts (buildService).
 */
import type { Database } from '../../src/platform/db/database.ts';
import { aSignedInUser, buildOrganisation, type TestApp } from './kit.ts';

/** A new organisation and its editor, signed in. */
export async function anEditorsOrganisation(t: TestApp) {
  const organisation = await buildOrganisation(t.db);
  const editor = await aSignedInUser(t, 'organisation_editor', organisation.id);
  return { organisation, ...editor };
}

/** Two postcodes the listings' location forms and API can place on the map. */
export async function addPostcodes(db: Database) {
  await db.query(
    `insert into postcodes (postcode, latitude, longitude) values ('WY1 1AA', 53.70, -1.90), ('WY2 3BB', 53.72, -1.85)
     on conflict (postcode) do nothing`,
  );
}

/** The hidden version on an edit form. */
export function versionOn(html: string): string {
  const m = /name="version" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no version on the form');
  return m[1];
}

/** A complete, valid service form, to change one field at a time. */
export function serviceForm(overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    name: 'Brackenside Lunch Club',
    description: 'A weekly hot lunch and a chat for older people.',
    status: 'active',
    'reopeningDate-day': '',
    'reopeningDate-month': '',
    'reopeningDate-year': '',
    eligibilityDescription: 'People over 60 living in Wyndale',
    minimumAge: '60',
    maximumAge: '',
    freeOfCharge: 'no',
    costAmount: '3.50',
    costOption: 'Per lunch',
    costDescription: '',
    deliveryModes: ['in_person'],
    languages: 'English, Urdu',
    email: 'lunch@example.org',
    url: 'www.example.org/lunch',
    contactName: 'Lunch club coordinator',
    contactPhone: '01632 960123',
    needs: ['6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b1001', '6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b1008'],
    ...overrides,
  };
}
