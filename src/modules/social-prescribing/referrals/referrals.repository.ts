import type { Queryable } from '../../../platform/db/database.ts';
import { empty, raw, sql, type Sql } from '../../../platform/db/sql.ts';
import { camelRow, camelRows } from '../rows.ts';

/** Referrals into social prescribing: from GP practices, other organisations and people themselves. */

export type Referral = {
  id: string;
  personId: string;
  pcnId: string;
  source: 'gp' | 'other_organisation' | 'self';
  referrerOrganisationId: string | null;
  referrerOrganisationName: string | null;
  referrerName: string | null;
  reasons: string[];
  notes: string | null;
  receivedOn: string;
  status: 'new' | 'accepted' | 'declined';
  declineReason: string | null;
  snomedCode: string | null;
  triagedOn: string | null;
  personName: string;
  caseId: string | null;
};

/** A referral with its person's name; `caseId` is the SQL for its case (new referrals have none yet). */
const referralSelect = (caseId = '(select c.id from sp_cases c where c.referral_id = r.id limit 1)') =>
  raw(`select r.id, r.person_id, r.pcn_id, r.source, r.referrer_organisation_id, ro.name as referrer_organisation_name, r.referrer_name,
    r.reasons::text[] as reasons, r.notes, r.received_on, r.status, r.decline_reason, r.snomed_code, r.triaged_on,
    p.given_name || ' ' || p.family_name as person_name, ${caseId} as case_id
  from sp_referrals r join sp_people p on p.id = r.person_id left join organisations ro on ro.id = r.referrer_organisation_id`);
const REFERRAL_SELECT = referralSelect();

type NewReferral = { id: string; personId: string; pcnId: string; source: string; referrerOrganisationId: string | null; referrerUserId: string | null; referrerName: string | null; reasons: string[]; notes: string | null; receivedOn: string };

export async function insertReferral(db: Queryable, r: NewReferral): Promise<void> {
  await db.query(
    `insert into sp_referrals (id, person_id, pcn_id, source, referrer_organisation_id, referrer_user_id, referrer_name, reasons, notes, received_on)
     values ($1, $2, $3, $4, $5, $6, $7, $8::uuid[], $9, $10)`,
    [r.id, r.personId, r.pcnId, r.source, r.referrerOrganisationId, r.referrerUserId, r.referrerName, r.reasons, r.notes, r.receivedOn],
  );
}

export async function findReferral(db: Queryable, id: string): Promise<Referral | null> {
  const [row] = await db.query(sql`${REFERRAL_SELECT} where r.id = ${id}`);
  return row ? camelRow<Referral>(row) : null;
}

export async function listReferralsForPerson(db: Queryable, personId: string): Promise<Referral[]> {
  return camelRows<Referral>(await db.query(sql`${REFERRAL_SELECT} where r.person_id = ${personId} order by r.received_on desc`));
}

/**
 * `column = …` for one PCN (the usual case: a link worker works in one), so the planner can read
 * a partial index already in the page's order and stop at the limit; `= any(…)` for several.
 */
export function inPcns(column: string, pcnIds: string[] | 'all'): Sql {
  if (pcnIds === 'all') return empty;
  return pcnIds.length === 1 ? sql`and ${raw(column)} = ${pcnIds[0]}::uuid` : sql`and ${raw(column)} = any(${pcnIds}::uuid[])`;
}

export async function listNewReferrals(db: Queryable, pcnIds: string[] | 'all', limit = 100): Promise<Referral[]> {
  // New referrals have no case yet. Conditions are added only when used, so the planner uses the index.
  const rows = await db.query(sql`${referralSelect('null::uuid')} where r.status = 'new' ${inPcns('r.pcn_id', pcnIds)} order by r.received_on, r.created_at limit ${limit}`);
  return camelRows<Referral>(rows);
}

/** Marks a new referral triaged; false when someone else triaged it first. */
export async function triageReferral(db: Queryable, id: string, t: { status: 'accepted' | 'declined'; declineReason: string | null; snomedCode: string | null; triagedBy: string; triagedOn: string }): Promise<boolean> {
  const rows = await db.query(
    `update sp_referrals set status = $2, decline_reason = $3, snomed_code = $4, triaged_by = $5, triaged_on = $6, updated_at = now() where id = $1 and status = 'new' returning id`,
    [id, t.status, t.declineReason, t.snomedCode, t.triagedBy, t.triagedOn],
  );
  return rows.length === 1;
}
