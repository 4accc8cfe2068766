import type { Queryable } from '../../../platform/db/database.ts';
import { IMPORTED_TERMS_TAXONOMY_ID } from '../oruk/oruk-taxonomies.ts';
import type { OrukTermInput } from './transfer.schemas.ts';

export type ImportRunRow = {
  id: string;
  source: string;
  format: string;
  status: 'running' | 'finished' | 'failed';
  total: number;
  processed: number;
  created: number;
  updated: number;
  rejected: number;
  report: unknown;
  startedBy: string | null;
  startedByName: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  updatedAt: Date;
};

const runColumns = `r.id, r.source, r.format, r.status, r.total, r.processed, r.created, r.updated, r.rejected,
  r.started_by as "startedBy", u.name as "startedByName", r.started_at as "startedAt", r.finished_at as "finishedAt", r.updated_at as "updatedAt"`;

export async function insertImportRun(db: Queryable, run: { id: string; source: string; format: string; startedBy: string | null }): Promise<void> {
  await db.query('insert into import_runs (id, source, format, started_by) values ($1, $2, $3, $4)', [run.id, run.source, run.format, run.startedBy]);
}

export async function updateImportRun(
  db: Queryable,
  id: string,
  progress: { total: number; processed: number; created: number; updated: number; rejected: number; status?: 'running' | 'finished' | 'failed'; report?: unknown },
): Promise<void> {
  await db.query(
    `update import_runs set total = $2, processed = $3, created = $4, updated = $5, rejected = $6,
            status = coalesce($7, status), report = coalesce($8::jsonb, report),
            finished_at = case when $7 in ('finished', 'failed') then now() else finished_at end, updated_at = now()
      where id = $1`,
    [id, progress.total, progress.processed, progress.created, progress.updated, progress.rejected, progress.status ?? null, progress.report === undefined ? null : JSON.stringify(progress.report)],
  );
}

export async function findImportRun(db: Queryable, id: string): Promise<ImportRunRow | null> {
  const [row] = await db.query<ImportRunRow>(
    `select ${runColumns}, r.report from import_runs r left join users u on u.id = r.started_by where r.id = $1`,
    [id],
  );
  return row ?? null;
}

export async function recentImportRuns(db: Queryable, limit = 10): Promise<ImportRunRow[]> {
  return db.query<ImportRunRow>(
    `select ${runColumns}, null as report
       from import_runs r left join users u on u.id = r.started_by order by r.started_at desc limit $1`,
    [limit],
  );
}

export async function existingServiceIds(db: Queryable, ids: string[]): Promise<Set<string>> {
  const rows = await db.query<{ id: string }>('select id from services where id = any($1::uuid[])', [ids]);
  return new Set(rows.map((r) => r.id));
}

export async function existingOrganisationIds(db: Queryable, ids: string[]): Promise<Set<string>> {
  const rows = await db.query<{ id: string }>('select id from organisations where id = any($1::uuid[])', [ids]);
  return new Set(rows.map((r) => r.id));
}

/**
 * Organisations already in the directory that rows without an organisation id mean: the same
 * official identifier, or else exactly the same name. Keyed by the id the rows were given.
 */
export async function matchOrganisations(
  db: Queryable,
  wanted: { key: string; name: string; identifiers: { scheme: string; identifier: string }[] }[],
): Promise<Map<string, string>> {
  if (!wanted.length) return new Map();
  const rows = await db.query<{ key: string; id: string }>(
    `select distinct on (w.key) w.key, o.id
       from jsonb_to_recordset($1::jsonb) as w(key text, name text, identifiers jsonb)
       join organisations o on o.merged_into_id is null and (
              exists (select 1 from organisation_identifiers i, jsonb_to_recordset(w.identifiers) as x(scheme text, identifier text)
                       where i.organisation_id = o.id and i.identifier_scheme = x.scheme and upper(i.identifier) = upper(x.identifier))
              or lower(o.name) = lower(w.name))
      order by w.key, (lower(o.name) = lower(w.name)) desc, o.created_at`,
    [JSON.stringify(wanted)],
  );
  return new Map(rows.map((r) => [r.key, r.id]));
}

export async function existingTermIds(db: Queryable, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await db.query<{ id: string }>('select id from taxonomy_terms where id = any($1::uuid[])', [ids]);
  return new Set(rows.map((r) => r.id));
}

/**
 * Saves the taxonomy terms imported records use and describe. A term we do not have is added,
 * with its taxonomy when the record names one (else under "Imported terms"); a code already used
 * in that taxonomy keeps the existing term and the new one is not made. A term we have takes the
 * record's name, description, address and parent (a feed renamed it), except the directory's own
 * terms (needs, delivery, cost), which only this system changes. A parent we do not hold yet is
 * kept aside and linked when it arrives.
 */
export async function saveImportedTerms(db: Queryable, terms: OrukTermInput[], ownTaxonomyIds: string[]): Promise<void> {
  if (!terms.length) return;
  await db.query(
    `insert into taxonomies (id, name, description)
     select distinct on (taxonomy_id) taxonomy_id, coalesce(taxonomy, 'Imported taxonomy'), 'Arrived with imported records.'
       from jsonb_to_recordset($1::jsonb) as x(taxonomy_id uuid, taxonomy text)
      where taxonomy_id is not null
     on conflict do nothing`,
    [JSON.stringify(terms)],
  );
  await db.query(
    `insert into taxonomy_terms (id, taxonomy_id, code, name, description, term_uri)
     select x.id, coalesce(x.taxonomy_id, $2::uuid), coalesce(x.term, x.name), x.name, coalesce(x.description, ''), x.term_uri
       from jsonb_to_recordset($1::jsonb) as x(id uuid, taxonomy_id uuid, term text, name text, description text, term_uri text)
     on conflict do nothing`,
    [JSON.stringify(terms), IMPORTED_TERMS_TAXONOMY_ID],
  );
  await db.query(
    `update taxonomy_terms t
        set name = x.name, description = coalesce(x.description, ''), term_uri = x.term_uri,
            parent_id = (select p.id from taxonomy_terms p where p.id = x.parent_id and p.id <> t.id),
            pending_parent_id = case when x.parent_id <> t.id and not exists (select 1 from taxonomy_terms p where p.id = x.parent_id) then x.parent_id end,
            updated_at = now()
       from (select distinct on (id) * from jsonb_to_recordset($1::jsonb) as r(id uuid, name text, description text, term_uri text, parent_id uuid)) x
      where t.id = x.id and t.taxonomy_id <> all($2::uuid[])
        and (t.name, t.description, t.term_uri, coalesce(t.parent_id, t.pending_parent_id))
            is distinct from (x.name, coalesce(x.description, ''), x.term_uri, x.parent_id)`,
    [JSON.stringify(terms), ownTaxonomyIds],
  );
  await db.query(`update taxonomy_terms c set parent_id = c.pending_parent_id, pending_parent_id = null
                   where c.pending_parent_id is not null and exists (select 1 from taxonomy_terms p where p.id = c.pending_parent_id)`);
}

/** Service ids in id order after the given one: the export walks the whole directory with these. */
export async function serviceIdsAfter(db: Queryable, afterId: string | null, limit: number): Promise<string[]> {
  const rows = await db.query<{ id: string }>('select id from services where $1::uuid is null or id > $1::uuid order by id limit $2', [afterId, limit]);
  return rows.map((r) => r.id);
}

/** Organisations (not merged into another) that have no services, in id order after the given one. */
export async function organisationIdsWithoutServicesAfter(db: Queryable, afterId: string | null, limit: number): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `select o.id from organisations o
      where ($1::uuid is null or o.id > $1::uuid) and o.merged_into_id is null
        and not exists (select 1 from services s where s.organisation_id = o.id)
      order by o.id limit $2`,
    [afterId, limit],
  );
  return rows.map((r) => r.id);
}

/** The planner's estimate of how many services there are (0 before the first ANALYZE). */
export async function estimatedServiceCount(db: Queryable): Promise<number> {
  const [row] = await db.query<{ n: number }>(`select greatest(reltuples, 0)::float8 as n from pg_class where oid = 'services'::regclass`);
  return row?.n ?? 0;
}

/** Fresh planner statistics for the tables an import writes. */
export async function analyzeDirectory(db: Queryable): Promise<void> {
  await db.query(
    `analyze organisations, organisation_identifiers, services, locations, service_at_locations, schedules, contacts, phones,
             service_languages, cost_options, service_areas, attributes, taxonomy_terms, search_vocabulary`,
  );
}
