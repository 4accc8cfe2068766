import type { Queryable } from '../../../platform/db/database.ts';
import { raw, sql, type Sql } from '../../../platform/db/sql.ts';
import { organisationFieldsSql, serviceFieldsSql, toOrganisationFields, toServiceFields } from '../directory.repository.ts';
import type { LocationRecord } from '../directory.types.ts';
import type { OrganisationSummary, ServiceSummary, TermInfo } from './oruk.mapper.ts';

/** Which services a list asks for. Every value is passed as a parameter; null means "any". */
export type ServiceFilter = {
  search?: string | null;
  organisationId?: string | null;
  modifiedAfter?: string | null;
  /** Tagged (through attributes) with this term. */
  termId?: string | null;
  /** Tagged with any term of this taxonomy. */
  taxonomyId?: string | null;
  deliveryMode?: string | null;
  freeOfCharge?: boolean | null;
  hasDeliveryMode?: boolean | null;
  /** A point and, optionally, a distance in metres from it. */
  near?: { latitude: number; longitude: number; metres?: number | null } | null;
};

export type Paging = { limit: number; offset: number };

type Row = Record<string, unknown>;

/** A page that is not full is the last one, so its end is the total; otherwise count. */
const totalOf = async (rows: unknown[], paging: Paging, count: () => Promise<number>) =>
  rows.length && rows.length < paging.limit ? paging.offset + rows.length : count();

/** No filter at all: the whole directory, counted without reading it. */
const unfiltered = (f: ServiceFilter) =>
  [f.search, f.organisationId, f.modifiedAfter, f.termId, f.taxonomyId, f.deliveryMode, f.freeOfCharge, f.hasDeliveryMode, f.near?.latitude, f.near?.longitude, f.near?.metres].every(
    (v) => v === null || v === undefined,
  );

/**
 * Conditions on services s. Every filter is in the statement, with null meaning "any", so that
 * every list has one shape of statement whatever is asked.
 */
function serviceConditions(f: ServiceFilter): Sql {
  const search = f.search ?? null;
  const termId = f.termId ?? null;
  const taxonomyId = f.taxonomyId ?? null;
  const deliveryMode = f.deliveryMode ?? null;
  const freeOfCharge = f.freeOfCharge ?? null;
  return sql`
  (${search}::text is null or s.search_vector @@ websearch_to_tsquery('english', ${search}::text) or s.name ilike '%' || ${search}::text || '%')
  and (${f.organisationId ?? null}::uuid is null or s.organisation_id = ${f.organisationId ?? null}::uuid)
  and (${f.modifiedAfter ?? null}::timestamptz is null or s.last_modified >= ${f.modifiedAfter ?? null}::timestamptz)
  and (${termId}::uuid is null or exists (select 1 from attributes a where a.link_type = 'service' and a.link_id = s.id and a.taxonomy_term_id = ${termId}::uuid))
  and (${taxonomyId}::uuid is null or exists (select 1 from attributes a join taxonomy_terms t on t.id = a.taxonomy_term_id
                                    where a.link_type = 'service' and a.link_id = s.id and t.taxonomy_id = ${taxonomyId}::uuid))
  and (${deliveryMode}::text is null or ${deliveryMode}::text = any(s.delivery_modes))
  and (${freeOfCharge}::boolean is null or s.free_of_charge = ${freeOfCharge}::boolean)
  and (${f.hasDeliveryMode ?? null}::boolean is not true or cardinality(s.delivery_modes) > 0)`;
}

/** The point to measure from (none without a postcode). */
const here = (f: ServiceFilter) => sql`ll_to_earth(${f.near?.latitude ?? null}::float8, ${f.near?.longitude ?? null}::float8)`;

/** Within the distance of the point, when one is asked for; `earth` is the place's column. */
function withinReach(f: ServiceFilter, earth: Sql): Sql {
  const metres = f.near?.metres ?? null;
  return sql`(${metres}::float8 is null or (earth_box(${here(f)}, ${metres}::float8) @> ${earth} and earth_distance(${earth}, ${here(f)}) <= ${metres}::float8))`;
}

/** A service with a place within the distance asked for (any service when none is). */
function hasPlaceWithinReach(f: ServiceFilter): Sql {
  const metres = f.near?.metres ?? null;
  return sql`(${metres}::float8 is null or exists (
                select 1 from service_at_locations sal join locations l on l.id = sal.location_id
                 where sal.service_id = s.id and earth_box(${here(f)}, ${metres}::float8) @> l.earth
                   and earth_distance(l.earth, ${here(f)}) <= ${metres}::float8))`;
}

const serviceColumns = raw(`${serviceFieldsSql('s')}, ${organisationFieldsSql('o', 'o_')}`);

export type ServiceRow = { service: ServiceSummary; organisation: OrganisationSummary };

const toServiceRow = (r: Row): ServiceRow => ({ service: toServiceFields(r), organisation: toOrganisationFields(r, 'o_') });

/**
 * One page of services matching the filter, with how many match in all. Without a text or a place
 * to rank by, the page is read in name order from the services_name_order index (migration 0090)
 * and counted apart, so a late page of 100,000 services reads a page, not the whole directory.
 */
export async function findServices(db: Queryable, filter: ServiceFilter, paging: Paging): Promise<{ rows: ServiceRow[]; total: number }> {
  if (!filter.search && !filter.near) {
    const rows = await db.query<Row>(sql`select ${serviceColumns}
         from (select s.id from services s
                where ${serviceConditions(filter)}
                order by lower(s.name), s.id limit ${paging.limit} offset ${paging.offset}) page
         join services s on s.id = page.id join organisations o on o.id = s.organisation_id
        order by lower(s.name), s.id`);
    const total = await totalOf(rows, paging, () => countServices(db, filter));
    return { rows: rows.map(toServiceRow), total };
  }
  const latitude = filter.near?.latitude ?? null;
  const search = filter.search ?? null;
  const rows = await db.query<Row>(sql`with matched as (
       select s.id,
              case when ${latitude}::float8 is not null then
                (select min(earth_distance(l.earth, ${here(filter)})) from service_at_locations sal join locations l on l.id = sal.location_id
                  where sal.service_id = s.id and l.earth is not null)
              end as distance,
              case when ${search}::text is not null then ts_rank(s.search_vector, websearch_to_tsquery('english', ${search}::text)) end as rank
         from services s
        where ${serviceConditions(filter)}
          and ${hasPlaceWithinReach(filter)}
     )
     select ${serviceColumns}, count(*) over ()::int as total
       from matched m join services s on s.id = m.id join organisations o on o.id = s.organisation_id
      order by m.distance asc nulls last, m.rank desc nulls last, lower(s.name), s.id
      limit ${paging.limit} offset ${paging.offset}`);
  if (rows.length) return { rows: rows.map(toServiceRow), total: rows[0].total as number };
  return { rows: [], total: paging.offset === 0 ? 0 : await countServices(db, filter) };
}

async function countServices(db: Queryable, filter: ServiceFilter): Promise<number> {
  // Every service: the count kept by migration 0091's triggers, not a read of the whole table.
  if (unfiltered(filter)) {
    const [kept] = await db.query<{ total: number }>('select services::int as total from service_count');
    return kept.total;
  }
  const [row] = await db.query<{ total: number }>(sql`select count(*)::int as total from services s
      where ${serviceConditions(filter)}
        and ${hasPlaceWithinReach(filter)}`);
  return row.total;
}

export type ServiceAtLocationRow = ServiceRow & { serviceAtLocationId: string; location: Omit<LocationRecord, 'schedules' | 'serviceAtLocationId'> };

const salColumns = raw(`sal.id as sal_id, l.id as l_id, l.location_type as l_type, l.name as l_name, l.description as l_description,
  l.latitude as l_latitude, l.longitude as l_longitude`);

const toServiceAtLocationRow = (r: Row): ServiceAtLocationRow => ({
  ...toServiceRow(r),
  serviceAtLocationId: r.sal_id as string,
  location: {
    id: r.l_id as string,
    locationType: r.l_type as LocationRecord['locationType'],
    name: r.l_name as string | null,
    description: r.l_description as string | null,
    latitude: r.l_latitude as number | null,
    longitude: r.l_longitude as number | null,
  },
});

async function countServiceAtLocations(db: Queryable, filter: ServiceFilter): Promise<number> {
  // Every link names a service and a place that exist: counting them needs no join.
  if (unfiltered(filter)) return (await db.query<{ total: number }>('select count(*)::int as total from service_at_locations'))[0].total;
  const [count] = await db.query<{ total: number }>(sql`select count(*)::int as total from service_at_locations sal join services s on s.id = sal.service_id join locations l on l.id = sal.location_id
      where ${serviceConditions(filter)}
        and ${withinReach(filter, sql`l.earth`)}`);
  return count.total;
}

/**
 * One page of services at locations (the services matching the filter, at each of their places).
 * Without a place to rank by, in services' name order from their index, as findServices does.
 */
export async function findServiceAtLocations(
  db: Queryable,
  filter: ServiceFilter,
  paging: Paging,
): Promise<{ rows: ServiceAtLocationRow[]; total: number }> {
  if (!filter.near) {
    const rows = await db.query<Row>(sql`select ${serviceColumns}, ${salColumns}
         from (select sal.id, lower(s.name) as name_order, s.id as service_order from services s join service_at_locations sal on sal.service_id = s.id
                where ${serviceConditions(filter)}
                order by lower(s.name), s.id, sal.id limit ${paging.limit} offset ${paging.offset}) page
         join service_at_locations sal on sal.id = page.id join services s on s.id = sal.service_id
         join locations l on l.id = sal.location_id join organisations o on o.id = s.organisation_id
        order by page.name_order, page.service_order, sal.id`);
    const total = await totalOf(rows, paging, () => countServiceAtLocations(db, filter));
    return { rows: rows.map(toServiceAtLocationRow), total };
  }
  const latitude = filter.near?.latitude ?? null;
  const rows = await db.query<Row>(sql`select ${serviceColumns}, ${salColumns}, count(*) over ()::int as total
       from service_at_locations sal
       join services s on s.id = sal.service_id
       join locations l on l.id = sal.location_id
       join organisations o on o.id = s.organisation_id
      where ${serviceConditions(filter)}
        and ${withinReach(filter, sql`l.earth`)}
      order by case when ${latitude}::float8 is not null and l.earth is not null then earth_distance(l.earth, ${here(filter)}) end asc nulls last,
               lower(s.name), sal.id
      limit ${paging.limit} offset ${paging.offset}`);
  if (rows.length || paging.offset === 0) return { rows: rows.map(toServiceAtLocationRow), total: rows.length ? (rows[0].total as number) : 0 };
  return { rows: [], total: await countServiceAtLocations(db, filter) };
}

export async function findServiceIdBySalId(db: Queryable, serviceAtLocationId: string): Promise<string | null> {
  const [row] = await db.query<{ service_id: string }>('select service_id from service_at_locations where id = $1', [serviceAtLocationId]);
  return row?.service_id ?? null;
}

/** Organisations that are not merged into another, one page, with how many in all. */
export async function findOrganisations(db: Queryable, search: string | null, paging: Paging): Promise<{ ids: string[]; total: number }> {
  const rows = await db.query<{ id: string; total: number }>(
    `select id, count(*) over ()::int as total from organisations
      where merged_into_id is null and ($1::text is null or name ilike '%' || $1::text || '%' or description ilike '%' || $1::text || '%')
      order by lower(name), id limit $2 offset $3`,
    [search, paging.limit, paging.offset],
  );
  if (rows.length || paging.offset === 0) return { ids: rows.map((r) => r.id), total: rows[0]?.total ?? 0 };
  const [count] = await db.query<{ total: number }>(
    `select count(*)::int as total from organisations
      where merged_into_id is null and ($1::text is null or name ilike '%' || $1::text || '%' or description ilike '%' || $1::text || '%')`,
    [search],
  );
  return { ids: [], total: count.total };
}

export async function isCurrentOrganisation(db: Queryable, id: string): Promise<boolean> {
  const rows = await db.query('select 1 from organisations where id = $1 and merged_into_id is null', [id]);
  return rows.length > 0;
}

export async function findServiceIdsOfOrganisations(db: Queryable, organisationIds: string[]): Promise<Map<string, string[]>> {
  const rows = await db.query<{ id: string; organisation_id: string }>(
    'select id, organisation_id from services where organisation_id = any($1::uuid[]) order by lower(name), id',
    [organisationIds],
  );
  const map = new Map<string, string[]>();
  for (const r of rows) map.set(r.organisation_id, [...(map.get(r.organisation_id) ?? []), r.id]);
  return map;
}

export type TaxonomyRow = { id: string; name: string; description: string; uri: string | null; version: string | null };

export async function findTaxonomies(db: Queryable, search: string | null, paging: Paging): Promise<{ rows: TaxonomyRow[]; total: number }> {
  const rows = await db.query<TaxonomyRow & { total: number }>(
    `select id, name, description, uri, version, count(*) over ()::int as total from taxonomies
      where $1::text is null or name ilike '%' || $1::text || '%' or description ilike '%' || $1::text || '%'
      order by lower(name), id limit $2 offset $3`,
    [search, paging.limit, paging.offset],
  );
  if (rows.length || paging.offset === 0) return { rows, total: rows[0]?.total ?? 0 };
  const [count] = await db.query<{ total: number }>(
    `select count(*)::int as total from taxonomies where $1::text is null or name ilike '%' || $1::text || '%' or description ilike '%' || $1::text || '%'`,
    [search],
  );
  return { rows: [], total: count.total };
}

export async function findTaxonomy(db: Queryable, id: string): Promise<TaxonomyRow | null> {
  const [row] = await db.query<TaxonomyRow>('select id, name, description, uri, version from taxonomies where id = $1', [id]);
  return row ?? null;
}

const termColumns = `t.id, t.name, t.description, t.code, t.taxonomy_id as "taxonomyId", x.name as "taxonomyName",
  coalesce(t.parent_id, t.pending_parent_id) as "parentId", t.term_uri as "termUri"`;

export type TermFilter = { search?: string | null; taxonomyId?: string | null; parentId?: string | null; topOnly?: boolean | null };

export async function findTerms(db: Queryable, filter: TermFilter, paging: Paging): Promise<{ rows: TermInfo[]; total: number }> {
  const where = `($1::text is null or t.name ilike '%' || $1::text || '%' or t.code ilike '%' || $1::text || '%' or t.description ilike '%' || $1::text || '%')
     and ($2::uuid is null or t.taxonomy_id = $2::uuid)
     and ($3::uuid is null or t.parent_id = $3::uuid)
     and ($4::boolean is not true or t.parent_id is null)`;
  const params = [filter.search ?? null, filter.taxonomyId ?? null, filter.parentId ?? null, filter.topOnly ?? null];
  const rows = await db.query<TermInfo & { total: number }>(
    `select ${termColumns}, count(*) over ()::int as total from taxonomy_terms t join taxonomies x on x.id = t.taxonomy_id
      where ${where} order by lower(x.name), lower(t.name), t.id limit $5 offset $6`,
    [...params, paging.limit, paging.offset],
  );
  if (rows.length || paging.offset === 0) return { rows, total: rows[0]?.total ?? 0 };
  const [count] = await db.query<{ total: number }>(`select count(*)::int as total from taxonomy_terms t where ${where}`, params);
  return { rows: [], total: count.total };
}

/** Taxonomy terms by id, with their taxonomy's name. */
export async function loadTerms(db: Queryable, ids: string[]): Promise<Map<string, TermInfo>> {
  if (!ids.length) return new Map();
  const rows = await db.query<TermInfo>(`select ${termColumns} from taxonomy_terms t join taxonomies x on x.id = t.taxonomy_id where t.id = any($1::uuid[])`, [
    [...new Set(ids)],
  ]);
  return new Map(rows.map((r) => [r.id, r]));
}

export async function loadTermsOfTaxonomy(db: Queryable, taxonomyId: string): Promise<TermInfo[]> {
  return db.query<TermInfo>(`select ${termColumns} from taxonomy_terms t join taxonomies x on x.id = t.taxonomy_id where t.taxonomy_id = $1 order by lower(t.name), t.id`, [
    taxonomyId,
  ]);
}

/** A postcode's place; latitude and longitude are null for a known postcode without a grid reference; null when unknown. */
export async function postcodeCentre(db: Queryable, postcode: string): Promise<{ latitude: number | null; longitude: number | null } | null> {
  const [row] = await db.query<{ latitude: number | null; longitude: number | null }>('select latitude, longitude from postcodes where postcode = $1', [postcode]);
  return row ?? null;
}

