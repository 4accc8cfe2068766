import type { Queryable } from '../../../platform/db/database.ts';
import { sql } from '../../../platform/db/sql.ts';
import { inPcns } from '../referrals/referrals.repository.ts';

/** Counts for the home page: how much waits, never who (no person's details are read). */

const count = async (db: Queryable, query: ReturnType<typeof sql>) => (await db.query<{ n: number }>(query))[0].n;

export const countNewReferrals = (db: Queryable, pcnIds: string[] | 'all') =>
  count(db, sql`select count(*)::int as n from sp_referrals r where r.status = 'new' ${inPcns('r.pcn_id', pcnIds)}`);

/** The link worker's open cases with a follow-up (a call, a weekly wellbeing call …) due today or overdue. */
export const countContactsDue = (db: Queryable, linkWorkerId: string, on: string) =>
  count(db, sql`select count(*)::int as n from sp_cases c where c.status <> 'closed' and c.link_worker_id = ${linkWorkerId} and c.next_due_on <= ${on}`);

/** Referrals the link worker made that have not reached the organisation: no email, or the email was not sent. */
export const countReferralsNotSent = (db: Queryable, userId: string) =>
  count(db, sql`select count(*)::int as n from sp_onward_referrals o where o.created_by = ${userId} and o.kind = 'refer' and o.status = 'sent' and o.delivery in ('no_email', 'email_not_sent')`);

/** Referrals sent to these organisations still waiting for their answer. */
export const countWaitingForAnswer = (db: Queryable, organisationIds: string[]) =>
  count(db, sql`select count(*)::int as n from sp_onward_referrals o where o.kind = 'refer' and o.status = 'sent' and o.organisation_id = any(${organisationIds}::uuid[])`);
