import crypto from 'node:crypto';
import type { Queryable } from '../../../platform/db/database.ts';
import { sql } from '../../../platform/db/sql.ts';

export type Report = {
  id: string;
  grantId: string;
  kind: 'progress' | 'spend_return' | 'final';
  dueOn: string;
  status: 'due' | 'submitted' | 'accepted';
  narrative: string;
  submittedByName: string | null;
  submittedAt: Date | null;
  reviewedByName: string | null;
  reminderBeforeSentAt: Date | null;
  reminderBeforeOutcome: 'sent' | 'not_sent' | null;
  reminderOverdueSentAt: Date | null;
  reminderOverdueOutcome: 'sent' | 'not_sent' | null;
  spend: { budgetLineId: string; spentPence: number }[];
};

export async function reports(db: Queryable, grantId: string): Promise<Report[]> {
  return db.query<Report>(sql`
    select r.id, r.grant_id as "grantId", r.kind, r.due_on as "dueOn", r.status, r.narrative, s.name as "submittedByName", r.submitted_at as "submittedAt",
      v.name as "reviewedByName", r.reminder_before_sent_at as "reminderBeforeSentAt", r.reminder_before_outcome as "reminderBeforeOutcome",
      r.reminder_overdue_sent_at as "reminderOverdueSentAt", r.reminder_overdue_outcome as "reminderOverdueOutcome",
      coalesce((select json_agg(json_build_object('budgetLineId', x.budget_line_id, 'spentPence', x.spent_pence)) from grant_report_spend x where x.report_id = r.id), '[]'::json) as spend
    from grant_reports r left join users s on s.id = r.submitted_by left join users v on v.id = r.reviewed_by
    where r.grant_id = ${grantId} order by r.due_on, r.created_at`);
}

export async function insertRequirement(db: Queryable, grantId: string, kind: Report['kind'], dueOn: string): Promise<string> {
  const id = crypto.randomUUID();
  await db.query(sql`insert into grant_reports (id, grant_id, kind, due_on) values (${id}, ${grantId}, ${kind}, ${dueOn})`);
  return id;
}

/** Saves a submission; false when it is no longer due (submitted by someone else first). */
export async function submit(db: Queryable, id: string, narrative: string, spend: { budgetLineId: string; spentPence: number }[], by: string): Promise<boolean> {
  const rows = await db.query(sql`update grant_reports set status = 'submitted', narrative = ${narrative}, submitted_by = ${by}, submitted_at = now(), updated_at = now() where id = ${id} and status = 'due' returning id`);
  if (!rows.length) return false;
  for (const s of spend) {
    await db.query(sql`insert into grant_report_spend (id, report_id, budget_line_id, spent_pence) values (${crypto.randomUUID()}, ${id}, ${s.budgetLineId}, ${s.spentPence})`);
  }
  return true;
}

export async function accept(db: Queryable, id: string, by: string): Promise<boolean> {
  return (await db.query(sql`update grant_reports set status = 'accepted', reviewed_by = ${by}, reviewed_at = now(), updated_at = now() where id = ${id} and status = 'submitted' returning id`)).length > 0;
}

export type ReminderDue = { id: string; grantId: string; kind: Report['kind']; dueOn: string; title: string; recipientOrganisationId: string };

/** Reports still due whose reminder (before, or overdue) has not been claimed yet, on grants still open. */
export async function remindersDue(db: Queryable, which: 'before' | 'overdue', today: string, before: string): Promise<ReminderDue[]> {
  const condition =
    which === 'before'
      ? sql`r.reminder_before_sent_at is null and r.due_on >= ${today} and r.due_on <= ${before}`
      : sql`r.reminder_overdue_sent_at is null and r.due_on < ${today}`;
  return db.query<ReminderDue>(sql`
    select r.id, r.grant_id as "grantId", r.kind, r.due_on as "dueOn", g.title, g.recipient_organisation_id as "recipientOrganisationId"
    from grant_reports r join grants g on g.id = r.grant_id
    where r.status = 'due' and g.stage <> 'closed' and ${condition} order by r.due_on limit 500`);
}

/** Claims a reminder before it is sent, so with two processes it goes once. */
export async function claimReminder(db: Queryable, id: string, which: 'before' | 'overdue', at: Date): Promise<boolean> {
  const rows =
    which === 'before'
      ? await db.query(sql`update grant_reports set reminder_before_sent_at = ${at} where id = ${id} and reminder_before_sent_at is null returning id`)
      : await db.query(sql`update grant_reports set reminder_overdue_sent_at = ${at} where id = ${id} and reminder_overdue_sent_at is null returning id`);
  return rows.length > 0;
}

export async function recordReminderOutcome(db: Queryable, id: string, which: 'before' | 'overdue', outcome: 'sent' | 'not_sent'): Promise<void> {
  if (which === 'before') await db.query(sql`update grant_reports set reminder_before_outcome = ${outcome} where id = ${id}`);
  else await db.query(sql`update grant_reports set reminder_overdue_outcome = ${outcome} where id = ${id}`);
}

export async function editorEmails(db: Queryable, organisationId: string): Promise<string[]> {
  const rows = await db.query<{ email: string }>(sql`
    select distinct u.email from memberships m join users u on u.id = m.user_id
    where m.organisation_id = ${organisationId} and m.role = 'organisation_editor' and u.is_active order by u.email`);
  return rows.map((r) => r.email);
}
