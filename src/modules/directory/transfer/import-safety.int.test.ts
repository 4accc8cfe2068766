import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../../platform/db/database.ts';
import { createTestDatabase } from '../../../../test/support/test-database.ts';
import { loadOrganisationRecords, loadServiceRecords } from '../directory.repository.ts';
import { parse } from 'csv-parse/sync';
import { exportDirectory } from './export.service.ts';
import { importFromFile, importFromText, importRecords } from './transfer.service.ts';

/* Imports that must lose nothing: odd values are dropped or doubted with a warning, never the record. */

async function withDatabase(work: (db: Database) => Promise<void>) {
  const db = await createTestDatabase();
  try {
    await work(db);
  } finally {
    await db.close();
  }
}

const serviceNamed = async (db: Database, name: string) => {
  const rows = await db.query<{ id: string }>('select id from services where name = $1', [name]);
  return rows.length ? (await loadServiceRecords(db, [rows[0].id]))[0] : undefined;
};

/** An ORUK 3.0 service as another directory publishes it, with one place. */
function orukService(location: { latitude: unknown; longitude: unknown }) {
  return {
    id: crypto.randomUUID(),
    name: 'Riverside Lunch Club',
    status: 'active',
    organization: { id: crypto.randomUUID(), name: 'Riverside Trust' },
    service_at_locations: [
      {
        id: crypto.randomUUID(),
        location: { id: crypto.randomUUID(), name: 'Church Hall', ...location, addresses: [{ address_1: '1 High Street', city: 'Wyndale', postal_code: 'WY1 2AB', country: 'GB', address_type: 'physical' }] },
      },
    ],
  };
}

describe('impossible and doubtful coordinates', () => {
  it('keeps a service whose place has latitude 100, without the map position, and says so', () =>
    withDatabase(async (db) => {
      const report = await importRecords(db, [orukService({ latitude: 100, longitude: -1.78 })]);
      expect(report).toMatchObject({ created: 1, rejected: [] });
      expect(report.problems.join(' ')).toMatch(/"Riverside Lunch Club".*latitude 100, longitude -1.78 is not a place on Earth.*without its map position/);
      const saved = await serviceNamed(db, 'Riverside Lunch Club');
      expect(saved!.locations).toMatchObject([{ name: 'Church Hall', postalCode: 'WY1 2AB', latitude: null, longitude: null }]);
    }));

  it('does the same for a CSV row, and warns about latitude and longitude swapped for a UK place', () =>
    withDatabase(async (db) => {
      const csv = [
        'service_name,organisation_name,address_1,postcode,latitude,longitude',
        'Far Away Club,Riverside Trust,1 High Street,WY1 2AB,100,-1.78',
        'Swapped Club,Riverside Trust,2 High Street,WY1 2AB,-1.78,53.64',
      ].join('\r\n');
      const report = await importFromText(db, csv, { format: 'csv' });
      expect(report).toMatchObject({ created: 2, rejected: [] });
      expect(report.problems.join(' ')).toMatch(/"Far Away Club".*not a place on Earth/);
      expect(report.problems.join(' ')).toMatch(/"Swapped Club".*latitude -1.78 and longitude 53.64 look swapped/);
      expect((await serviceNamed(db, 'Far Away Club'))!.locations[0]).toMatchObject({ latitude: null, longitude: null });
    }));
});

describe('NUL characters and broken characters', () => {
  const importStatus = async (db: Database, runId: string) => (await db.query<{ status: string }>('select status from import_runs where id = $1', [runId]))[0].status;

  it('imports NDJSON and ORUK JSON whose text has NULs or lone surrogates, cleaned, and ends the run', () =>
    withDatabase(async (db) => {
      const nul = { ...orukService({ latitude: 53.64, longitude: -1.78 }), name: 'Lunch\u0000 Club', description: 'Soup\u0000' };
      const surrogate = { ...orukService({ latitude: 53.64, longitude: -1.78 }), name: 'Coffee \ud800Morning', organization: { id: crypto.randomUUID(), name: 'Trust \udc00' } };
      for (const [format, content] of [
        ['ndjson', `${JSON.stringify(nul)}\n${JSON.stringify(surrogate)}\n`],
        ['oruk-json', JSON.stringify({ contents: [nul, surrogate] })],
      ] as const) {
        const report = await importFromText(db, content, { format });
        expect(await importStatus(db, report.runId)).toBe('finished');
        expect(report.rejected).toEqual([]);
        expect(report.created + report.updated).toBe(2);
        expect(report.problems.join(' ')).toMatch(/1 NUL character was removed|2 NUL characters were removed/);
        expect(report.problems.join(' ')).toMatch(/broken characters? .*replaced with �/);
      }
      expect((await serviceNamed(db, 'Lunch Club'))!.description).toBe('Soup');
      expect(await serviceNamed(db, 'Coffee \ufffdMorning')).toBeDefined();
    }));

  it('refuses a file with NUL bytes, saying why, and ends its run as failed', () =>
    withDatabase(async (db) => {
      const report = await importFromText(db, 'service_name,organisation_name\nLunch\0 Club,Trust\n', { format: 'csv' });
      expect(report.problems).toEqual([expect.stringMatching(/contains NUL characters/)]);
      expect(await importStatus(db, report.runId)).toBe('failed');
    }));
});

describe('the CSV export', () => {
  it('starts with a byte order mark and writes no cell a spreadsheet would run as a formula, and reads back as it was', () =>
    withDatabase(async (db) => {
      const csv = [
        'service_name,service_description,organisation_name,contact_phone,address_1,postcode,latitude,longitude',
        '"=HYPERLINK(""http://evil.example"",""Click"")",-5 places left,@SUM(A1),+44 1632 960001,Café Row,WY1 2AB,53.64,-1.78',
      ].join('\n');
      expect(await importFromText(db, csv, { format: 'csv' })).toMatchObject({ created: 1, rejected: [] });
      let text = '';
      for await (const chunk of exportDirectory(db, 'csv')) text += chunk;
      expect(text.startsWith('\uFEFFservice_id,')).toBe(true);
      const [header, row] = parse(text.slice(1)) as string[][];
      const cell = (column: string) => row[header.indexOf(column)];
      expect(cell('service_name')).toBe(`'=HYPERLINK("http://evil.example","Click")`);
      expect(cell('service_description')).toBe("'-5 places left");
      expect(cell('organisation_name')).toBe("'@SUM(A1)");
      expect(cell('contact_phone')).toBe("'+44 1632 960001");
      expect(cell('address_1')).toBe('Café Row');
      expect(cell('longitude')).toBe('-1.78');
      for (const value of row) expect(value).not.toMatch(/^[=+@\t\r]|^-(?!\d+(\.\d+)?$)/);

      const copy = await createTestDatabase();
      try {
        expect(await importFromText(copy, text, { format: 'csv' })).toMatchObject({ created: 1, rejected: [] });
        const back = (await serviceNamed(copy, '=HYPERLINK("http://evil.example","Click")'))!;
        expect(back).toMatchObject({ description: '-5 places left' });
        expect(back.contacts[0].phones[0].number).toBe('+44 1632 960001');
        expect(back.locations[0]).toMatchObject({ address1: 'Café Row', latitude: 53.64, longitude: -1.78 });
      } finally {
        await copy.close();
      }
    }));
});

/** Windows-1252 bytes, as Excel's "CSV (Comma delimited)" saves them. */
function windows1252(text: string): Buffer {
  const high: Record<string, number> = { '€': 0x80, '–': 0x96, '’': 0x92 };
  return Buffer.from([...text].map((c) => high[c] ?? c.charCodeAt(0)));
}

describe('spreadsheets as people save them', () => {
  it("reads Excel's Windows-1252 CSV as Windows-1252, and says so", () =>
    withDatabase(async (db) => {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cg-csv-'));
      try {
        const file = path.join(dir, 'directory.csv');
        await fs.writeFile(file, windows1252('service_name,organisation_name,fees\r\nCafé Club,St Mary’s Trust,£2.50 – €3\r\n'));
        const report = await importFromFile(db, file);
        expect(report).toMatchObject({ created: 1, rejected: [] });
        expect(report.problems.join(' ')).toMatch(/not UTF-8, so it was read as Windows-1252/);
        const club = (await serviceNamed(db, 'Café Club'))!;
        expect(club.fees).toBe('£2.50 – €3');
        expect((await loadOrganisationRecords(db, [club.organisationId]))[0].name).toBe('St Mary’s Trust');
        // A UTF-8 file says nothing of the kind.
        await fs.writeFile(file, 'service_name,organisation_name\nCafé Two,Trust\n');
        expect((await importFromFile(db, file)).problems).toEqual([]);
      } finally {
        await fs.rm(dir, { recursive: true });
      }
    }));

  it('ignores blank spreadsheet rows', () =>
    withDatabase(async (db) => {
      const csv = 'service_name,organisation_name,postcode\r\nLunch Club,Trust,WY1 2AB\r\n,,\r\n , ,\r\nCoffee Morning,Trust,\r\n,,\r\n';
      expect(await importFromText(db, csv, { format: 'csv' })).toMatchObject({ total: 2, created: 2, rejected: [] });
    }));

  it('saves a service with all its places or not at all', () =>
    withDatabase(async (db) => {
      const csv = [
        'service_name,organisation_name,address_1,postcode',
        'Walking Group,Trust,Park Gate,WY1 2AB',
        'Walking Group,Trust,Town Hall,NOT A POSTCODE',
        'Coffee Morning,Trust,Library,WY1 3CD',
      ].join('\n');
      const report = await importFromText(db, csv, { format: 'csv' });
      expect(report.created).toBe(1);
      expect(report.rejected).toHaveLength(1);
      expect(report.rejected[0].record).toMatchObject({ name: 'Walking Group', line: 2 });
      expect(report.rejected[0].reasons.join(' ')).toMatch(/line 3: postcode: "NOT A POSTCODE" is not a UK postcode.*not imported/);
      expect(await serviceNamed(db, 'Walking Group')).toBeUndefined();
      expect(await serviceNamed(db, 'Coffee Morning')).toBeDefined();
    }));

  it("keeps what an earlier row gave an organisation when a later row leaves it blank, and the first row's spelling of its name", () =>
    withDatabase(async (db) => {
      const csv = [
        'service_name,organisation_name,organisation_description,organisation_email,organisation_identifiers',
        'Lunch Club,Riverside Trust,Runs the lunch club,hello@riverside.example,GB-CHC-1234567',
        'Coffee Morning,RIVERSIDE TRUST,,,',
      ].join('\n');
      expect(await importFromText(db, csv, { format: 'csv' })).toMatchObject({ created: 2, rejected: [] });
      const club = (await serviceNamed(db, 'Coffee Morning'))!;
      expect((await serviceNamed(db, 'Lunch Club'))!.organisationId).toBe(club.organisationId);
      const [trust] = await loadOrganisationRecords(db, [club.organisationId]);
      expect(trust).toMatchObject({ name: 'Riverside Trust', description: 'Runs the lunch club', email: 'hello@riverside.example' });
      expect(trust.identifiers.map((i) => i.identifier)).toEqual(['1234567']);
    }));

  it('warns about a service said to be free that has a fee', () =>
    withDatabase(async (db) => {
      const csv = 'service_name,organisation_name,free_of_charge,fees\nYoga,Trust,yes,£3 a class\nChoir,Trust,yes,Free\n';
      const report = await importFromText(db, csv, { format: 'csv' });
      expect(report).toMatchObject({ created: 2, rejected: [] });
      expect(report.problems).toEqual([expect.stringMatching(/"Yoga".*free_of_charge says yes but fees says "£3 a class"/)]);
    }));
});
