import type { Queryable } from '../../../platform/db/database.ts';
import { join, raw, sql } from '../../../platform/db/sql.ts';

/** Bulk inserts for the demo and the benchmark: one statement per few thousand rows, arrays unnested. */

type Column = { name: string; type: string };

async function bulkInsert(db: Queryable, table: string, columns: Column[], rows: unknown[][], batch = 5000): Promise<void> {
  for (let i = 0; i < rows.length; i += batch) {
    const slice = rows.slice(i, i + batch);
    // Table, column names and types are fixed in this file, never input.
    const arrays = join(columns.map((col, c) => sql`${slice.map((r) => r[c])}::${raw(col.type)}[]`), ', ');
    await db.query(sql`insert into ${raw(table)} (${raw(columns.map((c) => c.name).join(', '))}) select * from unnest(${arrays})`);
  }
}

const col = (spec: string): Column[] =>
  spec.split(',').map((s) => {
    const [name, type] = s.trim().split(':');
    return { name, type };
  });

export const insertPeople = (db: Queryable, rows: unknown[][]) =>
  bulkInsert(db, 'sp_people', col('id:uuid, pcn_id:uuid, gp_practice_id:uuid, given_name:text, family_name:text, date_of_birth:date, nhs_number:text, address:text, postcode:text, phone:text, email:text, preferred_contact:text, communication_needs:text, what_matters:text'), rows);
export const insertConsents = (db: Queryable, rows: unknown[][]) =>
  bulkInsert(db, 'sp_consents', col('id:uuid, person_id:uuid, kind:text, recorded_on:date, recorded_by_name:text'), rows);
export const insertOutcomeConsents = (db: Queryable, rows: unknown[][]) =>
  bulkInsert(db, 'sp_consents', col('id:uuid, person_id:uuid, kind:text, recorded_on:date, recorded_by_name:text, given:boolean'), rows);
export const insertReferrals = (db: Queryable, rows: unknown[][]) =>
  // reasons travel as comma-separated text: arrays of arrays do not unnest one level.
  bulkInsert(db, 'sp_referrals', col('id:uuid, person_id:uuid, pcn_id:uuid, source:text, referrer_organisation_id:uuid, referrer_name:text, notes:text, received_on:date, status:text, decline_reason:text, snomed_code:text, triaged_on:date'), rows);
export async function setReferralReasons(db: Queryable, ids: string[], reasons: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 5000) {
    await db.query(`update sp_referrals r set reasons = string_to_array(u.reasons, ',')::uuid[] from unnest($1::uuid[], $2::text[]) as u(id, reasons) where r.id = u.id`, [ids.slice(i, i + 5000), reasons.slice(i, i + 5000)]);
  }
}
export const insertCases = (db: Queryable, rows: unknown[][]) =>
  bulkInsert(db, 'sp_cases', col('id:uuid, person_id:uuid, referral_id:uuid, pcn_id:uuid, link_worker_id:uuid, status:text, closed_reason:text, opened_on:date, closed_on:date'), rows);
export const insertContacts = (db: Queryable, rows: unknown[][]) =>
  bulkInsert(db, 'sp_contacts', col('id:uuid, case_id:uuid, person_id:uuid, method:text, outcome:text, contacted_on:date, duration_minutes:int, notes:text, recorded_by:uuid, recorded_by_name:text'), rows);
export const insertFollowUps = (db: Queryable, rows: unknown[][]) =>
  bulkInsert(db, 'sp_follow_ups', col('id:uuid, case_id:uuid, description:text, due_on:date, repeats_weekly:boolean, status:text'), rows);
export const insertGoals = (db: Queryable, rows: unknown[][]) => bulkInsert(db, 'sp_goals', col('id:uuid, case_id:uuid, in_their_words:text, status:text'), rows);
export const insertPlanActions = (db: Queryable, rows: unknown[][]) => bulkInsert(db, 'sp_plan_actions', col('id:uuid, case_id:uuid, action:text, who:text, due_on:date, done_on:date'), rows);
export const insertOnward = (db: Queryable, rows: unknown[][]) =>
  bulkInsert(db, 'sp_onward_referrals', col('id:uuid, case_id:uuid, person_id:uuid, kind:text, service_id:uuid, service_name:text, organisation_id:uuid, organisation_name:text, shared_details:jsonb, sent_on:date, status:text, responded_on:date, attendance:text, attendance_on:date'), rows);
export async function insertShareConsent(db: Queryable, c: { id: string; person_id: string; organisation_id: string; fields: string[]; recorded_on: string; recorded_by_name: string }): Promise<void> {
  await db.query(`insert into sp_consents (id, person_id, kind, organisation_id, fields, recorded_on, recorded_by_name) values ($1, $2, 'share_with_organisation', $3, $4, $5, $6)`, [c.id, c.person_id, c.organisation_id, c.fields, c.recorded_on, c.recorded_by_name]);
}
export async function insertMeasurements(db: Queryable, rows: { id: string; case_id: string; person_id: string; measure: string; stage: string; taken_on: string; answers: number[]; score: number | null }[]): Promise<void> {
  for (const m of rows) {
    await db.query('insert into sp_measurements (id, case_id, person_id, measure, stage, taken_on, answers, score) values ($1, $2, $3, $4, $5, $6, $7::int[], $8)', [m.id, m.case_id, m.person_id, m.measure, m.stage, m.taken_on, m.answers, m.score]);
  }
}

export async function linkWorkersOf(db: Queryable, pcnId: string): Promise<{ id: string; name: string }[]> {
  return db.query(`select u.id, u.name from users u join memberships m on m.user_id = u.id where m.organisation_id = $1 and m.role = 'link_worker' order by u.name`, [pcnId]);
}

export async function practicesOf(db: Queryable, pcnId: string): Promise<{ id: string; name: string }[]> {
  return db.query(`select id, name from organisations where parent_organisation_id = $1 and kind = 'gp_practice' order by name`, [pcnId]);
}

/** Postcodes the directory knows, nearest the organisation's first, so demo people can be searched by distance. */
export async function postcodesNear(db: Queryable, organisationId: string, limit: number): Promise<string[]> {
  const rows = await db.query<{ postcode: string }>(
    `select p.postcode from postcodes p,
       (select k.latitude, k.longitude from organisations o join postcodes k on k.postcode = o.postcode where o.id = $1) here
      order by (p.latitude - here.latitude) ^ 2 + (p.longitude - here.longitude) ^ 2, p.postcode limit $2`,
    [organisationId, limit],
  );
  return rows.map((r) => r.postcode);
}

export async function setPostcodes(db: Queryable, personIds: string[], postcodes: string[]): Promise<void> {
  await db.query('update sp_people p set postcode = u.postcode from unnest($1::uuid[], $2::text[]) as u(id, postcode) where p.id = u.id', [personIds, postcodes]);
}

/** The demo's onward referrals carry the person's (synthetic) name, as consented. */
export async function shareNamesWithOrganisations(db: Queryable, onwardIds: string[]): Promise<void> {
  await db.query(
    `update sp_onward_referrals o set shared_details = jsonb_set(o.shared_details, '{name}', to_jsonb(p.given_name || ' ' || p.family_name)) from sp_people p where p.id = o.person_id and o.id = any($1::uuid[])`,
    [onwardIds],
  );
}
