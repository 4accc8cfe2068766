import type { Queryable } from '../../../platform/db/database.ts';
import { camelRows } from '../rows.ts';

/** Finding people for an access review, merging two records, and anonymising after retention. */

type FoundPerson = { id: string; pcnId: string; pcnName: string; givenName: string; familyName: string; dateOfBirth: string | null; nhsNumber: string | null; postcode: string | null; anonymisedAt: Date | null };

export async function searchPeople(db: Queryable, q: string, limit = 25): Promise<FoundPerson[]> {
  const digits = q.replace(/\s/g, '');
  const rows = await db.query(
    `select p.id, p.pcn_id, o.name as pcn_name, p.given_name, p.family_name, p.date_of_birth, p.nhs_number, p.postcode, p.anonymised_at
       from sp_people p join organisations o on o.id = p.pcn_id
      where p.nhs_number = $1 or lower(p.family_name || ', ' || p.given_name) like lower($2) || '%' or lower(p.given_name || ' ' || p.family_name) like lower($2) || '%'
      order by p.family_name, p.given_name limit $3`,
    [digits, q, limit],
  );
  return camelRows<FoundPerson>(rows);
}

/** Everything that points at a person, moved on a merge. */
const PERSON_TABLES = ['sp_consents', 'sp_referrals', 'sp_cases', 'sp_contacts', 'sp_onward_referrals', 'sp_measurements', 'sp_cohort_members'] as const;

/** Moves every record of one person to another; how many rows of each table moved. */
export async function movePersonRecords(db: Queryable, fromId: string, toId: string): Promise<Record<string, number>> {
  const moved: Record<string, number> = {};
  for (const table of PERSON_TABLES) {
    const rows = await db.query(`update ${table} set person_id = $2, updated_at = now() where person_id = $1 returning id`, [fromId, toId]);
    moved[table] = rows.length;
  }
  return moved;
}

export async function deletePerson(db: Queryable, id: string): Promise<void> {
  await db.query('delete from sp_people where id = $1', [id]);
}

/**
 * Removes everything that identifies the person, keeping counts, dates and codes for reports.
 * Free text may name them, so it goes too.
 */
export async function anonymisePerson(db: Queryable, personId: string): Promise<void> {
  await db.query(
    `update sp_people set given_name = 'Anonymised', family_name = 'person', date_of_birth = null, nhs_number = null, address = null,
       postcode = case when postcode is null then null else split_part(postcode, ' ', 1) end, phone = null, email = null, communication_needs = null,
       what_matters = null, anonymised_at = now(), version = version + 1, updated_at = now() where id = $1`,
    [personId],
  );
  await db.query('update sp_contacts set notes = null where person_id = $1', [personId]);
  await db.query('update sp_referrals set notes = null, referrer_name = null where person_id = $1', [personId]);
  await db.query(`update sp_onward_referrals set shared_details = '{}'::jsonb, notes = null, response_reason = null where person_id = $1`, [personId]);
  await db.query('update sp_goals set in_their_words = $2 where case_id in (select id from sp_cases where person_id = $1)', [personId, 'Removed when the record was anonymised']);
  await db.query('update sp_plan_actions set action = $2, who = $3 where case_id in (select id from sp_cases where person_id = $1)', [personId, 'Removed', 'Removed']);
  await db.query('update sp_follow_ups set description = $2 where case_id in (select id from sp_cases where person_id = $1)', [personId, 'Removed']);
  await db.query('update sp_cases set closed_reason = null, next_due_description = null where person_id = $1', [personId]);
  await db.query(
    `update sp_cohort_members set given_name = 'Anonymised', family_name = 'person', date_of_birth = null, nhs_number = null, phone = null, postcode = null where person_id = $1`,
    [personId],
  );
  await db.query('update sp_cohort_calls set notes = null where member_id in (select id from sp_cohort_members where person_id = $1)', [personId]);
}

type DueForAnonymising = { id: string; name: string; pcnName: string; lastClosedOn: string };

/** People whose cases are all closed on or before the date, not yet anonymised. */
export async function listDueForAnonymising(db: Queryable, closedOnOrBefore: string, limit = 200): Promise<DueForAnonymising[]> {
  const rows = await db.query(
    `select p.id, p.given_name || ' ' || p.family_name as name, o.name as pcn_name, max(c.closed_on) as last_closed_on
       from sp_people p join sp_cases c on c.person_id = p.id join organisations o on o.id = p.pcn_id
      where p.anonymised_at is null
      group by p.id, o.name
     having bool_and(c.status = 'closed') and max(c.closed_on) <= $1
      order by max(c.closed_on) limit $2`,
    [closedOnOrBefore, limit],
  );
  return camelRows<DueForAnonymising>(rows);
}
