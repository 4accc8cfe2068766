import { parse } from 'csv-parse/sync';
import type { Actor } from '../../../platform/actor.ts';
import { recordAudit } from '../../../platform/audit.ts';
import type { Database } from '../../../platform/db/database.ts';
import { formatPence } from '../../../platform/money.ts';
import { refuse } from '../../../platform/refusal.ts';
import { canImportOpenData } from '../grants.policy.ts';
import * as repo from './open-data.repository.ts';
import { fromJsonGrant, grantJson, readRow, type GrantJson } from './three-sixty-giving.ts';

const PAGE = 2000;

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

/** Every published grant in 360Giving's shape, a page of the database at a time. */
export async function* publishedGrantsJson(db: Database, prefix: string, dataSource: string): AsyncGenerator<GrantJson> {
  let after: { awardDate: string; id: string } | null = null;
  for (;;) {
    const page = await repo.publishedGrants(db, after, PAGE);
    if (!page.length) return;
    const ids = page.map((g) => g.id);
    const [identifiers, locations, payments] = await Promise.all([
      repo.identifiersOf(db, [...new Set(page.flatMap((g) => [g.funderId, g.recipientId]))]),
      repo.locationsOf(db, ids),
      repo.paymentsOf(db, ids),
    ]);
    const locationsBy = groupBy(locations, (l) => l.grantId);
    const paymentsBy = groupBy(payments, (p) => p.grantId);
    for (const g of page) yield grantJson(g, { locations: locationsBy.get(g.id) ?? [], payments: paymentsBy.get(g.id) ?? [] }, identifiers, prefix, dataSource);
    const last = page.at(-1)!;
    after = { awardDate: last.awardDate, id: last.id };
  }
}

/** The whole package: the grants and the standard's metadata. */
export async function publishedPackage(db: Database, prefix: string, publicUrl: string) {
  const grants: GrantJson[] = [];
  for await (const g of publishedGrantsJson(db, prefix, `${publicUrl}/api/v1/grants/360giving.json`)) grants.push(g);
  const modified = await repo.lastModified(db);
  return {
    grants,
    version: '1.4',
    title: 'Grants published through Common Ground',
    description: 'Grants awarded by funders in the partnership and marked for publication, in the 360Giving Data Standard.',
    ...(modified ? { modified: new Date(modified).toISOString() } : {}),
    license: 'https://creativecommons.org/licenses/by/4.0/',
    publisher: { name: 'Common Ground', prefix: `360G-${prefix}` },
  };
}

export type ImportResult = { imported: number; matched: number };
const BATCH = 5000;

/**
 * Finds the directory organisation an imported grant's recipient is: by org-id (any list, case
 * ignored), then charity number, then company number. The first organisation holding it wins.
 */
export function recipientMatcher(identifiers: repo.OrgIdentifier[]): (grant: repo.ExternalGrant) => string | null {
  const byOrgId = new Map<string, string>();
  const byCharity = new Map<string, string>();
  const byCompany = new Map<string, string>();
  const keep = (map: Map<string, string>, key: string, id: string) => void (map.has(key) || map.set(key, id));
  for (const i of identifiers) {
    keep(byOrgId, `${i.scheme}-${i.identifier}`.toUpperCase(), i.organisationId);
    if (i.scheme === 'GB-CHC') keep(byCharity, i.identifier, i.organisationId);
    if (i.scheme === 'GB-COH') keep(byCompany, i.identifier.toUpperCase(), i.organisationId);
  }
  return (g) =>
    (g.recipientIdentifier && byOrgId.get(g.recipientIdentifier.toUpperCase())) ||
    (g.charityNumber && byCharity.get(g.charityNumber)) ||
    (g.companyNumber && byCompany.get(g.companyNumber.toUpperCase())) ||
    null;
}

/**
 * Reads another funder's 360Giving file (a JSON package or the spreadsheet layout as CSV). Every
 * row is checked first; if any is broken, nothing is saved and the message names the rows.
 */
export async function importOpenData(db: Database, actor: Actor, file: { name: string; content: Buffer }, ip: string): Promise<ImportResult> {
  if (!canImportOpenData(actor)) throw refuse.forbidden('Only grants managers and partnership admins can import 360Giving data.');
  const text = file.content.toString('utf8').replace(/^\uFEFF/, '');
  const isJson = text.trimStart().startsWith('{');
  let rows: Record<string, unknown>[];
  if (isJson) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw refuse.invalid('file', 'The file is not valid JSON: check it was saved whole, or export it again');
    }
    const grants = (parsed as { grants?: unknown }).grants;
    if (!Array.isArray(grants)) throw refuse.invalid('file', 'The JSON has no “grants” list: it is not a 360Giving package');
    rows = grants.map((g) => fromJsonGrant(g && typeof g === 'object' ? (g as Record<string, unknown>) : {}));
  } else {
    try {
      rows = parse(text, { columns: true, skip_empty_lines: true, trim: true, relax_column_count: true }) as Record<string, unknown>[];
    } catch (error) {
      throw refuse.invalid('file', `The CSV could not be read: ${(error as Error).message}`);
    }
    if (rows.length && !('Identifier' in rows[0])) throw refuse.invalid('file', 'The CSV has no “Identifier” column: use the 360Giving spreadsheet layout’s column titles');
  }
  if (!rows.length) throw refuse.invalid('file', 'The file has no grants in it');
  const good: repo.ExternalGrant[] = [];
  const broken: string[] = [];
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    const read = readRow(row);
    const where = () => (isJson ? `Grant ${i + 1}` : `Row ${i + 2}`);
    if ('faults' in read) broken.push(`${where()}: ${read.faults.join('; ')}`);
    else if (seen.has(read.grant.identifier)) broken.push(`${where()}: the Identifier ${read.grant.identifier} appears twice`);
    else {
      seen.add(read.grant.identifier);
      good.push(read.grant);
    }
  });
  if (broken.length) {
    throw refuse.invalid('file', `${broken.length} of ${rows.length} grants have problems, so nothing was imported. ${broken.slice(0, 5).join('. ')}${broken.length > 5 ? `. And ${broken.length - 5} more` : ''}.`);
  }
  return db.transaction(async (tx) => {
    // Recipients are matched in memory against the directory's identifiers, read once, so each row is
    // written once with its match (an update afterwards rewrote every matched row a second time).
    const matchOf = recipientMatcher(await repo.organisationIdentifiers(tx));
    let matched = 0;
    const rows = good.map((g) => {
      const matchedOrganisationId = matchOf(g);
      if (matchedOrganisationId) matched++;
      return { ...g, matchedOrganisationId };
    });
    for (let i = 0; i < rows.length; i += BATCH) await repo.upsertExternal(tx, rows.slice(i, i + BATCH));
    await recordAudit(tx, { actor, action: 'imported', recordType: 'external_grants', ip, details: { file: file.name, grants: good.length, matched } });
    return { imported: good.length, matched };
  });
}

/**
 * Organisation sizes by latest yearly income, in the bands the NCVO Civil Society Almanac uses:
 * micro under £10,000, small to £100,000, medium to £1 million, large to £10 million, major above.
 */
export const organisationSizes = {
  micro: { label: 'Micro (income under £10,000)', fromPence: 0, belowPence: 1_000_000 },
  small: { label: 'Small (£10,000 to £100,000)', fromPence: 1_000_000, belowPence: 10_000_000 },
  medium: { label: 'Medium (£100,000 to £1 million)', fromPence: 10_000_000, belowPence: 100_000_000 },
  large: { label: 'Large (£1 million to £10 million)', fromPence: 100_000_000, belowPence: 1_000_000_000 },
  major: { label: 'Major (over £10 million)', fromPence: 1_000_000_000, belowPence: null },
} as const;
type OrganisationSize = keyof typeof organisationSizes;

export async function fundingRoutes(db: Database, filter: { geoCode?: string; classification?: string; size?: OrganisationSize }) {
  const { size, ...rest } = filter;
  return repo.fundingRoutes(db, { ...rest, income: size ? organisationSizes[size] : undefined });
}

const RECEIVED_SHOWN = 20;

/** The "grants received" section of a directory organisation's page: other funders' published grants matched to it. None: no section. */
export async function grantsReceivedPanels(db: Database, organisationId: string) {
  const grants = await repo.grantsReceived(db, organisationId, RECEIVED_SHOWN);
  if (!grants.length) return [];
  const received = grants.map((g) => ({ ...g, amount: formatPence(g.amountPence) }));
  return [{ template: 'grants/grants-received.njk', values: { received, receivedTotal: grants[0].total, receivedTotalAmount: formatPence(grants[0].totalPence) } }];
}

