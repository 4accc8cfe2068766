import fs from 'node:fs';
import { parse } from 'csv-parse';
import type { Queryable } from '../../../platform/db/database.ts';
import { normalisePostcode } from './postcode.ts';
import { placeLocationsByPostcode, upsertPostcodes, type PostcodeRow } from './postcodes.repository.ts';

/*
 * Loading an extract of the ONS Postcode Directory (ONSPD) or the National Statistics Postcode
 * Lookup (NSPL): a CSV file with a header row. Column names are matched without regard to case;
 * the first name found in each list below is used.
 */
const postcodeColumns = {
  postcode: ['pcds', 'pcd', 'pcd2', 'pcd7', 'pcd8', 'postcode'],
  latitude: ['lat', 'latitude'],
  longitude: ['long', 'longitude', 'lng'],
  lsoa: ['lsoa21', 'lsoa21cd', 'lsoa11', 'lsoa11cd', 'lsoa'],
  /** A deprivation decile, 1 (most deprived) to 10. */
  imdDecile: ['imd_decile', 'imddecile', 'imd decile', 'decile'],
  /** ONSPD and NSPL's `imd`: the small area's deprivation RANK within its own country. */
  imdRank: ['imd', 'imd_rank', 'imdrank'],
  country: ['ctry', 'ctry25cd', 'ctry12cd', 'country'],
} as const;

/** Small areas ranked in each country's index (England IMD 2019, Wales WIMD 2019, Scotland SIMD 2020, Northern Ireland NIMDM 2017). */
const areasRanked: Record<string, number> = { E: 32_844, W: 1_909, S: 6_976, N: 890 };

export class PostcodeFileError extends Error {}

export type PostcodeLoadReport = {
  rows: number;
  loaded: number;
  skipped: number;
  withoutCoordinates: number;
  notPostcodes: number;
  /** Directory places that had only a postcode and are now on the map. */
  placesFilled: number;
};

/** The country letter (E, W, S, N) from a country code (E92000001) or a small-area code (E01…, 95…). */
function countryOf(countryCode: string | undefined, lsoa: string | null): string | null {
  const code = (countryCode ?? '').trim().toUpperCase();
  if (/^[EWSN]9/.test(code)) return code[0];
  if (lsoa && /^[EWS]0/.test(lsoa)) return lsoa[0];
  if (lsoa && /^95/.test(lsoa)) return 'N';
  return null;
}

/** A rank within its country turned into a decile; null when the country or rank is unknown. */
function decileFromRank(rank: number, country: string | null): number | null {
  const total = country ? areasRanked[country] : undefined;
  if (!total || !Number.isInteger(rank) || rank < 1 || rank > total) return null;
  return Math.min(10, Math.max(1, Math.ceil((rank * 10) / total)));
}

function findColumns(header: string[]) {
  const names = header.map((h) => h.trim().toLowerCase());
  const find = (options: readonly string[]) => {
    for (const option of options) {
      const index = names.indexOf(option);
      if (index >= 0) return index;
    }
    return -1;
  };
  const columns = Object.fromEntries(Object.entries(postcodeColumns).map(([key, options]) => [key, find(options)])) as Record<keyof typeof postcodeColumns, number>;
  const missing = [
    columns.postcode < 0 ? `postcode column (${postcodeColumns.postcode.join(', ')})` : null,
    columns.latitude < 0 ? `latitude column (${postcodeColumns.latitude.join(', ')})` : null,
    columns.longitude < 0 ? `longitude column (${postcodeColumns.longitude.join(', ')})` : null,
  ].filter(Boolean);
  if (missing.length) {
    throw new PostcodeFileError(`The postcode file has no ${missing.join(' and no ')}. Its first row must name the columns; it names: ${names.slice(0, 12).join(', ') || 'nothing'}.`);
  }
  return columns;
}

/** ONSPD marks a postcode without a grid reference with latitude 99.999999. */
const hasCoordinates = (lat: number, long: number) => Number.isFinite(lat) && Number.isFinite(long) && Math.abs(lat) <= 90 && Math.abs(long) <= 180 && lat !== 99.999999;

/**
 * Reads the file as a stream and upserts postcodes in batches, so a whole-country file (2.6
 * million rows) loads without holding it in memory. Rows without coordinates, or whose postcode
 * is not shaped like one, are counted and skipped. A postcode listed twice keeps its last row.
 * Batches already loaded stay loaded if a later row breaks the file: loading again is safe.
 * Then every directory place with a loaded postcode but no coordinates is given the postcode's.
 */
export async function loadPostcodesCsv(db: Queryable, filePath: string, options: { batchSize?: number } = {}): Promise<PostcodeLoadReport> {
  const batchSize = options.batchSize ?? 5_000;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(filePath);
  } catch {
    throw new PostcodeFileError(`There is no file at ${filePath}.`);
  }
  if (!stat.isFile()) throw new PostcodeFileError(`${filePath} is not a file.`);

  const parser = fs.createReadStream(filePath).pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, trim: true }));
  const report: PostcodeLoadReport = { rows: 0, loaded: 0, skipped: 0, withoutCoordinates: 0, notPostcodes: 0, placesFilled: 0 };
  let columns: ReturnType<typeof findColumns> | null = null;
  let batch: PostcodeRow[] = [];
  const flush = async () => {
    await upsertPostcodes(db, batch);
    report.loaded += batch.length;
    batch = [];
  };
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (!columns) {
        columns = findColumns(record);
        continue;
      }
      report.rows += 1;
      const cell = (index: number) => (index >= 0 ? record[index] : undefined);
      const postcode = normalisePostcode(cell(columns.postcode));
      if (!postcode) {
        report.notPostcodes += 1;
        continue;
      }
      const latitude = Number(cell(columns.latitude) || NaN);
      const longitude = Number(cell(columns.longitude) || NaN);
      if (!hasCoordinates(latitude, longitude)) {
        report.withoutCoordinates += 1;
        continue;
      }
      const lsoa = cell(columns.lsoa)?.toUpperCase() || null;
      const decileText = cell(columns.imdDecile);
      const rankText = cell(columns.imdRank);
      let imdDecile: number | null = null;
      if (decileText) {
        const d = Number(decileText);
        imdDecile = Number.isInteger(d) && d >= 1 && d <= 10 ? d : null;
      } else if (rankText) {
        imdDecile = decileFromRank(Number(rankText), countryOf(cell(columns.country), lsoa));
      }
      batch.push({ postcode, latitude, longitude, lsoa, imdDecile });
      if (batch.length >= batchSize) await flush();
    }
  } catch (error) {
    if (error instanceof PostcodeFileError) throw error;
    const where = (error as { lines?: number }).lines;
    throw new PostcodeFileError(`The postcode file could not be read as CSV${where ? ` (near line ${where})` : ''}: ${(error as Error).message}`);
  }
  if (!columns) throw new PostcodeFileError('The postcode file is empty: it needs a header row and one row for each postcode.');
  await flush();
  report.skipped = report.withoutCoordinates + report.notPostcodes;
  // Places imported before their postcodes were known go on the map now.
  report.placesFilled = await placeLocationsByPostcode(db);
  return report;
}
