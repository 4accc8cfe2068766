import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../platform/db/database.ts';
import { createTestDatabase } from '../../../../test/support/test-database.ts';
import { importFromText } from './transfer.service.ts';

/** Issue 10: a file of organisations, places or services at locations offered as services says what it looks like. */
describe('importing a file that holds something other than services', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.close());

  const organisation = (n: number) => ({
    id: `6a0c9a52-1c1e-4b7a-9d0e-2a6f3e1b000${n}`,
    name: `Wyndale Community Trust ${n}`,
    description: 'A synthetic charity.',
    website: 'https://example.org',
    organization_identifiers: [{ id: `6a0c9a52-1c1e-4b7a-9d0e-2a6f3e1b010${n}`, identifier_scheme: 'GB-CHC', identifier_type: 'Charity number', identifier: `10000${n}` }],
  });

  async function failedWith(content: string, format: 'oruk-json' | 'ndjson' | 'csv') {
    const report = await importFromText(db, content, { format });
    const [run] = await db.query<{ status: string }>('select status from import_runs where id = $1', [report.runId]);
    expect(run.status).toBe('failed');
    expect(report.created).toBe(0);
    return report.problems.join(' ');
  }

  it.each([
    ['an ORUK page of organisations', JSON.stringify({ total_items: 2, contents: [organisation(1), organisation(2)] }), 'oruk-json', /^This looks like a file of organisations, not services: its records have "organization_identifiers"/],
    [
      'NDJSON of services at locations',
      ['{"id":"6a0c9a52-1c1e-4b7a-9d0e-2a6f3e1b0201","service_id":"6a0c9a52-1c1e-4b7a-9d0e-2a6f3e1b0301","location_id":"6a0c9a52-1c1e-4b7a-9d0e-2a6f3e1b0401"}'].join('\n'),
      'ndjson',
      /^This looks like a file of services at locations, not services/,
    ],
    [
      'a JSON list of locations',
      JSON.stringify([{ id: '6a0c9a52-1c1e-4b7a-9d0e-2a6f3e1b0401', name: 'Wyndale Library', location_type: 'physical', latitude: 53.7, longitude: -1.9 }]),
      'oruk-json',
      /^This looks like a file of locations, not services: its records have "location_type", "latitude", "longitude"/,
    ],
    ['a spreadsheet of organisations', 'organisation_name,charity_number,website\nWyndale Community Trust,1000001,https://example.org', 'csv', /^This looks like a file of organisations, not services: it has the columns "organisation_name", "charity_number", "website" but no service_name/],
    ['ORUK’s services table as CSV', 'id,organization_id,name,description\n6a0c9a52-1c1e-4b7a-9d0e-2a6f3e1b0301,6a0c9a52-1c1e-4b7a-9d0e-2a6f3e1b0001,Lunch club,Lunch', 'csv', /^This looks like ORUK’s services table/],
    ['a spreadsheet of something else', 'first_name,last_name\nAlex,Example', 'csv', /None of this file’s columns \("first_name", "last_name"\) is one we read/],
  ] as const)('refuses %s, saying what it looks like', async (_name, content, format, message) => {
    expect(await failedWith(content, format)).toMatch(message);
  });

  it('imports the services of a mixed file and rejects the organisation among them for what it is', async () => {
    const service = { id: '6a0c9a52-1c1e-4b7a-9d0e-2a6f3e1b0501', name: 'Wyndale lunch club', status: 'active', organization: organisation(3) };
    const report = await importFromText(db, JSON.stringify([service, organisation(4)]), { format: 'oruk-json' });
    expect(report.created).toBe(1);
    expect(report.rejected).toEqual([
      { record: { id: organisation(4).id, name: organisation(4).name }, reasons: [expect.stringMatching(/^looks like an organisation, not a service: it has "organization_identifiers"/)] },
    ]);
  });
});
