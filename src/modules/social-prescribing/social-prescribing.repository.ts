import type { Queryable } from '../../platform/db/database.ts';

/*
 * SQL for social prescribing. Organisations, users and memberships are platform tables read
 * here with small queries; the directory is reached only through its service functions.
 */

export type PersonRow = {
  id: string;
  pcn_id: string;
  gp_practice_id: string | null;
  given_name: string;
  family_name: string;
  date_of_birth: string | null;
  nhs_number: string | null;
  address: string | null;
  postcode: string | null;
  phone: string | null;
  email: string | null;
  preferred_contact: string;
  communication_needs: string | null;
  what_matters: string | null;
  what_matters_recorded_on: string | null;
  anonymised_at: Date | null;
  version: number;
  created_at: Date;
};

export type ConsentRow = {
  id: string;
  person_id: string;
  kind: 'contact' | 'share_with_organisation' | 'share_outcomes_with_gp';
  organisation_id: string | null;
  organisation_name: string | null;
  fields: string[];
  given: boolean;
  recorded_on: string;
  recorded_by_name: string | null;
};

export type ReferralRow = {
  id: string;
  person_id: string;
  pcn_id: string;
  source: 'gp' | 'other_organisation' | 'self';
  referrer_organisation_id: string | null;
  referrer_organisation_name: string | null;
  referrer_name: string | null;
  reasons: string[];
  notes: string | null;
  received_on: string;
  status: 'new' | 'accepted' | 'declined';
  decline_reason: string | null;
  snomed_code: string | null;
  triaged_on: string | null;
  person_name: string;
  case_id: string | null;
};

export type CaseRow = {
  id: string;
  person_id: string;
  referral_id: string | null;
  pcn_id: string;
  link_worker_id: string | null;
  link_worker_name: string | null;
  status: 'new' | 'contacting' | 'active' | 'on_hold' | 'closed';
  closed_reason: string | null;
  opened_on: string;
  closed_on: string | null;
  version: number;
  gp_summary_sent_at: Date | null;
  gp_summary_sent_to: string | null;
};

/** What the caseload lists for an open case: no more, since a caseload can run to hundreds of rows. */
export type CaseListRow = Pick<CaseRow, 'id' | 'person_id' | 'pcn_id' | 'link_worker_id' | 'link_worker_name' | 'status' | 'opened_on'> & {
  person_name: string;
  next_due_on: string | null;
  next_due_description: string | null;
  last_contact_on: string | null;
};

export type ContactRow = {
  id: string;
  case_id: string | null;
  method: string;
  outcome: string;
  contacted_on: string;
  duration_minutes: number | null;
  notes: string | null;
  recorded_by_name: string | null;
};

export type FollowUpRow = { id: string; case_id: string; description: string; due_on: string; repeats_weekly: boolean; status: 'open' | 'done' | 'stopped' };
export type GoalRow = { id: string; case_id: string; in_their_words: string; status: string; created_at: Date };
export type PlanActionRow = { id: string; case_id: string; action: string; who: string; due_on: string | null; done_on: string | null };

export type OnwardRow = {
  id: string;
  case_id: string;
  person_id: string;
  kind: 'signpost' | 'refer';
  service_id: string | null;
  service_name: string;
  organisation_id: string | null;
  organisation_name: string;
  shared_details: Record<string, unknown>;
  notes: string | null;
  sent_on: string;
  status: 'given' | 'sent' | 'accepted' | 'declined';
  response_reason: string | null;
  responded_on: string | null;
  reminder_sent_at: Date | null;
  attendance: string | null;
  attendance_on: string | null;
  pcn_id: string;
};

export type MeasurementRow = { id: string; case_id: string; measure: string; stage: string; taken_on: string; answers: number[]; score: number | null };
export type MeasureDefinitionRow = { id: string; code: string; name: string; questions: { text: string; min: number; max: number }[]; conversion: { raw: number; score: number }[] };

export type CohortRow = { id: string; pcn_id: string; pcn_name: string; name: string; description: string | null; created_at: Date; total: number; called: number; needs_support: number; done: number };
export type CohortMemberRow = {
  id: string;
  cohort_id: string;
  row_number: number;
  given_name: string;
  family_name: string;
  date_of_birth: string | null;
  nhs_number: string | null;
  phone: string | null;
  postcode: string | null;
  gp_practice_id: string | null;
  outcome: string | null;
  attempts: number;
  last_called_on: string | null;
  case_id: string | null;
  person_id: string | null;
};

// ---- organisations and users (platform tables) ------------------------------------------

export async function findOrganisation(db: Queryable, id: string): Promise<{ id: string; name: string; kind: string; parent_organisation_id: string | null; email: string | null } | null> {
  const [row] = await db.query<{ id: string; name: string; kind: string; parent_organisation_id: string | null; email: string | null }>(
    'select id, name, kind, parent_organisation_id, email from organisations where id = $1',
    [id],
  );
  return row ?? null;
}

export async function listGpPractices(db: Queryable): Promise<{ id: string; name: string; pcn_id: string | null }[]> {
  return db.query(`select id, name, parent_organisation_id as pcn_id from organisations where kind = 'gp_practice' and merged_into_id is null order by name`);
}

export async function listPcns(db: Queryable, ids?: string[]): Promise<{ id: string; name: string }[]> {
  if (ids) return db.query(`select id, name from organisations where kind = 'pcn' and id = any($1::uuid[]) order by name`, [ids]);
  return db.query(`select id, name from organisations where kind = 'pcn' and merged_into_id is null order by name`);
}

/** The link worker team of a PCN: users with the link_worker role there. */
export async function listLinkWorkers(db: Queryable, pcnId: string): Promise<{ id: string; name: string }[]> {
  return db.query(
    `select u.id, u.name from users u join memberships m on m.user_id = u.id
      where m.organisation_id = $1 and m.role = 'link_worker' and u.is_active order by u.name`,
    [pcnId],
  );
}

export async function organisationEditorEmails(db: Queryable, organisationId: string): Promise<string[]> {
  const rows = await db.query<{ email: string }>(
    `select u.email from users u join memberships m on m.user_id = u.id
      where m.organisation_id = $1 and m.role = 'organisation_editor' and u.is_active order by u.email`,
    [organisationId],
  );
  return rows.map((r) => r.email);
}

// ---- people ------------------------------------------------------------------------------

const PERSON_COLUMNS = `id, pcn_id, gp_practice_id, given_name, family_name, date_of_birth, nhs_number, address, postcode, phone, email,
  preferred_contact, communication_needs, what_matters, what_matters_recorded_on, anonymised_at, version, created_at`;

export async function findPerson(db: Queryable, id: string): Promise<PersonRow | null> {
  const [row] = await db.query<PersonRow>(`select ${PERSON_COLUMNS} from sp_people where id = $1`, [id]);
  return row ?? null;
}

export type NewPerson = Omit<PersonRow, 'what_matters' | 'what_matters_recorded_on' | 'anonymised_at' | 'version' | 'created_at'>;

export async function insertPerson(db: Queryable, p: NewPerson): Promise<void> {
  await db.query(
    `insert into sp_people (id, pcn_id, gp_practice_id, given_name, family_name, date_of_birth, nhs_number, address, postcode, phone, email, preferred_contact, communication_needs)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [p.id, p.pcn_id, p.gp_practice_id, p.given_name, p.family_name, p.date_of_birth, p.nhs_number, p.address, p.postcode, p.phone, p.email, p.preferred_contact, p.communication_needs],
  );
}

/** Updates when the version still matches; false when someone else saved first. */
export async function updatePerson(db: Queryable, id: string, version: number, p: Omit<NewPerson, 'id'>): Promise<boolean> {
  const rows = await db.query(
    `update sp_people set pcn_id = $3, gp_practice_id = $4, given_name = $5, family_name = $6, date_of_birth = $7, nhs_number = $8, address = $9,
       postcode = $10, phone = $11, email = $12, preferred_contact = $13, communication_needs = $14, version = version + 1, updated_at = now()
     where id = $1 and version = $2 returning id`,
    [id, version, p.pcn_id, p.gp_practice_id, p.given_name, p.family_name, p.date_of_birth, p.nhs_number, p.address, p.postcode, p.phone, p.email, p.preferred_contact, p.communication_needs],
  );
  return rows.length === 1;
}

export async function saveWhatMatters(db: Queryable, id: string, text: string, on: string): Promise<void> {
  await db.query('update sp_people set what_matters = $2, what_matters_recorded_on = $3, updated_at = now() where id = $1', [id, text, on]);
}

/** Same NHS number, or same last name, date of birth and postcode (first name may be spelt differently). */
export async function findPossibleDuplicates(
  db: Queryable,
  pcnIds: string[] | 'all',
  p: { nhs_number: string | null; family_name: string; date_of_birth: string | null; postcode: string | null },
): Promise<PersonRow[]> {
  return db.query<PersonRow>(
    `select ${PERSON_COLUMNS} from sp_people
      where anonymised_at is null and ($1::text = 'all' or pcn_id = any($2::uuid[]))
        and ((nhs_number is not null and nhs_number = $3)
          or (lower(family_name) = lower($4) and date_of_birth = $5::date and replace(upper(postcode), ' ', '') = replace(upper($6), ' ', '')))
      order by family_name, given_name limit 10`,
    [pcnIds === 'all' ? 'all' : 'some', pcnIds === 'all' ? [] : pcnIds, p.nhs_number, p.family_name, p.date_of_birth, p.postcode ?? ''],
  );
}

export async function searchPeople(db: Queryable, q: string, limit = 25): Promise<(PersonRow & { pcn_name: string })[]> {
  const digits = q.replace(/\s/g, '');
  return db.query(
    `select p.id, p.pcn_id, o.name as pcn_name, p.given_name, p.family_name, p.date_of_birth, p.nhs_number, p.postcode, p.anonymised_at
       from sp_people p join organisations o on o.id = p.pcn_id
      where p.nhs_number = $1 or lower(p.family_name || ', ' || p.given_name) like lower($2) || '%' or lower(p.given_name || ' ' || p.family_name) like lower($2) || '%'
      order by p.family_name, p.given_name limit $3`,
    [digits, q, limit],
  );
}

export async function listConsents(db: Queryable, personId: string): Promise<ConsentRow[]> {
  return db.query<ConsentRow>(
    `select c.id, c.person_id, c.kind, c.organisation_id, o.name as organisation_name, c.fields, c.given, c.recorded_on, c.recorded_by_name
       from sp_consents c left join organisations o on o.id = c.organisation_id where c.person_id = $1 order by c.recorded_on desc, c.created_at desc`,
    [personId],
  );
}

export async function insertConsent(
  db: Queryable,
  c: { id: string; person_id: string; kind: string; organisation_id: string | null; fields: string[]; given: boolean; recorded_on: string; recorded_by: string | null; recorded_by_name: string | null },
): Promise<void> {
  await db.query(
    `insert into sp_consents (id, person_id, kind, organisation_id, fields, given, recorded_on, recorded_by, recorded_by_name) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [c.id, c.person_id, c.kind, c.organisation_id, c.fields, c.given, c.recorded_on, c.recorded_by, c.recorded_by_name],
  );
}

// ---- referrals in ------------------------------------------------------------------------

/** A referral with its person's name; `caseId` is the SQL for its case (new referrals have none yet). */
const referralSelect = (caseId = '(select c.id from sp_cases c where c.referral_id = r.id limit 1)') => `select r.id, r.person_id, r.pcn_id, r.source, r.referrer_organisation_id, ro.name as referrer_organisation_name, r.referrer_name,
    r.reasons::text[] as reasons, r.notes, r.received_on, r.status, r.decline_reason, r.snomed_code, r.triaged_on,
    p.given_name || ' ' || p.family_name as person_name, ${caseId} as case_id
  from sp_referrals r join sp_people p on p.id = r.person_id left join organisations ro on ro.id = r.referrer_organisation_id`;
const REFERRAL_SELECT = referralSelect();

export async function insertReferral(
  db: Queryable,
  r: { id: string; person_id: string; pcn_id: string; source: string; referrer_organisation_id: string | null; referrer_user_id: string | null; referrer_name: string | null; reasons: string[]; notes: string | null; received_on: string },
): Promise<void> {
  await db.query(
    `insert into sp_referrals (id, person_id, pcn_id, source, referrer_organisation_id, referrer_user_id, referrer_name, reasons, notes, received_on)
     values ($1, $2, $3, $4, $5, $6, $7, $8::uuid[], $9, $10)`,
    [r.id, r.person_id, r.pcn_id, r.source, r.referrer_organisation_id, r.referrer_user_id, r.referrer_name, r.reasons, r.notes, r.received_on],
  );
}

export async function findReferral(db: Queryable, id: string): Promise<ReferralRow | null> {
  const [row] = await db.query<ReferralRow>(`${REFERRAL_SELECT} where r.id = $1`, [id]);
  return row ?? null;
}

export async function listReferralsForPerson(db: Queryable, personId: string): Promise<ReferralRow[]> {
  return db.query<ReferralRow>(`${REFERRAL_SELECT} where r.person_id = $1 order by r.received_on desc`, [personId]);
}

/**
 * `column = $n` for one PCN (the usual case: a link worker works in one), so the planner can read
 * a partial index already in the page's order and stop at the limit; `= any(…)` for several.
 */
function pcnCondition(column: string, pcnIds: string[], params: unknown[]): string {
  return pcnIds.length === 1 ? `${column} = $${params.push(pcnIds[0])}::uuid` : `${column} = any($${params.push(pcnIds)}::uuid[])`;
}

export async function listNewReferrals(db: Queryable, pcnIds: string[] | 'all', limit = 100): Promise<ReferralRow[]> {
  // New referrals have no case yet. Conditions are added only when used, so the planner uses the index.
  const select = referralSelect('null::uuid');
  const params: unknown[] = [];
  const where = [`r.status = 'new'`];
  if (pcnIds !== 'all') where.push(pcnCondition('r.pcn_id', pcnIds, params));
  return db.query<ReferralRow>(`${select} where ${where.join(' and ')} order by r.received_on, r.created_at limit $${params.push(limit)}`, params);
}

/** Marks a new referral triaged; false when someone else triaged it first. */
export async function triageReferral(db: Queryable, id: string, t: { status: 'accepted' | 'declined'; decline_reason: string | null; snomed_code: string | null; triaged_by: string; triaged_on: string }): Promise<boolean> {
  const rows = await db.query(
    `update sp_referrals set status = $2, decline_reason = $3, snomed_code = $4, triaged_by = $5, triaged_on = $6, updated_at = now() where id = $1 and status = 'new' returning id`,
    [id, t.status, t.decline_reason, t.snomed_code, t.triaged_by, t.triaged_on],
  );
  return rows.length === 1;
}

// ---- cases -------------------------------------------------------------------------------

const CASE_SELECT = `select c.id, c.person_id, c.referral_id, c.pcn_id, c.link_worker_id, u.name as link_worker_name, c.status, c.closed_reason, c.opened_on, c.closed_on, c.version,
    c.gp_summary_sent_at, c.gp_summary_sent_to
  from sp_cases c left join users u on u.id = c.link_worker_id`;

export async function insertCase(db: Queryable, c: { id: string; person_id: string; referral_id: string | null; pcn_id: string; link_worker_id: string | null; opened_on: string; status?: string }): Promise<void> {
  await db.query(`insert into sp_cases (id, person_id, referral_id, pcn_id, link_worker_id, opened_on, status) values ($1, $2, $3, $4, $5, $6, $7)`, [
    c.id,
    c.person_id,
    c.referral_id,
    c.pcn_id,
    c.link_worker_id,
    c.opened_on,
    c.status ?? 'new',
  ]);
}

export async function findCase(db: Queryable, id: string): Promise<CaseRow | null> {
  const [row] = await db.query<CaseRow>(`${CASE_SELECT} where c.id = $1`, [id]);
  return row ?? null;
}

export async function listCasesForPerson(db: Queryable, personId: string): Promise<CaseRow[]> {
  return db.query<CaseRow>(`${CASE_SELECT} where c.person_id = $1 order by c.opened_on desc`, [personId]);
}

export async function updateCaseStatus(db: Queryable, id: string, version: number, s: { status: string; closed_reason: string | null; closed_on: string | null }): Promise<boolean> {
  const rows = await db.query(
    `update sp_cases set status = $3, closed_reason = $4, closed_on = $5, version = version + 1, updated_at = now() where id = $1 and version = $2 returning id`,
    [id, version, s.status, s.closed_reason, s.closed_on],
  );
  return rows.length === 1;
}

export async function reassignCase(db: Queryable, id: string, version: number, linkWorkerId: string): Promise<boolean> {
  const rows = await db.query(`update sp_cases set link_worker_id = $3, version = version + 1, updated_at = now() where id = $1 and version = $2 returning id`, [id, version, linkWorkerId]);
  return rows.length === 1;
}

/** Notes that the outcome summary went to the GP practice (an email address, or how else it went). */
export async function markGpSummarySent(db: Queryable, id: string, sentTo: string): Promise<void> {
  await db.query('update sp_cases set gp_summary_sent_at = now(), gp_summary_sent_to = $2, updated_at = now() where id = $1', [id, sentTo]);
}

/** Moves a new case on to "contacting" once the first attempt is made. */
export async function markContacting(db: Queryable, id: string): Promise<void> {
  await db.query(`update sp_cases set status = 'contacting', version = version + 1, updated_at = now() where id = $1 and status = 'new'`, [id]);
}

/**
 * Open cases with their next open follow-up and last contact (kept on the case), for the
 * caseload, read through the partial indexes of open cases in the page's order.
 */
export async function listOpenCases(db: Queryable, filter: { linkWorkerId?: string; pcnIds: string[] | 'all' }, limit = 500): Promise<CaseListRow[]> {
  // Conditions are added only when used, so the planner sees the real query and uses the indexes.
  const params: unknown[] = [];
  const where = [`c.status <> 'closed'`];
  if (filter.linkWorkerId) where.push(`c.link_worker_id = $${params.push(filter.linkWorkerId)}`);
  if (filter.pcnIds !== 'all') where.push(pcnCondition('c.pcn_id', filter.pcnIds, params));
  return db.query<CaseListRow>(
    `select c.id, c.person_id, c.pcn_id, c.link_worker_id, u.name as link_worker_name, c.status, c.opened_on,
            p.given_name || ' ' || p.family_name as person_name, c.next_due_on, c.next_due_description, c.last_contact_on
       from sp_cases c
       join sp_people p on p.id = c.person_id
       left join users u on u.id = c.link_worker_id
      where ${where.join(' and ')}
      order by c.next_due_on nulls last, c.opened_on
      limit $${params.push(limit)}`,
    params,
  );
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

export async function listContacts(db: Queryable, caseId: string): Promise<ContactRow[]> {
  return db.query<ContactRow>(
    `select id, case_id, method, outcome, contacted_on, duration_minutes, notes, recorded_by_name from sp_contacts where case_id = $1 order by contacted_on desc, created_at desc`,
    [caseId],
  );
}

export async function insertContact(
  db: Queryable,
  c: { id: string; case_id: string | null; person_id: string | null; cohort_member_id: string | null; method: string; outcome: string; contacted_on: string; duration_minutes: number | null; notes: string | null; recorded_by: string | null; recorded_by_name: string | null },
): Promise<void> {
  await db.query(
    `insert into sp_contacts (id, case_id, person_id, cohort_member_id, method, outcome, contacted_on, duration_minutes, notes, recorded_by, recorded_by_name)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [c.id, c.case_id, c.person_id, c.cohort_member_id, c.method, c.outcome, c.contacted_on, c.duration_minutes, c.notes, c.recorded_by, c.recorded_by_name],
  );
}

export async function listFollowUps(db: Queryable, caseId: string): Promise<FollowUpRow[]> {
  return db.query<FollowUpRow>(`select id, case_id, description, due_on, repeats_weekly, status from sp_follow_ups where case_id = $1 order by status = 'open' desc, due_on`, [caseId]);
}

export async function findFollowUp(db: Queryable, id: string): Promise<FollowUpRow | null> {
  const [row] = await db.query<FollowUpRow>('select id, case_id, description, due_on, repeats_weekly, status from sp_follow_ups where id = $1', [id]);
  return row ?? null;
}

export async function insertFollowUp(db: Queryable, f: { id: string; case_id: string; description: string; due_on: string; repeats_weekly: boolean; created_by: string }): Promise<void> {
  await db.query('insert into sp_follow_ups (id, case_id, description, due_on, repeats_weekly, created_by) values ($1, $2, $3, $4, $5, $6)', [
    f.id,
    f.case_id,
    f.description,
    f.due_on,
    f.repeats_weekly,
    f.created_by,
  ]);
}

/** A closed case needs no more calls: its open follow-ups stop. Returns how many. */
export async function stopOpenFollowUps(db: Queryable, caseId: string): Promise<number> {
  const rows = await db.query(`update sp_follow_ups set status = 'stopped', updated_at = now() where case_id = $1 and status = 'open' returning id`, [caseId]);
  return rows.length;
}

export async function updateFollowUp(db: Queryable, id: string, f: { status: string; due_on: string }): Promise<void> {
  await db.query('update sp_follow_ups set status = $2, due_on = $3, updated_at = now() where id = $1', [id, f.status, f.due_on]);
}

// ---- plans -------------------------------------------------------------------------------

export async function listGoals(db: Queryable, caseId: string): Promise<GoalRow[]> {
  return db.query<GoalRow>('select id, case_id, in_their_words, status, created_at from sp_goals where case_id = $1 order by created_at', [caseId]);
}
export async function findGoal(db: Queryable, id: string): Promise<GoalRow | null> {
  const [row] = await db.query<GoalRow>('select id, case_id, in_their_words, status, created_at from sp_goals where id = $1', [id]);
  return row ?? null;
}
export async function insertGoal(db: Queryable, g: { id: string; case_id: string; in_their_words: string }): Promise<void> {
  await db.query('insert into sp_goals (id, case_id, in_their_words) values ($1, $2, $3)', [g.id, g.case_id, g.in_their_words]);
}
export async function setGoalStatus(db: Queryable, id: string, status: string): Promise<void> {
  await db.query('update sp_goals set status = $2, updated_at = now() where id = $1', [id, status]);
}
export async function listPlanActions(db: Queryable, caseId: string): Promise<PlanActionRow[]> {
  return db.query<PlanActionRow>('select id, case_id, action, who, due_on, done_on from sp_plan_actions where case_id = $1 order by done_on nulls first, due_on nulls last, created_at', [caseId]);
}
export async function findPlanAction(db: Queryable, id: string): Promise<PlanActionRow | null> {
  const [row] = await db.query<PlanActionRow>('select id, case_id, action, who, due_on, done_on from sp_plan_actions where id = $1', [id]);
  return row ?? null;
}
export async function insertPlanAction(db: Queryable, a: { id: string; case_id: string; action: string; who: string; due_on: string | null }): Promise<void> {
  await db.query('insert into sp_plan_actions (id, case_id, action, who, due_on) values ($1, $2, $3, $4, $5)', [a.id, a.case_id, a.action, a.who, a.due_on]);
}
export async function markPlanActionDone(db: Queryable, id: string, on: string): Promise<void> {
  await db.query('update sp_plan_actions set done_on = $2, updated_at = now() where id = $1', [id, on]);
}

// ---- onward referrals ----------------------------------------------------------------------

const ONWARD_SELECT = `select o.id, o.case_id, o.person_id, o.kind, o.service_id, o.service_name, o.organisation_id, o.organisation_name, o.shared_details, o.notes,
    o.sent_on, o.status, o.response_reason, o.responded_on, o.reminder_sent_at, o.attendance, o.attendance_on, c.pcn_id
  from sp_onward_referrals o join sp_cases c on c.id = o.case_id`;

export async function insertOnwardReferral(
  db: Queryable,
  o: { id: string; case_id: string; person_id: string; kind: string; service_id: string; service_name: string; organisation_id: string; organisation_name: string; shared_details: Record<string, unknown>; notes: string | null; sent_on: string; status: string; created_by: string },
): Promise<void> {
  await db.query(
    `insert into sp_onward_referrals (id, case_id, person_id, kind, service_id, service_name, organisation_id, organisation_name, shared_details, notes, sent_on, status, created_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12, $13)`,
    [o.id, o.case_id, o.person_id, o.kind, o.service_id, o.service_name, o.organisation_id, o.organisation_name, JSON.stringify(o.shared_details), o.notes, o.sent_on, o.status, o.created_by],
  );
}

export async function findOnwardReferral(db: Queryable, id: string): Promise<OnwardRow | null> {
  const [row] = await db.query<OnwardRow>(`${ONWARD_SELECT} where o.id = $1`, [id]);
  return row ?? null;
}

export async function listOnwardForCase(db: Queryable, caseId: string): Promise<OnwardRow[]> {
  return db.query<OnwardRow>(`${ONWARD_SELECT} where o.case_id = $1 order by o.sent_on desc, o.created_at desc`, [caseId]);
}

/** Referrals (not signposts) sent to these organisations, newest first. */
export async function listInbox(db: Queryable, organisationIds: string[]): Promise<OnwardRow[]> {
  return db.query<OnwardRow>(`${ONWARD_SELECT} where o.kind = 'refer' and o.organisation_id = any($1::uuid[]) order by o.status = 'sent' desc, o.sent_on desc limit 500`, [organisationIds]);
}

export async function countInbox(db: Queryable, organisationIds: string[]): Promise<number> {
  if (!organisationIds.length) return 0;
  const [row] = await db.query<{ n: number }>(`select count(*)::int as n from sp_onward_referrals where kind = 'refer' and organisation_id = any($1::uuid[])`, [organisationIds]);
  return row.n;
}

/**
 * Whether any of these organisations can be sent referrals (it lists a service in the directory
 * that is open or about to reopen) or has been sent some.
 */
export async function receivesReferrals(db: Queryable, organisationIds: string[]): Promise<boolean> {
  const [row] = await db.query<{ yes: boolean }>(
    `select exists (select 1 from services where organisation_id = any($1::uuid[]) and status in ('active', 'temporarily closed'))
         or exists (select 1 from sp_onward_referrals where kind = 'refer' and organisation_id = any($1::uuid[])) as yes`,
    [organisationIds],
  );
  return row.yes;
}

export async function answerOnwardReferral(db: Queryable, id: string, a: { status: 'accepted' | 'declined'; reason: string | null; on: string; by: string }): Promise<boolean> {
  const rows = await db.query(
    `update sp_onward_referrals set status = $2, response_reason = $3, responded_on = $4, responded_by = $5, updated_at = now() where id = $1 and status = 'sent' returning id`,
    [id, a.status, a.reason, a.on, a.by],
  );
  return rows.length === 1;
}

export async function recordAttendance(db: Queryable, id: string, attendance: string, on: string): Promise<void> {
  await db.query('update sp_onward_referrals set attendance = $2, attendance_on = $3, updated_at = now() where id = $1', [id, attendance, on]);
}

/** Referrals still waiting for an answer whose 7-day reminder has not gone. */
export async function listAwaitingReminder(db: Queryable, sentOnOrBefore: string, sentOnOrAfter: string): Promise<OnwardRow[]> {
  return db.query<OnwardRow>(
    `${ONWARD_SELECT} where o.kind = 'refer' and o.status = 'sent' and o.reminder_sent_at is null and o.sent_on <= $1 and o.sent_on >= $2 order by o.sent_on`,
    [sentOnOrBefore, sentOnOrAfter],
  );
}

export async function markReminderSent(db: Queryable, id: string, at: Date): Promise<void> {
  await db.query('update sp_onward_referrals set reminder_sent_at = $2 where id = $1 and reminder_sent_at is null', [id, at]);
}

// ---- measures ----------------------------------------------------------------------------

export async function insertMeasurement(db: Queryable, m: { id: string; case_id: string; person_id: string; measure: string; stage: string; taken_on: string; answers: number[]; score: number | null; recorded_by: string }): Promise<void> {
  await db.query(
    `insert into sp_measurements (id, case_id, person_id, measure, stage, taken_on, answers, score, recorded_by) values ($1, $2, $3, $4, $5, $6, $7::int[], $8, $9)`,
    [m.id, m.case_id, m.person_id, m.measure, m.stage, m.taken_on, m.answers, m.score, m.recorded_by],
  );
}

export async function listMeasurementsForPerson(db: Queryable, personId: string): Promise<MeasurementRow[]> {
  return db.query<MeasurementRow>(
    'select id, case_id, measure, stage, taken_on, answers, score::float8 as score from sp_measurements where person_id = $1 order by measure, taken_on, created_at',
    [personId],
  );
}

export async function listMeasurementsForCase(db: Queryable, caseId: string): Promise<MeasurementRow[]> {
  return db.query<MeasurementRow>(
    'select id, case_id, measure, stage, taken_on, answers, score::float8 as score from sp_measurements where case_id = $1 order by measure, taken_on, created_at',
    [caseId],
  );
}

export async function listMeasureDefinitions(db: Queryable): Promise<MeasureDefinitionRow[]> {
  return db.query<MeasureDefinitionRow>('select id, code, name, questions, conversion from sp_measure_definitions order by name');
}

export async function findMeasureDefinition(db: Queryable, code: string): Promise<MeasureDefinitionRow | null> {
  const [row] = await db.query<MeasureDefinitionRow>('select id, code, name, questions, conversion from sp_measure_definitions where code = $1', [code]);
  return row ?? null;
}

/** Loads or replaces a definition by its code. */
export async function upsertMeasureDefinition(db: Queryable, d: { id: string; code: string; name: string; questions: unknown; conversion: unknown; loaded_by: string }): Promise<void> {
  await db.query(
    `insert into sp_measure_definitions (id, code, name, questions, conversion, loaded_by) values ($1, $2, $3, $4::jsonb, $5::jsonb, $6)
     on conflict (code) do update set name = excluded.name, questions = excluded.questions, conversion = excluded.conversion, loaded_by = excluded.loaded_by, updated_at = now()`,
    [d.id, d.code, d.name, JSON.stringify(d.questions), JSON.stringify(d.conversion), d.loaded_by],
  );
}

// ---- cohorts -----------------------------------------------------------------------------

const COHORT_SELECT = `select c.id, c.pcn_id, o.name as pcn_name, c.name, c.description, c.created_at,
    (select count(*)::int from sp_cohort_members m where m.cohort_id = c.id) as total,
    (select count(*)::int from sp_cohort_members m where m.cohort_id = c.id and m.outcome is not null) as called,
    (select count(*)::int from sp_cohort_members m where m.cohort_id = c.id and m.outcome = 'needs_support') as needs_support,
    (select count(*)::int from sp_cohort_members m where m.cohort_id = c.id and m.outcome in ('no_needs','needs_support','declined')) as done
  from sp_cohorts c join organisations o on o.id = c.pcn_id`;

export async function listCohorts(db: Queryable, pcnIds: string[] | 'all'): Promise<CohortRow[]> {
  return db.query<CohortRow>(`${COHORT_SELECT} where ($1::text = 'all' or c.pcn_id = any($2::uuid[])) order by c.created_at desc`, [pcnIds === 'all' ? 'all' : 'some', pcnIds === 'all' ? [] : pcnIds]);
}

export async function findCohort(db: Queryable, id: string): Promise<CohortRow | null> {
  const [row] = await db.query<CohortRow>(`${COHORT_SELECT} where c.id = $1`, [id]);
  return row ?? null;
}

export async function insertCohort(db: Queryable, c: { id: string; pcn_id: string; name: string; description: string | null; created_by: string }): Promise<void> {
  await db.query('insert into sp_cohorts (id, pcn_id, name, description, created_by) values ($1, $2, $3, $4, $5)', [c.id, c.pcn_id, c.name, c.description, c.created_by]);
}

export type NewCohortMember = { id: string; row_number: number; given_name: string; family_name: string; date_of_birth: string | null; nhs_number: string | null; phone: string | null; postcode: string | null };

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
        batch.map((m) => m.row_number),
        batch.map((m) => m.given_name),
        batch.map((m) => m.family_name),
        batch.map((m) => m.date_of_birth),
        batch.map((m) => m.nhs_number),
        batch.map((m) => m.phone),
        batch.map((m) => m.postcode),
      ],
    );
  }
}

const MEMBER_COLUMNS = 'id, cohort_id, row_number, given_name, family_name, date_of_birth, nhs_number, phone, postcode, gp_practice_id, outcome, attempts, last_called_on, case_id, person_id';

export async function listCohortMembers(db: Queryable, cohortId: string, filter: 'to_call' | 'all', limit: number, offset: number): Promise<CohortMemberRow[]> {
  return db.query<CohortMemberRow>(
    `select ${MEMBER_COLUMNS} from sp_cohort_members where cohort_id = $1 and ($2 = 'all' or outcome is null or outcome = 'no_answer')
      order by (outcome = 'no_answer') nulls first, row_number limit $3 offset $4`,
    [cohortId, filter, limit, offset],
  );
}

export async function findCohortMember(db: Queryable, id: string): Promise<CohortMemberRow | null> {
  const [row] = await db.query<CohortMemberRow>(`select ${MEMBER_COLUMNS} from sp_cohort_members where id = $1`, [id]);
  return row ?? null;
}

export async function recordCohortOutcome(db: Queryable, id: string, o: { outcome: string; on: string; by: string; person_id: string | null; case_id: string | null }): Promise<void> {
  await db.query(
    `update sp_cohort_members set outcome = $2, last_called_on = $3, called_by = $4, attempts = attempts + 1, person_id = coalesce($5, person_id), case_id = coalesce($6, case_id), updated_at = now() where id = $1`,
    [id, o.outcome, o.on, o.by, o.person_id, o.case_id],
  );
}

// ---- merging two records of the same person ------------------------------------------------

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

// ---- subject access, anonymising ----------------------------------------------------------

export async function listAllContactsForPerson(db: Queryable, personId: string): Promise<ContactRow[]> {
  return db.query<ContactRow>(
    'select id, case_id, method, outcome, contacted_on, duration_minutes, notes, recorded_by_name from sp_contacts where person_id = $1 order by contacted_on',
    [personId],
  );
}

export async function listOnwardForPerson(db: Queryable, personId: string): Promise<OnwardRow[]> {
  return db.query<OnwardRow>(`${ONWARD_SELECT} where o.person_id = $1 order by o.sent_on`, [personId]);
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
}

/** People whose cases are all closed on or before the date, not yet anonymised. */
export async function listDueForAnonymising(db: Queryable, closedOnOrBefore: string, limit = 200): Promise<{ id: string; name: string; pcn_name: string; last_closed_on: string }[]> {
  return db.query(
    `select p.id, p.given_name || ' ' || p.family_name as name, o.name as pcn_name, max(c.closed_on) as last_closed_on
       from sp_people p join sp_cases c on c.person_id = p.id join organisations o on o.id = p.pcn_id
      where p.anonymised_at is null
      group by p.id, o.name
     having bool_and(c.status = 'closed') and max(c.closed_on) <= $1
      order by max(c.closed_on) limit $2`,
    [closedOnOrBefore, limit],
  );
}
