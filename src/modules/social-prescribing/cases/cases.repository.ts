import type { Queryable } from '../../../platform/db/database.ts';
import { empty, join, sql } from '../../../platform/db/sql.ts';
import { camelRow, camelRows } from '../rows.ts';
import { inPcns } from '../referrals/referrals.repository.ts';

/** Cases, the contacts made on them and their follow-ups. */

export type Case = {
  id: string;
  personId: string;
  referralId: string | null;
  pcnId: string;
  linkWorkerId: string | null;
  linkWorkerName: string | null;
  status: 'new' | 'contacting' | 'active' | 'on_hold' | 'closed';
  closedReason: string | null;
  openedOn: string;
  closedOn: string | null;
  version: number;
  gpSummarySentAt: Date | null;
  gpSummarySentTo: string | null;
};

/** What the caseload lists for an open case: no more, since a caseload can run to hundreds of rows. */
export type CaseListItem = Pick<Case, 'id' | 'personId' | 'pcnId' | 'linkWorkerId' | 'linkWorkerName' | 'status' | 'openedOn'> & {
  personName: string;
  nextDueOn: string | null;
  nextDueDescription: string | null;
  lastContactOn: string | null;
};

export type Contact = {
  id: string;
  caseId: string | null;
  method: string;
  outcome: string;
  contactedOn: string;
  durationMinutes: number | null;
  notes: string | null;
  recordedByName: string | null;
};

export type FollowUp = { id: string; caseId: string; description: string; dueOn: string; repeatsWeekly: boolean; status: 'open' | 'done' | 'stopped' };

const CASE_SELECT = `select c.id, c.person_id, c.referral_id, c.pcn_id, c.link_worker_id, u.name as link_worker_name, c.status, c.closed_reason, c.opened_on, c.closed_on, c.version,
    c.gp_summary_sent_at, c.gp_summary_sent_to
  from sp_cases c left join users u on u.id = c.link_worker_id`;

export async function insertCase(db: Queryable, c: { id: string; personId: string; referralId: string | null; pcnId: string; linkWorkerId: string | null; openedOn: string; status?: string }): Promise<void> {
  await db.query(`insert into sp_cases (id, person_id, referral_id, pcn_id, link_worker_id, opened_on, status) values ($1, $2, $3, $4, $5, $6, $7)`, [
    c.id,
    c.personId,
    c.referralId,
    c.pcnId,
    c.linkWorkerId,
    c.openedOn,
    c.status ?? 'new',
  ]);
}

export async function findCase(db: Queryable, id: string): Promise<Case | null> {
  const [row] = await db.query(`${CASE_SELECT} where c.id = $1`, [id]);
  return row ? camelRow<Case>(row) : null;
}

export async function listCasesForPerson(db: Queryable, personId: string): Promise<Case[]> {
  return camelRows<Case>(await db.query(`${CASE_SELECT} where c.person_id = $1 order by c.opened_on desc`, [personId]));
}

export async function updateCaseStatus(db: Queryable, id: string, version: number, s: { status: string; closedReason: string | null; closedOn: string | null }): Promise<boolean> {
  const rows = await db.query(
    `update sp_cases set status = $3, closed_reason = $4, closed_on = $5, version = version + 1, updated_at = now() where id = $1 and version = $2 returning id`,
    [id, version, s.status, s.closedReason, s.closedOn],
  );
  return rows.length === 1;
}

export async function reassignCase(db: Queryable, id: string, version: number, linkWorkerId: string): Promise<boolean> {
  const rows = await db.query(`update sp_cases set link_worker_id = $3, version = version + 1, updated_at = now() where id = $1 and version = $2 returning id`, [id, version, linkWorkerId]);
  return rows.length === 1;
}

/** Moves a new case on to "contacting" once the first attempt is made. */
export async function markContacting(db: Queryable, id: string): Promise<void> {
  await db.query(`update sp_cases set status = 'contacting', version = version + 1, updated_at = now() where id = $1 and status = 'new'`, [id]);
}

/**
 * Open cases with their next open follow-up and last contact (kept on the case), for the
 * caseload, read through the partial indexes of open cases in the page's order.
 */
export async function listOpenCases(db: Queryable, filter: { linkWorkerId?: string; pcnIds: string[] | 'all' }, limit = 500): Promise<CaseListItem[]> {
  // Conditions are added only when used, so the planner sees the real query and uses the indexes.
  const rows = await db.query(sql`select c.id, c.person_id, c.pcn_id, c.link_worker_id, u.name as link_worker_name, c.status, c.opened_on,
            p.given_name || ' ' || p.family_name as person_name, c.next_due_on, c.next_due_description, c.last_contact_on
       from sp_cases c
       join sp_people p on p.id = c.person_id
       left join users u on u.id = c.link_worker_id
      where c.status <> 'closed' ${filter.linkWorkerId ? sql`and c.link_worker_id = ${filter.linkWorkerId}` : empty} ${inPcns('c.pcn_id', filter.pcnIds)}
      order by c.next_due_on nulls last, c.opened_on
      limit ${limit}`);
  return camelRows<CaseListItem>(rows);
}

/** The caseload's summary of a case, kept on it: its next open follow-up and last contact. */
const SET_CASE_SUMMARY = `update sp_cases c set
       (next_due_on, next_due_description) = (select due_on, description from sp_follow_ups f where f.case_id = c.id and f.status = 'open' order by due_on limit 1),
       last_contact_on = (select max(contacted_on) from sp_contacts t where t.case_id = c.id)`;

/** Recomputes the caseload's summary of a case after a contact or follow-up changes. */
export async function refreshCaseSummary(db: Queryable, caseId: string): Promise<void> {
  await db.query(`${SET_CASE_SUMMARY} where c.id = $1`, [caseId]);
}

/** The same for every case of a PCN, after a bulk load. */
export async function refreshCaseSummariesOfPcn(db: Queryable, pcnId: string): Promise<void> {
  await db.query(`${SET_CASE_SUMMARY} where c.pcn_id = $1`, [pcnId]);
}

const CONTACT_COLUMNS = 'id, case_id, method, outcome, contacted_on, duration_minutes, notes, recorded_by_name';

export async function listContacts(db: Queryable, caseId: string): Promise<Contact[]> {
  return camelRows<Contact>(await db.query(`select ${CONTACT_COLUMNS} from sp_contacts where case_id = $1 order by contacted_on desc, created_at desc`, [caseId]));
}

export async function listAllContactsForPerson(db: Queryable, personId: string): Promise<Contact[]> {
  return camelRows<Contact>(await db.query(`select ${CONTACT_COLUMNS} from sp_contacts where person_id = $1 order by contacted_on`, [personId]));
}

type NewContact = { id: string; caseId: string | null; personId: string | null; cohortMemberId: string | null; method: string; outcome: string; contactedOn: string; durationMinutes: number | null; notes: string | null; recordedBy: string | null; recordedByName: string | null };

export async function insertContact(db: Queryable, c: NewContact): Promise<void> {
  await db.query(
    `insert into sp_contacts (id, case_id, person_id, cohort_member_id, method, outcome, contacted_on, duration_minutes, notes, recorded_by, recorded_by_name)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [c.id, c.caseId, c.personId, c.cohortMemberId, c.method, c.outcome, c.contactedOn, c.durationMinutes, c.notes, c.recordedBy, c.recordedByName],
  );
}

export async function listFollowUps(db: Queryable, caseId: string): Promise<FollowUp[]> {
  return camelRows<FollowUp>(await db.query(`select id, case_id, description, due_on, repeats_weekly, status from sp_follow_ups where case_id = $1 order by status = 'open' desc, due_on`, [caseId]));
}

export async function findFollowUp(db: Queryable, id: string): Promise<FollowUp | null> {
  const [row] = await db.query('select id, case_id, description, due_on, repeats_weekly, status from sp_follow_ups where id = $1', [id]);
  return row ? camelRow<FollowUp>(row) : null;
}

export async function insertFollowUp(db: Queryable, f: { id: string; caseId: string; description: string; dueOn: string; repeatsWeekly: boolean; createdBy: string }): Promise<void> {
  await db.query('insert into sp_follow_ups (id, case_id, description, due_on, repeats_weekly, created_by) values ($1, $2, $3, $4, $5, $6)', [
    f.id,
    f.caseId,
    f.description,
    f.dueOn,
    f.repeatsWeekly,
    f.createdBy,
  ]);
}

/** A closed case needs no more calls: its open follow-ups stop. Returns how many. */
export async function stopOpenFollowUps(db: Queryable, caseId: string): Promise<number> {
  const rows = await db.query(`update sp_follow_ups set status = 'stopped', updated_at = now() where case_id = $1 and status = 'open' returning id`, [caseId]);
  return rows.length;
}

export async function updateFollowUp(db: Queryable, id: string, f: { status: string; dueOn: string }): Promise<void> {
  await db.query('update sp_follow_ups set status = $2, due_on = $3, updated_at = now() where id = $1', [id, f.status, f.dueOn]);
}

export type PersonFound = { personId: string; personName: string; dateOfBirth: string | null; nhsNumber: string | null; postcode: string | null; caseId: string | null; caseStatus: string | null; openedOn: string | null };

/**
 * People of these PCNs by name (every word a part of the given or family name) or by NHS number
 * (exact), each with their newest case. Anonymised records are not found.
 */
export async function searchPeople(db: Queryable, pcnIds: string[] | 'all', q: { words: string[]; nhsNumber: string | null }, limit = 50): Promise<PersonFound[]> {
  const byName = q.words.map((w) => sql`and (p.given_name || ' ' || p.family_name) ilike ${`%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
  const rows = await db.query(sql`select p.id as person_id, p.given_name || ' ' || p.family_name as person_name, p.date_of_birth, p.nhs_number, p.postcode,
        c.id as case_id, c.status as case_status, c.opened_on
      from sp_people p
      left join lateral (select id, status, opened_on from sp_cases where person_id = p.id order by opened_on desc, created_at desc limit 1) c on true
     where p.anonymised_at is null ${inPcns('p.pcn_id', pcnIds)}
       ${q.nhsNumber ? sql`and p.nhs_number = ${q.nhsNumber}` : join(byName.length ? byName : [empty], ' ')}
     order by p.family_name, p.given_name limit ${limit}`);
  return camelRows<PersonFound>(rows);
}

export type ClosedCase = { id: string; personId: string; personName: string; linkWorkerName: string | null; openedOn: string; closedOn: string | null; closedReason: string | null };

/** Closed cases of these PCNs, most recently closed first. */
export async function listClosedCases(db: Queryable, pcnIds: string[] | 'all', limit = 200): Promise<ClosedCase[]> {
  const rows = await db.query(sql`select c.id, c.person_id, p.given_name || ' ' || p.family_name as person_name, u.name as link_worker_name, c.opened_on, c.closed_on, c.closed_reason
      from sp_cases c join sp_people p on p.id = c.person_id left join users u on u.id = c.link_worker_id
     where c.status = 'closed' ${inPcns('c.pcn_id', pcnIds)}
     order by c.closed_on desc nulls last, c.opened_on desc limit ${limit}`);
  return camelRows<ClosedCase>(rows);
}

export type UnsentReferral = { id: string; caseId: string; personId: string; personName: string; serviceName: string; organisationName: string; delivery: string; sentOn: string };

/** Referrals this link worker made that have not reached the organisation (no email, or the email was not sent). */
export async function listUnsentReferrals(db: Queryable, userId: string): Promise<UnsentReferral[]> {
  const rows = await db.query(sql`select o.id, o.case_id, o.person_id, p.given_name || ' ' || p.family_name as person_name, o.service_name, o.organisation_name, o.delivery, o.sent_on
      from sp_onward_referrals o join sp_people p on p.id = o.person_id
     where o.created_by = ${userId} and o.kind = 'refer' and o.status = 'sent' and o.delivery in ('no_email', 'email_not_sent')
     order by o.sent_on limit 100`);
  return camelRows<UnsentReferral>(rows);
}
