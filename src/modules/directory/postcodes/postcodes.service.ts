import fs from 'node:fs';
import { parse } from 'csv-parse';
import type { Queryable } from '../../../platform/db/database.ts';
import { normalisePostcode } from './postcode.ts';
import { placeLocationsByPostcode, upsertPostcodes, type PostcodeRow } from './postcodes.repository.ts';

/*
 * Loading an extract of the ONS Postcode Directory (ONSPD) or the National Statistics Postcode
 * Lookup (NSPL): a CSV file with a header row. Column names are matched without regard to case;
 * the first name found in each list below is used. Releases rename columns (ctry became ctry25cd,
 * then ctry26cd; imd became imd25ind with IMD 2025), so names with a year in them are also
 * matched by pattern, the newest year first.
 */
const postcodeColumns = {
  postcode: { names: ['pcds', 'pcd', 'pcd2', 'pcd7', 'pcd8', 'postcode'] },
  latitude: { names: ['lat', 'latitude'] },
  longitude: { names: ['long', 'longitude', 'lng'] },
  lsoa: { names: ['lsoa21cd', 'lsoa21', 'lsoa11cd', 'lsoa11', 'lsoa'], pattern: /^lsoa(\d{2})(cd)?$/ },
  /** A deprivation decile, 1 (most deprived) to 10. */
  imdDecile: { names: ['imd_decile', 'imddecile', 'imd decile', 'decile'] },
  /** ONSPD and NSPL's deprivation column: the small area's RANK within its own country's index. */
  imdRank: { names: ['imd', 'imd_rank', 'imdrank'], pattern: /^imd(\d{2})(ind)?$/ },
  country: { names: ['ctry', 'ctry12cd', 'country'], pattern: /^ctry(\d{2})cd$/ },
} as const;
type ColumnKey = keyof typeof postcodeColumns;

/**
 * How many small areas each country's deprivation index ranks, by the release an ONSPD or NSPL
 * column carries. Each country ranks its own areas: England's Index of Multiple Deprivation (IMD),
 * the Welsh (WIMD), Scottish (SIMD) and Northern Ireland (NIMDM) indices. A rank beyond its
 * country's count is reported, never guessed at.
 */
const indexReleases: { from: number; name: string; areas: Record<string, number> }[] = [
  // IMD 2025 ranks England's 33,755 2021 LSOAs; Wales's 2021 LSOAs number 1,917; SIMD 2020 and NIMDM 2017 are still current.
  { from: 25, name: 'IMD 2025', areas: { E: 33_755, W: 1_917, S: 6_976, N: 890 } },
  // ONSPD's `imd` until 2025: IMD 2019, WIMD 2019, SIMD 2020, NIMDM 2017.
  { from: 0, name: 'IMD 2019', areas: { E: 32_844, W: 1_909, S: 6_976, N: 890 } },
];
const countryNames: Record<string, string> = { E: 'England', W: 'Wales', S: 'Scotland', N: 'Northern Ireland' };

export class PostcodeFileError extends Error {}

export type PostcodeLoadReport = {
  rows: number;
  loaded: number;
  skipped: number;
  /** Real postcodes without a grid reference: loaded as known, without a map position. */
  withoutCoordinates: number;
  notPostcodes: number;
  /** Directory places that had only a postcode and are now on the map. */
  placesFilled: number;
  /** What the file lacks or could not be used for: a missing deprivation column, ranks that could not be read. */
  warnings: string[];
};

/** The country letter (E, W, S, N) from a country code (E92000001) or a small-area code (E01…, W01…, S01…, 95…). */
function countryOf(countryCode: string | undefined, lsoa: string | null): string | null {
  const code = (countryCode ?? '').trim().toUpperCase();
  if (/^[EWSN]9/.test(code)) return code[0];
  if (lsoa && /^[EWS]0/.test(lsoa)) return lsoa[0];
  if (lsoa && /^(95|N0)/.test(lsoa)) return 'N';
  return null;
}

type Columns = Record<ColumnKey, number> & { header: string[]; rankRelease: (typeof indexReleases)[number] };

function findColumns(header: string[]): Columns {
  const names = header.map((h) => h.trim().toLowerCase());
  const find = (key: ColumnKey) => {
    const column: { names: readonly string[]; pattern?: RegExp } = postcodeColumns[key];
    for (const option of column.names) {
      const index = names.indexOf(option);
      if (index >= 0) return index;
    }
    if (!column.pattern) return -1;
    // The newest release's column first (ctry26cd before ctry25cd).
    const matches = names.map((n, index) => ({ index, year: Number(column.pattern!.exec(n)?.[1] ?? -1) })).filter((m) => m.year >= 0);
    return matches.sort((a, b) => b.year - a.year)[0]?.index ?? -1;
  };
  const columns = Object.fromEntries(Object.keys(postcodeColumns).map((key) => [key, find(key as ColumnKey)])) as Record<ColumnKey, number>;
  const missing = (['postcode', 'latitude', 'longitude'] as const)
    .filter((key) => columns[key] < 0)
    .map((key) => `${key} column (${postcodeColumns[key].names.join(', ')})`);
  if (missing.length) {
    throw new PostcodeFileError(`The postcode file has no ${missing.join(' and no ')}. Its first row must name the columns; it names: ${names.slice(0, 12).join(', ') || 'nothing'}.`);
  }
  const rankYear = Number(postcodeColumns.imdRank.pattern.exec(names[columns.imdRank] ?? '')?.[1] ?? 0);
  const rankRelease = indexReleases.find((r) => rankYear >= r.from)!;
  return { ...columns, header: names, rankRelease };
}

/** What the load report warns about a file's columns: what is missing, and so left empty. */
function columnWarnings(columns: Columns): string[] {
  const warnings: string[] = [];
  if (columns.imdDecile < 0 && columns.imdRank < 0) {
    warnings.push(
      `No deprivation column was found (looked for ${[...postcodeColumns.imdDecile.names, ...postcodeColumns.imdRank.names].join(', ')}, imd25ind and other imdNNind), ` +
        'so every postcode was loaded without a deprivation decile. Load a file with its deprivation column, or tell the developers what it is called.',
    );
  } else if (columns.imdDecile < 0 && columns.country < 0 && columns.lsoa < 0) {
    warnings.push(
      `The deprivation column ${columns.header[columns.imdRank]} is a rank within each country, but no country column (ctry, ctry25cd, ctry26cd …) or small-area column says which country, so no decile could be worked out.`,
    );
  }
  if (columns.lsoa < 0) warnings.push(`No small-area (LSOA) column was found (looked for ${postcodeColumns.lsoa.names.join(', ')} and other lsoaNNcd), so postcodes were loaded without one.`);
  return warnings;
}

/** A rank within its country turned into a decile; null when the country or rank is unknown or out of range. */
function decileFromRank(rank: number, country: string | null, release: Columns['rankRelease']): number | null {
  const total = country ? release.areas[country] : undefined;
  if (!total || !Number.isInteger(rank) || rank < 1 || rank > total) return null;
  return Math.min(10, Math.max(1, Math.ceil((rank * 10) / total)));
}

/** ONSPD marks a postcode without a grid reference with latitude 99.999999 (and longitude 0). */
const hasCoordinates = (lat: number, long: number) => Number.isFinite(lat) && Number.isFinite(long) && Math.abs(lat) <= 90 && Math.abs(long) <= 180 && lat !== 99.999999;

/**
 * Reads the file as a stream and upserts postcodes in batches, so a whole-country file (2.6
 * million rows) loads without holding it in memory. A postcode without coordinates is loaded as
 * known but not on the map; a row whose postcode is not shaped like one is counted and skipped.
 * A column the file lacks (deprivation, small area), or ranks that cannot be read, are warned about. A postcode listed twice keeps its last row.
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
  const report: PostcodeLoadReport = { rows: 0, loaded: 0, skipped: 0, withoutCoordinates: 0, notPostcodes: 0, placesFilled: 0, warnings: [] };
  let columns: Columns | null = null;
  const unreadRanks = { count: 0, byCountry: new Map<string, number>(), example: '' };
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
        report.warnings.push(...columnWarnings(columns));
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
      const placed = hasCoordinates(latitude, longitude);
      if (!placed) report.withoutCoordinates += 1;
      const lsoa = cell(columns.lsoa)?.toUpperCase() || null;
      const decileText = cell(columns.imdDecile);
      const rankText = cell(columns.imdRank);
      let imdDecile: number | null = null;
      if (decileText) {
        const d = Number(decileText);
        imdDecile = Number.isInteger(d) && d >= 1 && d <= 10 ? d : null;
      } else if (rankText) {
        const country = countryOf(cell(columns.country), lsoa);
        imdDecile = decileFromRank(Number(rankText), country, columns.rankRelease);
        if (imdDecile === null) {
          unreadRanks.count += 1;
          const key = country ?? '?';
          unreadRanks.byCountry.set(key, (unreadRanks.byCountry.get(key) ?? 0) + 1);
          unreadRanks.example ||= `${postcode}: rank ${rankText}${country ? ` in ${countryNames[country]}` : ', country unknown'}`;
        }
      }
      batch.push({ postcode, latitude: placed ? latitude : null, longitude: placed ? longitude : null, lsoa, imdDecile });
      if (batch.length >= batchSize) await flush();
    }
  } catch (error) {
    if (error instanceof PostcodeFileError) throw error;
    const where = (error as { lines?: number }).lines;
    throw new PostcodeFileError(`The postcode file could not be read as CSV${where ? ` (near line ${where})` : ''}: ${(error as Error).message}`);
  }
  if (!columns) throw new PostcodeFileError('The postcode file is empty: it needs a header row and one row for each postcode.');
  await flush();
  report.skipped = report.notPostcodes;
  if (unreadRanks.count) {
    const where = [...unreadRanks.byCountry].map(([c, n]) => `${n.toLocaleString('en-GB')} ${c === '?' ? 'in no known country' : `in ${countryNames[c]}`}`).join(', ');
    const release = columns.rankRelease;
    report.warnings.push(
      `${unreadRanks.count.toLocaleString('en-GB')} ${unreadRanks.count === 1 ? 'postcode has' : 'postcodes have'} a deprivation rank that could not be turned into a decile (${where}; for example ${unreadRanks.example}). ` +
        `Ranks are read as ${release.name} ranks (${Object.entries(release.areas).map(([c, n]) => `${countryNames[c]} ${n.toLocaleString('en-GB')} areas`).join(', ')}): ${unreadRanks.count === 1 ? 'it was' : 'they were'} loaded without a decile.`,
    );
  }
  // Places imported before their postcodes were known go on the map now.
  report.placesFilled = await placeLocationsByPostcode(db);
  return report;
}
