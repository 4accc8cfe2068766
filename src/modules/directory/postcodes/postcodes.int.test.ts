import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Database } from '../../../platform/db/database.ts';
import { createTestDatabase } from '../../../../test/support/test-database.ts';
import { postcodesCommand } from './postcodes.commands.ts';
import { countPostcodes, findPostcode } from './postcodes.repository.ts';
import { loadPostcodesCsv, PostcodeFileError } from './postcodes.service.ts';
import { loadServiceRecords } from '../directory.repository.ts';
import { importFromText } from '../transfer/transfer.service.ts';

const onspdExtract = path.join(import.meta.dirname, 'fixtures', 'onspd-extract.csv');

describe('loading an ONS Postcode Directory extract', () => {
  let db: Database;
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-postcodes-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => db.close());

  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  it('loads postcodes with their place, small area and deprivation decile, those without coordinates as known, skipping rows without a postcode', async () => {
    const report = await loadPostcodesCsv(db, onspdExtract);
    expect(report).toEqual({
      rows: 11,
      loaded: 10,
      skipped: 1,
      withoutCoordinates: 2,
      notPostcodes: 1,
      placesFilled: 0,
      warnings: [expect.stringMatching(/^1 postcode has a deprivation rank that could not be turned into a decile \(1 in England; for example WY4 5LP: rank 99999 in England\)\. Ranks are read as IMD 2019 ranks \(England 32,844 areas/)],
    });
    expect(await countPostcodes(db)).toBe(10);
    expect(await findPostcode(db, 'WY3 2BF')).toEqual({ postcode: 'WY3 2BF', latitude: 53.70601, longitude: -1.84612, lsoa: 'E01990003', imdDecile: 5 });
    // ONSPD's imd is the rank within the country: turned into deciles (England 32,844 areas, Wales 1,909).
    const deciles = Object.fromEntries(
      await Promise.all(['WY1 1AB', 'WY3 2BE', 'WY6 4DQ', 'WY9 7HX', 'WY4 5LP', 'WY8 1NA'].map(async (p) => [p, (await findPostcode(db, p))?.imdDecile])),
    );
    expect(deciles).toEqual({ 'WY1 1AB': 1, 'WY3 2BE': 1, 'WY6 4DQ': 10, 'WY9 7HX': 8, 'WY4 5LP': null, 'WY8 1NA': 6 });
    // Known, without a map position: latitude 99.999999 (no grid reference), and no coordinates at all.
    expect(await findPostcode(db, 'WY2 9ZZ')).toEqual({ postcode: 'WY2 9ZZ', latitude: null, longitude: null, lsoa: null, imdDecile: null });
    expect(await findPostcode(db, 'WY5 3QT')).toMatchObject({ latitude: null, longitude: null, imdDecile: 1 });
  });

  it('puts places with only a postcode on the map: at import when the postcode is known, and when the postcodes are loaded later', async () => {
    const placeOf = async (name: string) => {
      const [row] = await db.query<{ id: string; box: boolean }>('select id, location_box is not null as box from services where name = $1', [name]);
      const [service] = await loadServiceRecords(db, [row.id]);
      return { latitude: service.locations[0].latitude, longitude: service.locations[0].longitude, searchable: row.box };
    };
    const csv = (name: string) => `service_name,organisation_name,address_1,postcode\n${name},Wyndale Trust,Church Hall,WY3 2BF\n`;
    await importFromText(db, csv('Before Postcodes'), { format: 'csv' });
    expect(await placeOf('Before Postcodes')).toEqual({ latitude: null, longitude: null, searchable: false });

    const report = await loadPostcodesCsv(db, onspdExtract);
    expect(report.placesFilled).toBe(1);
    expect(await placeOf('Before Postcodes')).toEqual({ latitude: 53.70601, longitude: -1.84612, searchable: true });

    await importFromText(db, csv('After Postcodes'), { format: 'csv' });
    expect(await placeOf('After Postcodes')).toEqual({ latitude: 53.70601, longitude: -1.84612, searchable: true });
  });

  it('matches column names without regard to case, takes an explicit decile, and updates postcodes loaded before', async () => {
    await loadPostcodesCsv(db, onspdExtract);
    const nspl = write(
      'nspl.csv',
      ['PCD,LAT,LONG,LSOA11,IMD_DECILE', 'wy12ab,53.7102,-1.8801,E01990009,4', 'WY3 2BF,53.7000,-1.8500,E01990010,7', 'WY1 2AD,53.7,-1.9,,11'].join('\n'),
    );
    const report = await loadPostcodesCsv(db, nspl);
    expect(report).toMatchObject({ rows: 3, loaded: 3, skipped: 0 });
    expect(await findPostcode(db, 'WY1 2AB')).toEqual({ postcode: 'WY1 2AB', latitude: 53.7102, longitude: -1.8801, lsoa: 'E01990009', imdDecile: 4 });
    expect(await findPostcode(db, 'WY3 2BF')).toMatchObject({ latitude: 53.7, lsoa: 'E01990010', imdDecile: 7 });
    expect(await findPostcode(db, 'WY1 2AD')).toMatchObject({ lsoa: null, imdDecile: null }); // 11 is not a decile
    expect(await countPostcodes(db)).toBe(12);
  });

  it('loads in batches, a postcode listed twice keeping its last row', async () => {
    const lines = ['pcds,lat,long'];
    for (let i = 0; i < 1_200; i++) lines.push(`WY${1 + (i % 9)} ${i % 10}${'ABDEFGHJLN'[Math.floor(i / 10) % 10]}${'PQRSTUWXYZ'[Math.floor(i / 100) % 10]},${(53.6 + i / 10_000).toFixed(6)},-1.9`);
    lines.push('WY1 0AP,53.123456,-1.5');
    const report = await loadPostcodesCsv(db, write('many.csv', lines.join('\n')), { batchSize: 100 });
    expect(report.rows).toBe(1_201);
    expect(await countPostcodes(db)).toBe(1_200);
    expect(await findPostcode(db, 'WY1 0AP')).toMatchObject({ latitude: 53.123456, longitude: -1.5 });
  });

  it('refuses a file without the columns it needs, naming what is missing and what the file has', async () => {
    await expect(loadPostcodesCsv(db, write('no-lat.csv', 'pcds,easting,northing\nWY1 1AB,412345,425678\n'))).rejects.toThrow(
      /has no latitude column \(lat, latitude\) and no longitude column .*names: pcds, easting, northing/,
    );
    await expect(loadPostcodesCsv(db, write('empty.csv', ''))).rejects.toThrow(/empty/);
    await expect(loadPostcodesCsv(db, path.join(dir, 'missing.csv'))).rejects.toThrow(PostcodeFileError);
    await expect(loadPostcodesCsv(db, write('broken.csv', 'pcds,lat,long\nWY1 1AB,"53.7,-1.9\n'))).rejects.toThrow(/could not be read as CSV/);
    expect(await countPostcodes(db)).toBe(0);
  });

  describe('npm run cli -- postcodes', () => {
    it('prints how many postcodes it loaded and skipped, and why', async () => {
      const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      try {
        expect(await postcodesCommand(db, [onspdExtract])).toBe(0);
        expect(warn.mock.calls.flat().join('\n')).toMatch(/^Warning: 1 postcode has a deprivation rank that could not be turned into a decile/);
        expect(log.mock.calls.flat().join('\n')).toMatch(
          /Loaded 10 postcodes \(2 of them known but without coordinates, so not on the map\) from .*onspd-extract\.csv in [\d.]+ s; skipped 1 not shaped like a UK postcode\./,
        );
      } finally {
        log.mockRestore();
        warn.mockRestore();
      }
    });

    it('explains its use without a file, and what is wrong with a bad one', async () => {
      const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
      try {
        expect(await postcodesCommand(db, [])).toBe(2);
        expect(error.mock.calls.flat().join('\n')).toMatch(/Usage: npm run cli -- postcodes <file.csv>/);
        expect(await postcodesCommand(db, [path.join(dir, 'nowhere.csv')])).toBe(1);
        expect(error.mock.calls.flat().join('\n')).toMatch(/There is no file at .*nowhere\.csv/);
      } finally {
        error.mockRestore();
      }
    });
  });
});
