import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../../platform/db/database.ts';
import { createTestApp, type TestApp } from '../../../../test/support/kit.ts';
import { createTestDatabase } from '../../../../test/support/test-database.ts';
import { findPostcode } from './postcodes.repository.ts';
import { loadPostcodesCsv } from './postcodes.service.ts';

/*
 * Issue 10: the ONS Postcode Directory (ONSPD) and the National Statistics Postcode Lookup (NSPL)
 * rename their columns between releases. Each layout's synthetic extract (fixtures/) loads with
 * the deprivation decile of every nation's index; a missing column is warned about, never left
 * silently empty.
 */
const fixture = (name: string) => path.join(import.meta.dirname, 'fixtures', name);
const decilesOf = async (db: Database, postcodes: string[]) =>
  Object.fromEntries(await Promise.all(postcodes.map(async (p) => [p, (await findPostcode(db, p))?.imdDecile ?? null])));

describe('loading each ONSPD and NSPL layout', () => {
  let db: Database;
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-postcode-layouts-'));
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

  it('reads the current ONSPD (ctry26cd, imd25ind: IMD 2025 over 33,755 areas) for all four nations', async () => {
    const report = await loadPostcodesCsv(db, fixture('onspd-2026-extract.csv'));
    expect(report).toMatchObject({ rows: 7, loaded: 7, withoutCoordinates: 1, warnings: [] });
    expect(await decilesOf(db, ['WY1 1AB', 'WY3 2BE', 'WY6 4DQ', 'WY8 1NA', 'WY8 2SC', 'WY8 3NI'])).toEqual({
      'WY1 1AB': 1, // England, rank 3,375 of 33,755
      'WY3 2BE': 10, // England, rank 33,000: beyond IMD 2019's 32,844 areas, within IMD 2025's
      'WY6 4DQ': 10,
      'WY8 1NA': 10, // Wales, rank 1,917 of 1,917
      'WY8 2SC': 1, // Scotland, rank 697 of 6,976
      'WY8 3NI': 5, // Northern Ireland, rank 445 of 890
    });
    expect(await findPostcode(db, 'WY8 2SC')).toMatchObject({ lsoa: 'S01099001' });
    expect(await findPostcode(db, 'WY2 9ZZ')).toEqual({ postcode: 'WY2 9ZZ', latitude: null, longitude: null, lsoa: null, imdDecile: null });
  });

  it('reads the current NSPL, its columns in another order', async () => {
    const report = await loadPostcodesCsv(db, fixture('nspl-2026-extract.csv'));
    expect(report).toMatchObject({ rows: 4, loaded: 4, warnings: [] });
    expect(await decilesOf(db, ['WY1 1AB', 'WY8 1NA', 'WY8 2SC', 'WY8 3NI'])).toEqual({ 'WY1 1AB': 1, 'WY8 1NA': 10, 'WY8 2SC': 1, 'WY8 3NI': 5 });
  });

  it('reads the 2025 layout (ctry25cd, imdNNind carrying IMD 2019 ranks)', async () => {
    const report = await loadPostcodesCsv(db, fixture('onspd-2025-extract.csv'));
    expect(report).toMatchObject({ rows: 5, loaded: 5, warnings: [] });
    expect(await decilesOf(db, ['WY1 1AB', 'WY6 4DQ', 'WY8 1NA', 'WY8 2SC', 'WY8 3NI'])).toEqual({ 'WY1 1AB': 1, 'WY6 4DQ': 10, 'WY8 1NA': 6, 'WY8 2SC': 10, 'WY8 3NI': 1 });
  });

  it('takes the newest country column when a file has two', async () => {
    const file = write('two-countries.csv', 'pcds,lat,long,lsoa21cd,ctry25cd,ctry26cd,imd25ind\nWY8 1NA,53.674,-1.858,,E92000001,W92000004,1917\n');
    expect((await loadPostcodesCsv(db, file)).warnings).toEqual([]);
    expect(await decilesOf(db, ['WY8 1NA'])).toEqual({ 'WY8 1NA': 10 });
  });

  it('warns, and loads the postcodes, when the deprivation or small-area column is missing, or no column says the country', async () => {
    const none = await loadPostcodesCsv(db, write('no-imd.csv', 'pcds,lat,long,lsoa21cd,ctry26cd,imd_2031_rank\nWY1 1AB,53.7,-1.9,E01990001,E92000001,12\n'));
    expect(none.loaded).toBe(1);
    expect(none.warnings).toEqual([expect.stringMatching(/^No deprivation column was found \(looked for .*imd25ind.*\), so every postcode was loaded without a deprivation decile/)]);

    const noCountry = await loadPostcodesCsv(db, write('no-country.csv', 'pcds,lat,long,imd25ind\nWY1 1AB,53.7,-1.9,12\n'));
    expect(noCountry.warnings).toEqual([
      expect.stringMatching(/^The deprivation column imd25ind is a rank within each country, but no country column \(ctry, ctry25cd, ctry26cd …\) or small-area column says which country/),
      expect.stringMatching(/^No small-area \(LSOA\) column was found/),
      expect.stringMatching(/^1 postcode has a deprivation rank that could not be turned into a decile \(1 in no known country/),
    ]);
    expect(await decilesOf(db, ['WY1 1AB'])).toEqual({ 'WY1 1AB': null });
  });
});

describe('searching from a known postcode that has no map position', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await loadPostcodesCsv(t.db, fixture('onspd-2026-extract.csv'));
  });
  afterAll(() => t?.close());

  it('says the postcode is known but not on the map, on the search page, the search API and the ORUK API', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/directory?postcode=WY2+9ZZ' });
    expect(page.statusCode).toBe(422);
    expect(page.body).toContain('We know the postcode WY2 9ZZ but it has no map position, so we cannot sort services by distance from it');
    expect(page.body).not.toContain('We could not find the postcode');

    const api = await t.app.inject({ method: 'GET', url: '/api/v1/services?postcode=WY2%209ZZ' });
    expect(api.statusCode).toBe(422);
    expect(JSON.stringify(api.json())).toContain('We know the postcode WY2 9ZZ but it has no map position');

    const oruk = await t.app.inject({ method: 'GET', url: '/oruk/services?postcode=WY2%209ZZ' });
    expect(oruk.statusCode).toBe(400);
    expect(JSON.stringify(oruk.json())).toContain('postcode WY2 9ZZ is one we know, but it has no map position');

    // A postcode we do not know at all still says so.
    const unknown = await t.app.inject({ method: 'GET', url: '/directory?postcode=WY7+7ZZ' });
    expect(unknown.body).toContain('We could not find the postcode WY7 7ZZ');
  });
});
