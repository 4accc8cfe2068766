import type { Queryable } from '../../../platform/db/database.ts';
import { empty, join, sql, type Sql } from '../../../platform/db/sql.ts';
import { camelRow, camelRows } from '../rows.ts';

/** Outreach cohorts: lists of people a PCN's team works through by phone. */

export type Cohort = { id: string; pcnId: string; pcnName: string; name: string; description: string | null; createdAt: Date; total: number; called: number; needsSupport: number; done: number };
export type CohortMember = {
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
  assignedTo: string | null;
  assignedName: string | null;
  version: number;
  weeklyCall: boolean;
  nextCallOn: string | null;
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

export async function insertCohort(db: Queryable, c: { id: string; pcnId: string; name: string; description: string | null; createdBy: string | null }): Promise<void> {
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

const MEMBER_SELECT = sql`select m.id, m.cohort_id, m.row_number, m.given_name, m.family_name, m.date_of_birth, m.nhs_number, m.phone, m.postcode, m.gp_practice_id,
    m.outcome, m.attempts, m.last_called_on, m.case_id, m.person_id, m.assigned_to, u.name as assigned_name, m.version, m.weekly_call, m.next_call_on
  from sp_cohort_members m left join users u on u.id = m.assigned_to`;

/** Still to call: nobody has spoken to them yet. */
const STILL_TO_CALL = sql`(m.outcome is null or m.outcome = 'no_answer')`;
/** A call is due: still to call, or their weekly wellbeing call falls today or has passed. */
const dueBy = (today: string) => sql`(${STILL_TO_CALL} or m.next_call_on <= ${today}::date)`;

export type MemberListing = { filter: 'to_call' | 'all' | 'due' | 'needs_support'; worker?: string; today: string };

function memberConditions(cohortId: string, l: MemberListing): Sql[] {
  const where = [sql`m.cohort_id = ${cohortId}`];
  if (l.filter === 'to_call') where.push(STILL_TO_CALL);
  if (l.filter === 'due') where.push(dueBy(l.today));
  if (l.filter === 'needs_support') where.push(sql`m.outcome = 'needs_support'`);
  if (l.worker === 'none') where.push(sql`m.assigned_to is null`);
  else if (l.worker) where.push(sql`m.assigned_to = ${l.worker}`);
  return where;
}

/** A page of the cohort in list order: people never called first, then those who did not answer. */
export async function listCohortMembers(db: Queryable, cohortId: string, l: MemberListing, limit: number, offset: number): Promise<CohortMember[]> {
  const rows = await db.query(sql`${MEMBER_SELECT} where ${join(memberConditions(cohortId, l), ' and ')}
    order by (m.outcome = 'no_answer') nulls first, m.row_number limit ${limit} offset ${offset}`);
  return camelRows<CohortMember>(rows);
}

export async function countCohortMembers(db: Queryable, cohortId: string, l: MemberListing): Promise<number> {
  const [row] = await db.query<{ n: number }>(sql`select count(*)::int as n from sp_cohort_members m where ${join(memberConditions(cohortId, l), ' and ')}`);
  return row.n;
}

export async function findCohortMember(db: Queryable, id: string): Promise<CohortMember | null> {
  const [row] = await db.query(sql`${MEMBER_SELECT} where m.id = ${id}`);
  return row ? camelRow<CohortMember>(row) : null;
}

export type CohortCall = { id: string; calledOn: string; outcome: string; needs: string[]; notes: string | null; weeklyCall: boolean; calledByName: string | null; createdAt: Date };

/** Every call to the person, latest first. */
export async function listCalls(db: Queryable, memberId: string): Promise<CohortCall[]> {
  const rows = await db.query(sql`select id, called_on, outcome, needs, notes, weekly_call, called_by_name, created_at from sp_cohort_calls where member_id = ${memberId} order by created_at desc`);
  return camelRows<CohortCall>(rows);
}

export async function insertCall(db: Queryable, c: { id: string; cohortId: string; memberId: string; calledOn: string; outcome: string; needs: string[]; notes: string | null; weeklyCall: boolean; calledBy: string; calledByName: string }): Promise<void> {
  await db.query(sql`insert into sp_cohort_calls (id, cohort_id, member_id, called_on, outcome, needs, notes, weekly_call, called_by, called_by_name)
    values (${c.id}, ${c.cohortId}, ${c.memberId}, ${c.calledOn}, ${c.outcome}, ${c.needs}::text[], ${c.notes}, ${c.weeklyCall}, ${c.calledBy}, ${c.calledByName})`);
}

/**
 * The person after a call, if nobody saved them since the version the caller read (else null).
 * A call nobody answered does not undo an earlier answer; the weekly call moves on a week only
 * when someone spoke to them.
 */
export async function recordCohortOutcome(
  db: Queryable,
  id: string,
  version: number,
  o: { outcome: string; on: string; by: string; weeklyCall: boolean; nextCallOn: string | null },
): Promise<boolean> {
  const rows = await db.query(sql`update sp_cohort_members set
      outcome = case when ${o.outcome} = 'no_answer' and outcome in ('no_needs','needs_support','declined') then outcome else ${o.outcome} end,
      last_called_on = ${o.on}, called_by = ${o.by}, attempts = attempts + 1,
      weekly_call = ${o.weeklyCall},
      next_call_on = case when not ${o.weeklyCall} then null when ${o.outcome} = 'no_answer' then coalesce(next_call_on, ${o.nextCallOn}::date) else ${o.nextCallOn}::date end,
      version = version + 1, updated_at = now()
    where id = ${id} and version = ${version} returning id`);
  return rows.length > 0;
}

/** How many of these ids are people of this cohort. */
export async function countInCohort(db: Queryable, cohortId: string, memberIds: string[]): Promise<number> {
  const [row] = await db.query<{ n: number }>(sql`select count(*)::int as n from sp_cohort_members where cohort_id = ${cohortId} and id = any(${memberIds}::uuid[])`);
  return row.n;
}

/** Gives the people to a link worker (or to nobody); returns how many changed hands. */
export async function assignMembers(db: Queryable, cohortId: string, memberIds: string[], assignee: string | null): Promise<number> {
  const rows = await db.query(sql`update sp_cohort_members set assigned_to = ${assignee}::uuid, version = version + 1, updated_at = now()
    where cohort_id = ${cohortId} and id = any(${memberIds}::uuid[]) and assigned_to is distinct from ${assignee}::uuid returning id`);
  return rows.length;
}

/** One person to a link worker, if nobody saved them since the version read. */
export async function assignMember(db: Queryable, memberId: string, version: number, assignee: string | null): Promise<boolean> {
  const rows = await db.query(sql`update sp_cohort_members set assigned_to = ${assignee}::uuid, version = version + 1, updated_at = now() where id = ${memberId} and version = ${version} returning id`);
  return rows.length > 0;
}

/** The people nobody is calling yet, in list order. */
export async function unassignedMemberIds(db: Queryable, cohortId: string): Promise<string[]> {
  const rows = await db.query<{ id: string }>(sql`select id from sp_cohort_members where cohort_id = ${cohortId} and assigned_to is null order by row_number`);
  return rows.map((r) => r.id);
}

export type ProgressRow = { workerId: string | null; workerName: string | null; status: string; people: number };

/** How many people each worker has in each state: not called yet, or the outcome so far. */
export async function progressByWorker(db: Queryable, cohortId: string): Promise<ProgressRow[]> {
  const rows = await db.query(sql`select m.assigned_to as worker_id, u.name as worker_name, coalesce(m.outcome, 'not_called') as status, count(*)::int as people
    from sp_cohort_members m left join users u on u.id = m.assigned_to where m.cohort_id = ${cohortId}
    group by m.assigned_to, u.name, coalesce(m.outcome, 'not_called') order by u.name nulls last`);
  return camelRows<ProgressRow>(rows);
}

export type DueCall = { memberId: string; cohortId: string; cohortName: string; givenName: string; familyName: string; phone: string | null; outcome: string | null; nextCallOn: string | null; lastCalledOn: string | null; weeklyCall: boolean };

const dueFor = (userId: string, today: string) => sql`m.assigned_to = ${userId} and ${dueBy(today)}`;

/** The calls a link worker has due, wellbeing calls longest overdue first, then first calls in list order. */
export async function listCallsDue(db: Queryable, userId: string, today: string, limit: number): Promise<DueCall[]> {
  const rows = await db.query(sql`select m.id as member_id, m.cohort_id, c.name as cohort_name, m.given_name, m.family_name, m.phone, m.outcome, m.next_call_on, m.last_called_on, m.weekly_call
    from sp_cohort_members m join sp_cohorts c on c.id = m.cohort_id where ${dueFor(userId, today)}
    order by m.next_call_on nulls last, c.created_at, (m.outcome = 'no_answer') nulls first, m.row_number limit ${limit}`);
  return camelRows<DueCall>(rows);
}

export async function countCallsDue(db: Queryable, userId: string, today: string): Promise<number> {
  const [row] = await db.query<{ n: number }>(sql`select count(*)::int as n from sp_cohort_members m where ${dueFor(userId, today)}`);
  return row.n;
}

/** The person and the case "needs support" opened. */
export async function recordCaseOf(db: Queryable, memberId: string, personId: string, caseId: string): Promise<void> {
  await db.query(sql`update sp_cohort_members set person_id = ${personId}, case_id = ${caseId} where id = ${memberId}`);
}
