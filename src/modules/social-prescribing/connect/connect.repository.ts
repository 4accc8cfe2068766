import type { Queryable } from '../../../platform/db/database.ts';
import { camelRow, camelRows } from '../rows.ts';

/** Onward referrals and signposts to community services, and the receiving organisation's inbox. */

export type Onward = {
  id: string;
  caseId: string;
  personId: string;
  kind: 'signpost' | 'refer';
  serviceId: string | null;
  serviceName: string;
  organisationId: string | null;
  organisationName: string;
  sharedDetails: Record<string, unknown>;
  notes: string | null;
  sentOn: string;
  status: 'given' | 'sent' | 'accepted' | 'declined';
  responseReason: string | null;
  respondedOn: string | null;
  reminderSentAt: Date | null;
  attendance: string | null;
  attendanceOn: string | null;
  /** How a referral reached the organisation (referral-links); null for signposts. */
  delivery: 'emailed' | 'email_not_sent' | 'no_email' | 'printed' | 'phoned' | null;
  deliveredOn: string | null;
  pcnId: string;
};

const ONWARD_SELECT = `select o.id, o.case_id, o.person_id, o.kind, o.service_id, o.service_name, o.organisation_id, o.organisation_name, o.shared_details, o.notes,
    o.sent_on, o.status, o.response_reason, o.responded_on, o.reminder_sent_at, o.attendance, o.attendance_on, o.delivery, o.delivered_on, c.pcn_id
  from sp_onward_referrals o join sp_cases c on c.id = o.case_id`;

type NewOnward = { id: string; caseId: string; personId: string; kind: string; serviceId: string; serviceName: string; organisationId: string; organisationName: string; sharedDetails: Record<string, unknown>; notes: string | null; sentOn: string; status: string; createdBy: string };

export async function insertOnwardReferral(db: Queryable, o: NewOnward): Promise<void> {
  await db.query(
    `insert into sp_onward_referrals (id, case_id, person_id, kind, service_id, service_name, organisation_id, organisation_name, shared_details, notes, sent_on, status, created_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12, $13)`,
    [o.id, o.caseId, o.personId, o.kind, o.serviceId, o.serviceName, o.organisationId, o.organisationName, JSON.stringify(o.sharedDetails), o.notes, o.sentOn, o.status, o.createdBy],
  );
}

export async function findOnwardReferral(db: Queryable, id: string): Promise<Onward | null> {
  const [row] = await db.query(`${ONWARD_SELECT} where o.id = $1`, [id]);
  return row ? camelRow<Onward>(row) : null;
}

export async function listOnwardForCase(db: Queryable, caseId: string): Promise<Onward[]> {
  return camelRows<Onward>(await db.query(`${ONWARD_SELECT} where o.case_id = $1 order by o.sent_on desc, o.created_at desc`, [caseId]));
}

export async function listOnwardForPerson(db: Queryable, personId: string): Promise<Onward[]> {
  return camelRows<Onward>(await db.query(`${ONWARD_SELECT} where o.person_id = $1 order by o.sent_on`, [personId]));
}

/** Referrals (not signposts) sent to these organisations, newest first. */
export async function listInbox(db: Queryable, organisationIds: string[]): Promise<Onward[]> {
  return camelRows<Onward>(await db.query(`${ONWARD_SELECT} where o.kind = 'refer' and o.organisation_id = any($1::uuid[]) order by o.status = 'sent' desc, o.sent_on desc limit 500`, [organisationIds]));
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

export async function answerOnwardReferral(db: Queryable, id: string, a: { status: 'accepted' | 'declined'; reason: string | null; on: string; by: string | null }): Promise<boolean> {
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
export async function listAwaitingReminder(db: Queryable, sentOnOrBefore: string, sentOnOrAfter: string): Promise<Onward[]> {
  return camelRows<Onward>(
    await db.query(`${ONWARD_SELECT} where o.kind = 'refer' and o.status = 'sent' and o.reminder_sent_at is null and o.sent_on <= $1 and o.sent_on >= $2 order by o.sent_on`, [sentOnOrBefore, sentOnOrAfter]),
  );
}

/** Claims a referral's reminder: true for the one caller that marks it first, so it goes once. */
export async function claimReminder(db: Queryable, id: string, at: Date): Promise<boolean> {
  const rows = await db.query('update sp_onward_referrals set reminder_sent_at = $2 where id = $1 and reminder_sent_at is null returning id', [id, at]);
  return rows.length === 1;
}

/** Where a receiving organisation's reminders go: its active editors. */
export async function organisationEditorEmails(db: Queryable, organisationId: string): Promise<string[]> {
  const rows = await db.query<{ email: string }>(
    `select u.email from users u join memberships m on m.user_id = u.id
      where m.organisation_id = $1 and m.role = 'organisation_editor' and u.is_active order by u.email`,
    [organisationId],
  );
  return rows.map((r) => r.email);
}
