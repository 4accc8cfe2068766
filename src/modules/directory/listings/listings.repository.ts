import type { Queryable } from '../../../platform/db/database.ts';
import { empty, sql } from '../../../platform/db/sql.ts';
import type { ScheduleRecord } from '../directory.types.ts';

/* SQL for keeping listings current. Whole services and organisations are read and written
   through directory.repository.ts; this file holds the lists, versions, history and merge moves. */

/** A row's version for optimistic concurrency: its updated_at, to the microsecond, as text. */
const VERSION = `to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export async function lockService(db: Queryable, id: string): Promise<{ organisationId: string; version: string } | undefined> {
  const rows = await db.query<{ organisationId: string; version: string }>(
    `select organisation_id as "organisationId", ${VERSION} as version from services where id = $1 for update`,
    [id],
  );
  return rows[0];
}

export async function serviceVersion(db: Queryable, id: string): Promise<string | undefined> {
  return (await db.query<{ version: string }>(`select ${VERSION} as version from services where id = $1`, [id]))[0]?.version;
}

export async function lockOrganisation(
  db: Queryable,
  id: string,
): Promise<{ name: string; version: string; mergedIntoId: string | null } | undefined> {
  const rows = await db.query<{ name: string; version: string; mergedIntoId: string | null }>(
    `select name, ${VERSION} as version, merged_into_id as "mergedIntoId" from organisations where id = $1 for update`,
    [id],
  );
  return rows[0];
}

export async function organisationSummary(db: Queryable, id: string): Promise<{ id: string; name: string; version: string; mergedIntoId: string | null } | undefined> {
  const rows = await db.query<{ id: string; name: string; version: string; mergedIntoId: string | null }>(
    `select id, name, ${VERSION} as version, merged_into_id as "mergedIntoId" from organisations where id = $1`,
    [id],
  );
  return rows[0];
}

export async function organisationNames(db: Queryable, ids: string[] | 'all'): Promise<{ id: string; name: string }[]> {
  const only = ids === 'all' ? empty : sql`and id = any(${ids}::uuid[])`;
  return db.query(sql`select id, name from organisations where merged_into_id is null ${only} order by name`);
}

export async function serviceOrganisation(db: Queryable, serviceId: string): Promise<{ organisationId: string; organisationName: string; serviceName: string } | undefined> {
  const rows = await db.query<{ organisationId: string; organisationName: string; serviceName: string }>(
    `select s.organisation_id as "organisationId", o.name as "organisationName", s.name as "serviceName"
       from services s join organisations o on o.id = s.organisation_id where s.id = $1`,
    [serviceId],
  );
  return rows[0];
}

export async function findPostcode(db: Queryable, postcode: string): Promise<{ latitude: number; longitude: number } | undefined> {
  return (await db.query<{ latitude: number; longitude: number }>('select latitude, longitude from postcodes where postcode = $1', [postcode]))[0];
}

/** "Still correct": the content has not changed, so neither last_modified nor the version moves. */
export async function markServiceReviewed(db: Queryable, id: string): Promise<Date> {
  const rows = await db.query<{ lastReviewedAt: Date }>('update services set last_reviewed_at = now() where id = $1 returning last_reviewed_at as "lastReviewedAt"', [id]);
  return rows[0].lastReviewedAt;
}

export type ListingRow = {
  id: string;
  name: string;
  status: string;
  organisationId: string;
  organisationName: string;
  lastReviewedAt: Date;
  lastModified: Date;
  stale: boolean;
  openProblems: number;
};

/** Services of these organisations, least recently reviewed first. */
export async function listingsOf(db: Queryable, organisationIds: string[], staleAfterMonths: number): Promise<ListingRow[]> {
  return db.query<ListingRow>(
    `select s.id, s.name, s.status, s.organisation_id as "organisationId", o.name as "organisationName",
            s.last_reviewed_at as "lastReviewedAt", s.last_modified as "lastModified",
            s.last_reviewed_at < now() - make_interval(months => $2::int) as stale,
            (select count(*)::int from problem_reports p where p.service_id = s.id and p.status = 'open') as "openProblems"
       from services s join organisations o on o.id = s.organisation_id
      where s.organisation_id = any($1::uuid[]) and o.merged_into_id is null
      order by o.name, s.last_reviewed_at, s.name`,
    [organisationIds, staleAfterMonths],
  );
}

export type StaleOrganisationRow = { id: string; name: string; listings: number; stale: number; oldestReview: Date };

/** Partnership-wide staleness: totals, and organisations with stale listings, oldest review first. */
export async function staleDashboard(
  db: Queryable,
  staleAfterMonths: number,
  page: { limit: number; offset: number },
): Promise<{ totalListings: number; staleListings: number; organisationsWithStale: number; rows: StaleOrganisationRow[] }> {
  // Defunct services are closed for good: nobody needs to review them.
  const live = `s.status <> 'defunct' and o.merged_into_id is null`;
  const [totals] = await db.query<{ total: number; stale: number; orgs: number }>(
    `select count(*)::int as total,
            count(*) filter (where s.last_reviewed_at < now() - make_interval(months => $1::int))::int as stale,
            count(distinct s.organisation_id) filter (where s.last_reviewed_at < now() - make_interval(months => $1::int))::int as orgs
       from services s join organisations o on o.id = s.organisation_id where ${live}`,
    [staleAfterMonths],
  );
  const rows = await db.query<StaleOrganisationRow>(
    `select o.id, o.name, count(*)::int as listings,
            count(*) filter (where s.last_reviewed_at < now() - make_interval(months => $1::int))::int as stale,
            min(s.last_reviewed_at) as "oldestReview"
       from services s join organisations o on o.id = s.organisation_id
      where ${live}
      group by o.id, o.name
     having count(*) filter (where s.last_reviewed_at < now() - make_interval(months => $1::int)) > 0
      order by min(s.last_reviewed_at), o.name
      limit $2 offset $3`,
    [staleAfterMonths, page.limit, page.offset],
  );
  return { totalListings: totals.total, staleListings: totals.stale, organisationsWithStale: totals.orgs, rows };
}

export type HistoryRow = { id: string; at: Date; action: string; actorName: string | null; details: Record<string, unknown> };

export async function auditHistory(db: Queryable, recordType: string, recordId: string, page: { limit: number; offset: number }): Promise<{ total: number; rows: HistoryRow[] }> {
  const [count] = await db.query<{ n: number }>('select count(*)::int as n from audit_log where record_type = $1 and record_id = $2', [recordType, recordId]);
  const rows = await db.query<HistoryRow>(
    `select id, at, action, actor_name as "actorName", details from audit_log
      where record_type = $1 and record_id = $2 order by at desc, created_at desc limit $3 offset $4`,
    [recordType, recordId, page.limit, page.offset],
  );
  return { total: count.n, rows };
}

// ---------- Duplicates and merging ----------

export type DuplicateFlagRow = { id: string; reason: string; createdAt: Date; a: { id: string; name: string; services: number }; b: { id: string; name: string; services: number } };

export async function openDuplicateFlags(db: Queryable, page: { limit: number; offset: number }): Promise<{ total: number; rows: DuplicateFlagRow[] }> {
  const where = `f.status = 'open' and a.merged_into_id is null and b.merged_into_id is null`;
  const from = `duplicate_flags f join organisations a on a.id = f.organisation_id join organisations b on b.id = f.candidate_id`;
  const [count] = await db.query<{ n: number }>(`select count(*)::int as n from ${from} where ${where}`);
  const rows = await db.query<DuplicateFlagRow>(
    `select f.id, f.reason, f.created_at as "createdAt",
            json_build_object('id', a.id, 'name', a.name, 'services', (select count(*) from services s where s.organisation_id = a.id)) as a,
            json_build_object('id', b.id, 'name', b.name, 'services', (select count(*) from services s where s.organisation_id = b.id)) as b
       from ${from} where ${where} order by f.created_at, f.id limit $1 offset $2`,
    [page.limit, page.offset],
  );
  return { total: count.n, rows };
}

export async function findOpenDuplicateFlag(db: Queryable, id: string): Promise<{ id: string; organisationId: string; candidateId: string; reason: string } | undefined> {
  const rows = await db.query<{ id: string; organisationId: string; candidateId: string; reason: string }>(
    `select id, organisation_id as "organisationId", candidate_id as "candidateId", reason from duplicate_flags where id = $1 and status = 'open'`,
    [id],
  );
  return rows[0];
}

export async function openFlagsFor(db: Queryable, organisationId: string): Promise<{ id: string; otherId: string; otherName: string; reason: string }[]> {
  return db.query(
    `select f.id, o.id as "otherId", o.name as "otherName", f.reason
       from duplicate_flags f
       join organisations o on o.id = case when f.organisation_id = $1 then f.candidate_id else f.organisation_id end
      where f.status = 'open' and (f.organisation_id = $1 or f.candidate_id = $1) and o.merged_into_id is null
      order by o.name`,
    [organisationId],
  );
}

export async function closeDuplicateFlag(db: Queryable, id: string, status: 'merged' | 'dismissed', userId: string): Promise<boolean> {
  const rows = await db.query(
    `update duplicate_flags set status = $2, resolved_by = $3, resolved_at = now(), updated_at = now() where id = $1 and status = 'open' returning id`,
    [id, status, userId],
  );
  return rows.length > 0;
}

/**
 * Moves everything that belongs to one organisation to another (services, locations, contacts,
 * problem reports, child organisations, open duplicate flags) and marks it merged. People's
 * roles move separately (identity's transferMemberships). Returns how many services moved.
 */
export async function moveOrganisationContents(
  db: Queryable,
  fromId: string,
  toId: string,
): Promise<{ services: number; serviceIds: string[]; locations: number; problemReports: number }> {
  const services = await db.query<{ id: string }>(
    `update services set organisation_id = $2, last_modified = now(), updated_at = now() where organisation_id = $1 returning id`,
    [fromId, toId],
  );
  const locations = await db.query(`update locations set organisation_id = $2, updated_at = now() where organisation_id = $1 returning id`, [fromId, toId]);
  await db.query(`update contacts set organisation_id = $2, updated_at = now() where organisation_id = $1`, [fromId, toId]);
  const problems = await db.query(`update problem_reports set organisation_id = $2, updated_at = now() where organisation_id = $1 returning id`, [fromId, toId]);
  await db.query(`update organisations set parent_organisation_id = $2, updated_at = now() where parent_organisation_id = $1 and id <> $2`, [fromId, toId]);
  // Other open flags now concern the kept organisation; one that would pair it with itself is settled.
  await db.query(`update duplicate_flags set organisation_id = $2, updated_at = now() where organisation_id = $1 and status = 'open'`, [fromId, toId]);
  await db.query(`update duplicate_flags set candidate_id = $2, updated_at = now() where candidate_id = $1 and status = 'open'`, [fromId, toId]);
  await db.query(`update duplicate_flags set status = 'merged', resolved_at = now(), updated_at = now() where organisation_id = candidate_id and status = 'open'`);
  await db.query(`update organisations set merged_into_id = $2, updated_at = now() where id = $1`, [fromId, toId]);
  return { services: services.length, serviceIds: services.map((s) => s.id), locations: locations.length, problemReports: problems.length };
}

/** The times with a note, of these services (at a place or not), to check the notes against the times. */
export async function schedulesWithNotes(db: Queryable, serviceIds: string[]): Promise<(ScheduleRecord & { serviceId: string })[]> {
  if (!serviceIds.length) return [];
  return db.query<ScheduleRecord & { serviceId: string }>(
    `select sc.id, coalesce(sc.service_id, sal.service_id) as "serviceId", sc.freq, sc.byday,
            to_char(sc.opens_at, 'HH24:MI') as "opensAt", to_char(sc.closes_at, 'HH24:MI') as "closesAt", sc.description
       from schedules sc left join service_at_locations sal on sal.id = sc.service_at_location_id
      where coalesce(sc.service_id, sal.service_id) = any($1::uuid[]) and sc.description is not null and sc.description <> ''`,
    [serviceIds],
  );
}
