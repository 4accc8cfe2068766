import type { Queryable } from '../../../platform/db/database.ts';
import { empty, join, sql, whereAll, type Sql } from '../../../platform/db/sql.ts';
import type { ScheduleRecord, ServiceStatus } from '../directory.types.ts';
import { NEEDS_TAXONOMY_ID } from '../needs-taxonomy.ts';
import { searchCellsNear } from './search-cells.ts';

/** The search as the database sees it: every value already checked and normalised. */
export type SearchFilters = {
  text?: string;
  /** to_tsquery text with typed words or their near spellings, like '(befreinding | befriending)'. */
  respelt?: string;
  needId?: string;
  origin?: { latitude: number; longitude: number };
  metres?: number;
  age?: number;
  freeOnly?: boolean;
  delivery?: string[];
  day?: string;
  language?: string;
  limit: number;
  offset: number;
};

export type SearchRow = {
  id: string;
  name: string;
  organisationId: string;
  organisationName: string;
  description: string;
  status: ServiceStatus;
  reopeningDate: string | null;
  lastReviewedAt: Date;
  metres: number | null;
  total: number;
  needs: { id: string; code: string; name: string }[];
  schedules: ScheduleRecord[];
};

/** Words worth respelling: three letters or more, at most six of them (as name_words() splits names). */
export function typedWords(text: string): string[] {
  return [...new Set(text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 3))].slice(0, 6);
}

/**
 * What a search needs before it runs, in one statement: the postcode's place, and for each typed
 * word that is not a word of any name, the nearest words of names (pg_trgm strict word similarity,
 * default threshold 0.5: 'befreinding' finds 'befriending'). Not the % operator: in PGlite 0.5
 * it returns no rows and leaves the connection unusable.
 */
export async function prepareSearch(
  db: Queryable,
  postcode: string | null,
  words: string[],
): Promise<{ origin: { latitude: number; longitude: number } | null; knownPostcode: boolean; respellings: Record<string, string[]> }> {
  const [row] = await db.query<{ origin: { latitude: number; longitude: number } | null; known: boolean; respellings: Record<string, string[]> | null }>(
    `select (select json_build_object('latitude', latitude, 'longitude', longitude) from postcodes where postcode = $1 and latitude is not null) as origin,
            exists (select 1 from postcodes where postcode = $1) as known,
            (select json_object_agg(t.w, t.near) from (
               select t.w, case when exists (select 1 from search_vocabulary v where v.word = t.w) then '{}'
                                else array(select v.word from search_vocabulary v where t.w <<% v.word
                                            order by similarity(v.word, t.w) desc, v.word limit 3) end as near
                 from unnest($2::text[]) as t(w)) t
              where cardinality(t.near) > 0) as respellings`,
    [postcode, words],
  );
  return { origin: row.origin, knownPostcode: row.known, respellings: row.respellings ?? {} };
}

/**
 * One statement: the filters, relevance and nearness of every match, the total, and for the page
 * only the distance, organisation name, needs and schedules. Each filter adds its SQL only when
 * used, so the planner sees the real query. Text, need and place are columns of one GIN index on
 * services (and of one on its organisation's name, for text found there), so a search is one or
 * two index scans that read only the rows passing all three. Values are parameters.
 */
/** A name as lower-case words, without punctuation: 'Park Friendship Club!' → 'park friendship club'. */
const nameWords = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

export async function searchServiceRows(db: Queryable, f: SearchFilters): Promise<SearchRow[]> {
  const lateral: Sql[] = [];
  // Services people may find: running or paused, of organisations not merged into another.
  const where: Sql[] = [
    sql`s.status in ('active', 'temporarily closed')`,
    sql`s.organisation_id <> all (array(select m.id from organisations m where m.merged_into_id is not null))`,
  ];
  let nearness = sql`null::float8`;
  let relevance = sql`0::numeric`;
  let exactName = sql`false`;
  /** Each ordering term as the inner query and the outer query name it (fixed text, no input). */
  const order: { inner: Sql; outer: Sql }[] = [];

  if (f.text) {
    const typed = sql`websearch_to_tsquery('english', ${f.text})`;
    const tsquery = f.respelt ? sql`(${typed} || to_tsquery('english', ${f.respelt}))` : typed;
    // Stemmed words in the listing or in its organisation's name, as typed or respelt.
    where.push(sql`(s.search_vector @@ ${tsquery} or s.organisation_vector @@ ${tsquery})`);
    // Rounded, so that results about as relevant as each other come nearest first.
    relevance = sql`round((ts_rank(s.search_vector, ${tsquery}) + 0.5 * ts_rank(s.organisation_vector, ${tsquery}))::numeric, 1)`;
    // The service named exactly what was typed comes first (case and punctuation aside).
    exactName = sql`btrim(regexp_replace(lower(s.name), '[^[:alnum:]]+', ' ', 'g')) = ${nameWords(f.text)}`;
    order.push({ inner: sql`exact_name desc`, outer: sql`page.exact_name desc` });
    order.push({ inner: sql`relevance desc`, outer: sql`page.relevance desc` });
  }
  if (f.origin && f.metres) {
    const origin = sql`ll_to_earth(${f.origin.latitude}, ${f.origin.longitude})`;
    // The grid cells around the circle find candidates in the same GIN index as the text and need
    // (migration 0080), worked out beforehand (search-cells.ts). Nearness is the straight-line (chord) distance through the earth, which
    // orders places as the distance over the surface does and is much cheaper to work out; the
    // page's rows get the distance over the surface. A one-place service's box is its point; a
    // service in several places takes its nearest.
    where.push(sql`s.location_cells && ${searchCellsNear(f.origin.latitude, f.origin.longitude, f.metres)}::int[]`);
    // offset 0 keeps the subquery whole, so a service's nearness is worked out once, not again for the filter.
    lateral.push(sql`cross join lateral (
      select case when cube_is_point(s.location_box) then cube_distance(s.location_box, ${origin})
             else (select min(cube_distance(l.earth, ${origin})) from service_at_locations sal join locations l on l.id = sal.location_id
                    where sal.service_id = s.id) end as nearness offset 0) d`);
    where.push(sql`d.nearness <= (select 2 * earth() * sin(${f.metres} / (2 * earth())))`);
    nearness = sql`d.nearness`;
    order.push({ inner: sql`nearness`, outer: sql`page.nearness` });
  }
  if (f.needId) where.push(sql`s.taxonomy_term_ids @> array[${f.needId}]::uuid[]`);
  if (f.age !== undefined) where.push(sql`(s.minimum_age is null or s.minimum_age <= ${f.age}) and (s.maximum_age is null or s.maximum_age >= ${f.age})`);
  if (f.freeOnly) where.push(sql`s.free_of_charge`);
  if (f.delivery?.length) where.push(sql`s.delivery_modes && ${f.delivery}::text[]`);
  if (f.day) {
    // Weekly 'MO,WE' or monthly '1MO' / '-1MO'; a schedule that has ended does not count.
    where.push(sql`exists (select 1 from schedules sc where sc.service_id = s.id and sc.byday ~ ${`(^|,)\\s*[+-]?[0-9]*${f.day}\\s*(,|$)`}
      and (sc.valid_to is null or sc.valid_to >= current_date))`);
  }
  if (f.language) {
    where.push(sql`exists (select 1 from service_languages sl where sl.service_id = s.id and (lower(sl.name) = lower(${f.language}) or lower(sl.code) = lower(${f.language})))`);
  }
  order.push({ inner: sql`lower(name)`, outer: sql`lower(page.name)` }, { inner: sql`id`, outer: sql`page.id` });

  // Only what ordering needs is worked out for every match; the page's rows get the rest.
  return db.query<SearchRow>(sql`with matched as (
       select s.id, s.name, ${nearness} as nearness, ${relevance} as relevance, ${exactName} as exact_name
         from services s ${lateral.length ? join(lateral, ' ') : empty}
        ${whereAll(where)}
     ),
     page as (
       select * from matched order by ${join(order.map((o) => o.inner), ', ')} limit ${f.limit} offset ${f.offset}
     )
     select page.id, page.name, sec_to_gc(page.nearness) as metres, s.organisation_id as "organisationId", s.description, s.status,
       s.reopening_date as "reopeningDate", s.last_reviewed_at as "lastReviewedAt",
       (select count(*) from matched)::int as total, o.name as "organisationName",
       coalesce((select json_agg(json_build_object('id', t.id, 'code', t.code, 'name', t.name) order by t.name)
                   from taxonomy_terms t where t.id = any (s.taxonomy_term_ids) and t.taxonomy_id = ${NEEDS_TAXONOMY_ID}), '[]') as needs,
       coalesce((select json_agg(json_build_object('id', sc.id, 'freq', sc.freq, 'interval', sc.interval, 'byday', sc.byday,
                   'bymonthday', sc.bymonthday, 'opensAt', to_char(sc.opens_at, 'HH24:MI'), 'closesAt', to_char(sc.closes_at, 'HH24:MI'),
                   'validFrom', sc.valid_from, 'validTo', sc.valid_to, 'dtstart', sc.dtstart))
                   from schedules sc where sc.service_id = page.id), '[]') as schedules
       from page join services s on s.id = page.id join organisations o on o.id = s.organisation_id
      order by ${join(order.map((o) => o.outer), ', ')}`);
}

export type OrganisationSummary = { mergedIntoId: string | null; mergedIntoName: string | null };

export async function findOrganisationMerge(db: Queryable, organisationId: string): Promise<OrganisationSummary> {
  const [row] = await db.query<OrganisationSummary>(
    `select o.merged_into_id as "mergedIntoId", m.name as "mergedIntoName" from organisations o left join organisations m on m.id = o.merged_into_id where o.id = $1`,
    [organisationId],
  );
  return { mergedIntoId: row?.mergedIntoId ?? null, mergedIntoName: row?.mergedIntoName ?? null };
}

/** An organisation's services that the public may see, by name. */
export async function listOrganisationServices(db: Queryable, organisationId: string): Promise<{ id: string; name: string; status: ServiceStatus; description: string }[]> {
  return db.query(
    `select id, name, status, description from services where organisation_id = $1 and status in ('active', 'temporarily closed') order by lower(name), id`,
    [organisationId],
  );
}

export async function findNeedsByIds(db: Queryable, termIds: string[]): Promise<{ id: string; code: string; name: string }[]> {
  if (!termIds.length) return [];
  return db.query(`select id, code, name from taxonomy_terms where id = any($1::uuid[]) and taxonomy_id = $2 order by name`, [termIds, NEEDS_TAXONOMY_ID]);
}
