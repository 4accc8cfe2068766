import type { Queryable } from '../../../platform/db/database.ts';
import { empty, sql } from '../../../platform/db/sql.ts';
import { camelRow, camelRows } from '../rows.ts';

/** Outreach cohorts: lists of people a PCN's team works through by phone. */

export type Cohort = { id: string; pcnId: string; pcnName: string; name: string; description: string | null; createdAt: Date; total: number; called: number; needsSupport: number; done: number };
type CohortMember = {
  id: string;
  cohortId: string;
  rowNumber: number;
  givenName: string;
  familyName: string;
  dateOfBirth: string | null;
  nhsNumber: string | null;
  phone: string | null;
  postcode: string | null;
  gpPracticeId: string | null;
  outcome: string | null;
  attempts: number;
  lastCalledOn: string | null;
  caseId: string | null;
  personId: string | null;
};

const COHORT_SELECT = sql`select c.id, c.pcn_id, o.name as pcn_name, c.name, c.description, c.created_at,
    (select count(*)::int from sp_cohort_members m where m.cohort_id = c.id) as total,
    (select count(*)::int from sp_cohort_members m where m.cohort_id = c.id and m.outcome is not null) as called,
    (select count(*)::int from sp_cohort_members m where m.cohort_id = c.id and m.outcome = 'needs_support') as needs_support,
    (select count(*)::int from sp_cohort_members m where m.cohort_id = c.id and m.outcome in ('no_needs','needs_support','declined')) as done
  from sp_cohorts c join organisations o on o.id = c.pcn_id`;

export async function listCohorts(db: Queryable, pcnIds: string[] | 'all'): Promise<Cohort[]> {
  const rows = await db.query(sql`${COHORT_SELECT} ${pcnIds === 'all' ? empty : sql`where c.pcn_id = any(${pcnIds}::uuid[])`} order by c.created_at desc`);
  return camelRows<Cohort>(rows);
}

export async function findCohort(db: Queryable, id: string): Promise<Cohort | null> {
  const [row] = await db.query(sql`${COHORT_SELECT} where c.id = ${id}`);
  return row ? camelRow<Cohort>(row) : null;
}

export async function insertCohort(db: Queryable, c: { id: string; pcnId: string; name: string; description: string | null; createdBy: string }): Promise<void> {
  await db.query('insert into sp_cohorts (id, pcn_id, name, description, created_by) values ($1, $2, $3, $4, $5)', [c.id, c.pcnId, c.name, c.description, c.createdBy]);
}

export type NewCohortMember = { id: string; rowNumber: number; givenName: string; familyName: string; dateOfBirth: string | null; nhsNumber: string | null; phone: string | null; postcode: string | null };

/** Many members in one statement per thousand rows: arrays unnested by the database. */
export async function insertCohortMembers(db: Queryable, cohortId: string, members: NewCohortMember[]): Promise<void> {
  for (let i = 0; i < members.length; i += 1000) {
    const batch = members.slice(i, i + 1000);
    await db.query(
      `insert into sp_cohort_members (id, cohort_id, row_number, given_name, family_name, date_of_birth, nhs_number, phone, postcode)
       select u.id, $1, u.row_number, u.given_name, u.family_name, u.date_of_birth, u.nhs_number, u.phone, u.postcode
         from unnest($2::uuid[], $3::int[], $4::text[], $5::text[], $6::date[], $7::text[], $8::text[], $9::text[])
           as u(id, row_number, given_name, family_name, date_of_birth, nhs_number, phone, postcode)`,
      [
        cohortId,
        batch.map((m) => m.id),
        batch.map((m) => m.rowNumber),
        batch.map((m) => m.givenName),
        batch.map((m) => m.familyName),
        batch.map((m) => m.dateOfBirth),
        batch.map((m) => m.nhsNumber),
        batch.map((m) => m.phone),
        batch.map((m) => m.postcode),
      ],
    );
  }
}

const MEMBER_COLUMNS = 'id, cohort_id, row_number, given_name, family_name, date_of_birth, nhs_number, phone, postcode, gp_practice_id, outcome, attempts, last_called_on, case_id, person_id';

export async function listCohortMembers(db: Queryable, cohortId: string, filter: 'to_call' | 'all', limit: number, offset: number): Promise<CohortMember[]> {
  const rows = await db.query(
    `select ${MEMBER_COLUMNS} from sp_cohort_members where cohort_id = $1 and ($2 = 'all' or outcome is null or outcome = 'no_answer')
      order by (outcome = 'no_answer') nulls first, row_number limit $3 offset $4`,
    [cohortId, filter, limit, offset],
  );
  return camelRows<CohortMember>(rows);
}

export async function findCohortMember(db: Queryable, id: string): Promise<CohortMember | null> {
  const [row] = await db.query(`select ${MEMBER_COLUMNS} from sp_cohort_members where id = $1`, [id]);
  return row ? camelRow<CohortMember>(row) : null;
}

export async function recordCohortOutcome(db: Queryable, id: string, o: { outcome: string; on: string; by: string; personId: string | null; caseId: string | null }): Promise<void> {
  await db.query(
    `update sp_cohort_members set outcome = $2, last_called_on = $3, called_by = $4, attempts = attempts + 1, person_id = coalesce($5, person_id), case_id = coalesce($6, case_id), updated_at = now() where id = $1`,
    [id, o.outcome, o.on, o.by, o.personId, o.caseId],
  );
}
