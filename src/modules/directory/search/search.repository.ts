import type { Queryable } from '../../../platform/db/database.ts';
import type { ScheduleRecord, ServiceStatus } from '../directory.types.ts';
import { NEEDS_TAXONOMY_ID } from '../needs-taxonomy.ts';

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
  organisation_id: string;
  organisation_name: string;
  description: string;
  status: ServiceStatus;
  reopening_date: string | null;
  last_reviewed_at: Date;
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
): Promise<{ origin: { latitude: number; longitude: number } | null; respellings: Record<string, string[]> }> {
  const [row] = await db.query<{ origin: { latitude: number; longitude: number } | null; respellings: Record<string, string[]> | null }>(
    `select (select json_build_object('latitude', latitude, 'longitude', longitude) from postcodes where postcode = $1) as origin,
            (select json_object_agg(t.w, t.near) from (
               select t.w, array(select v.word from search_vocabulary v where t.w <<% v.word
                                  order by similarity(v.word, t.w) desc, v.word limit 3) as near
                 from unnest($2::text[]) as t(w)
                where not exists (select 1 from search_vocabulary v where v.word = t.w)) t
              where cardinality(t.near) > 0) as respellings`,
    [postcode, words],
  );
  return { origin: row.origin, respellings: row.respellings ?? {} };
}

/**
 * One statement: the filters, relevance and distance, the total (a window count) and, for the
 * page only, organisation names, needs and schedules. Each filter adds its SQL only when used,
 * so the planner sees the real query. The selective filters are all indexed on services itself
 * (full-text GIN on the service and its organisation's name, needs GIN, location box GiST), so
 * PostgreSQL ANDs bitmaps and reads only the few rows that pass them all. Values are parameters.
 */
export async function searchServiceRows(db: Queryable, f: SearchFilters): Promise<SearchRow[]> {
  const params: unknown[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const lateral: string[] = [];
  // Services people may find: running or paused, of organisations not merged into another.
  const where: string[] = [
    `s.status in ('active', 'temporarily closed')`,
    `s.organisation_id <> all (array(select m.id from organisations m where m.merged_into_id is not null))`,
  ];
  let distance = 'null::float8';
  let relevance = '0::numeric';
  const order: string[] = [];

  if (f.text) {
    const typed = `websearch_to_tsquery('english', ${p(f.text)})`;
    const tsquery = f.respelt ? `(${typed} || to_tsquery('english', ${p(f.respelt)}))` : typed;
    // Stemmed words in the listing or in its organisation's name, as typed or respelt.
    where.push(`(s.search_vector @@ ${tsquery} or s.organisation_vector @@ ${tsquery})`);
    // Rounded, so that results about as relevant as each other come nearest first.
    relevance = `round((ts_rank(s.search_vector, ${tsquery}) + 0.5 * ts_rank(s.organisation_vector, ${tsquery}))::numeric, 1)`;
    order.push('relevance desc');
  }
  if (f.origin && f.metres) {
    const metres = p(f.metres);
    const origin = `ll_to_earth(${p(f.origin.latitude)}, ${p(f.origin.longitude)})`;
    // The box finds candidates by the GiST index. A one-place service's box is its point, so its
    // distance needs no other table; a service in several places takes its nearest.
    where.push(`s.location_box && earth_box(${origin}, ${metres})`);
    lateral.push(`cross join lateral (
      select case when cube_is_point(s.location_box) then sec_to_gc(cube_distance(s.location_box, ${origin}))
             else nearest_place_metres(s.id, ${origin}) end as metres) d`);
    where.push(`d.metres <= ${metres}`);
    distance = 'd.metres';
    order.push('metres');
  }
  if (f.needId) where.push(`s.taxonomy_term_ids @> array[${p(f.needId)}]::uuid[]`);
  if (f.age !== undefined) {
    const age = p(f.age);
    where.push(`(s.minimum_age is null or s.minimum_age <= ${age}) and (s.maximum_age is null or s.maximum_age >= ${age})`);
  }
  if (f.freeOnly) where.push('s.free_of_charge');
  if (f.delivery?.length) where.push(`s.delivery_modes && ${p(f.delivery)}::text[]`);
  if (f.day) {
    // Weekly 'MO,WE' or monthly '1MO' / '-1MO'; a schedule that has ended does not count.
    where.push(`exists (select 1 from schedules sc where sc.service_id = s.id and sc.byday ~ ${p(`(^|,)\\s*[+-]?[0-9]*${f.day}\\s*(,|$)`)}
      and (sc.valid_to is null or sc.valid_to >= current_date))`);
  }
  if (f.language) {
    const language = p(f.language);
    where.push(`exists (select 1 from service_languages sl where sl.service_id = s.id and (lower(sl.name) = lower(${language}) or lower(sl.code) = lower(${language})))`);
  }
  order.push('lower(name)', 'id');
  const orderBy = order.join(', ');
  const outerOrderBy = order.map((term) => term.replace(/^(lower\()?(\w+)/, (_m, fn: string | undefined, col: string) => `${fn ?? ''}page.${col}`)).join(', ');

  return db.query<SearchRow>(
    `with matched as (
       select s.id, s.name, s.organisation_id, s.description, s.status, s.reopening_date, s.last_reviewed_at,
              ${distance} as metres, ${relevance} as relevance
         from services s ${lateral.join(' ')}
        where ${where.join('\n and ')}
     ),
     page as (
       select *, count(*) over ()::int as total from matched order by ${orderBy} limit ${p(f.limit)} offset ${p(f.offset)}
     )
     select page.*, o.name as organisation_name,
       coalesce((select json_agg(json_build_object('id', t.id, 'code', t.code, 'name', t.name) order by t.name)
                   from taxonomy_terms t where t.id = any (page_service.taxonomy_term_ids) and t.taxonomy_id = ${p(NEEDS_TAXONOMY_ID)}), '[]') as needs,
       coalesce((select json_agg(json_build_object('id', sc.id, 'freq', sc.freq, 'interval', sc.interval, 'byday', sc.byday,
                   'bymonthday', sc.bymonthday, 'opensAt', to_char(sc.opens_at, 'HH24:MI'), 'closesAt', to_char(sc.closes_at, 'HH24:MI'),
                   'validFrom', sc.valid_from, 'validTo', sc.valid_to, 'dtstart', sc.dtstart))
                   from schedules sc where sc.service_id = page.id), '[]') as schedules
       from page join organisations o on o.id = page.organisation_id join services page_service on page_service.id = page.id
      order by ${outerOrderBy}`,
    params,
  );
}

export type OrganisationSummary = { mergedIntoId: string | null; mergedIntoName: string | null };

export async function findOrganisationMerge(db: Queryable, organisationId: string): Promise<OrganisationSummary> {
  const [row] = await db.query<{ merged_into_id: string | null; merged_into_name: string | null }>(
    `select o.merged_into_id, m.name as merged_into_name from organisations o left join organisations m on m.id = o.merged_into_id where o.id = $1`,
    [organisationId],
  );
  return { mergedIntoId: row?.merged_into_id ?? null, mergedIntoName: row?.merged_into_name ?? null };
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
