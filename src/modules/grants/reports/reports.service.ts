import type { Actor } from '../../../platform/actor.ts';
import { recordAudit } from '../../../platform/audit.ts';
import type { Database } from '../../../platform/db/database.ts';
import { addDays, ukToday } from '../../../platform/dates.ts';
import type { Mailer } from '../../../platform/mailer.ts';
import { parseMoney } from '../../../platform/money.ts';
import { refuse } from '../../../platform/refusal.ts';
import { budgetLines, type BudgetLine } from '../awards/awards.repository.ts';
import { openGrantAsGrantee, openGrantToManage, refuseIfClosed } from '../awards/awards.service.ts';
import * as repo from './reports.repository.ts';
import { REMIND_DAYS_BEFORE, reportKindNames } from './reports.schemas.ts';

export async function scheduleReport(db: Database, actor: Actor, grantId: string, input: { kind: repo.Report['kind']; dueOn: string }, ip: string) {
  const grant = await openGrantToManage(db, actor, grantId);
  refuseIfClosed(grant);
  if (input.dueOn < grant.awardDate) throw refuse.invalid('dueOn', 'The due date cannot be before the grant was awarded');
  await db.transaction(async (tx) => {
    const id = await repo.insertRequirement(tx, grant.id, input.kind, input.dueOn);
    await recordAudit(tx, { actor, action: 'scheduled_report', recordType: 'grant', recordId: grant.id, ip, details: { reportId: id, ...input } });
  });
}

/** Spend per budget line from `spend-<line id>` fields; a spend return or final report needs every line. */
function readSpend(kind: repo.Report['kind'], lines: BudgetLine[], fields: Record<string, unknown>) {
  const spend: { budgetLineId: string; spentPence: number }[] = [];
  for (const line of lines) {
    const value = fields[`spend-${line.id}`];
    const blank = value === undefined || (typeof value === 'string' && value.trim() === '');
    if (blank) {
      if (kind === 'progress') continue;
      throw refuse.invalid(`spend-${line.id}`, `Enter what was spent on “${line.description}” so far (£0 if nothing)`);
    }
    const money = parseMoney(value, `What was spent on “${line.description}”`);
    if (!money.ok) throw refuse.invalid(`spend-${line.id}`, money.message);
    spend.push({ budgetLineId: line.id, spentPence: money.pence });
  }
  return spend;
}

/** The grantee's editors submit a report: narrative answers and spend so far per budget line. */
export async function submitReport(db: Database, actor: Actor, grantId: string, reportId: string, fields: Record<string, unknown> & { narrative: string }, ip: string) {
  const grant = await openGrantAsGrantee(db, actor, grantId);
  refuseIfClosed(grant);
  const report = (await repo.reports(db, grant.id)).find((r) => r.id === reportId);
  if (!report) throw refuse.notFound('Report');
  if (report.status !== 'due') throw refuse.conflict('narrative', 'This report has been submitted already.');
  const spend = readSpend(report.kind, await budgetLines(db, grant.id), fields);
  await db.transaction(async (tx) => {
    if (!(await repo.submit(tx, report.id, fields.narrative, spend, actor.userId))) throw refuse.conflict('narrative', 'This report has been submitted already.');
    await recordAudit(tx, { actor, action: 'submitted_report', recordType: 'grant', recordId: grant.id, ip, details: { reportId: report.id, kind: report.kind, spend } });
  });
}

export async function acceptReport(db: Database, actor: Actor, grantId: string, reportId: string, ip: string) {
  const grant = await openGrantToManage(db, actor, grantId);
  refuseIfClosed(grant);
  const report = (await repo.reports(db, grant.id)).find((r) => r.id === reportId);
  if (!report) throw refuse.notFound('Report');
  await db.transaction(async (tx) => {
    if (!(await repo.accept(tx, report.id, actor.userId))) throw refuse.conflict('form', 'Only a submitted report can be accepted.');
    await recordAudit(tx, { actor, action: 'accepted_report', recordType: 'grant', recordId: grant.id, ip, details: { reportId: report.id, kind: report.kind } });
  });
}

/** Budget against spend so far (the latest report with spend), line by line: what both sides see. */
export function variance(lines: BudgetLine[], reports: repo.Report[]) {
  const latest = [...reports].filter((r) => r.status !== 'due' && r.spend.length).sort((a, b) => String(b.submittedAt).localeCompare(String(a.submittedAt)))[0];
  const spent = new Map((latest?.spend ?? []).map((s) => [s.budgetLineId, s.spentPence]));
  const rows = lines.map((l) => {
    const s = spent.get(l.id) ?? 0;
    return { id: l.id, description: l.description, budgetPence: l.amountPence, spentPence: s, variancePence: l.amountPence - s, percent: l.amountPence ? Math.round((s / l.amountPence) * 100) : 0 };
  });
  const budgetPence = rows.reduce((a, r) => a + r.budgetPence, 0);
  const spentPence = rows.reduce((a, r) => a + r.spentPence, 0);
  return { asOf: latest ? { kind: reportKindNames[latest.kind], submittedAt: latest.submittedAt } : null, rows, budgetPence, spentPence, variancePence: budgetPence - spentPence };
}

/**
 * Email reminders to the grantee's editors: a week before a report is due, and once when it is
 * overdue. Run by the job runner's sweep; each reminder is claimed before it is sent, so with two
 * processes it goes once. Whether a mail server took it is recorded: mail not sent waits in the
 * Email outbox, and the grant page says so rather than "emailed".
 */
export async function sendReportReminders(db: Database, mailer: Mailer, now: Date, publicUrl: string): Promise<{ sent: number; notSent: number }> {
  const today = ukToday(now);
  let sent = 0;
  let notSent = 0;
  for (const which of ['before', 'overdue'] as const) {
    const due = await repo.remindersDue(db, which, today, addDays(today, REMIND_DAYS_BEFORE));
    for (const report of due) {
      const claimed = await db.transaction(async (tx) => {
        if (!(await repo.claimReminder(tx, report.id, which, now))) return false;
        await recordAudit(tx, { actor: null, action: which === 'before' ? 'report_reminder' : 'report_overdue_reminder', recordType: 'grant', recordId: report.grantId, details: { reportId: report.id } });
        return true;
      });
      if (!claimed) continue;
      const to = await repo.editorEmails(db, report.recipientOrganisationId);
      const kind = reportKindNames[report.kind];
      let allSent = to.length > 0;
      for (const address of to) {
        const result = await mailer.send({
          to: address,
          subject: which === 'before' ? `${kind} due on ${report.dueOn}: ${report.title}` : `Overdue: ${kind.toLowerCase()} for ${report.title}`,
          text: [
            which === 'before' ? `Your ${kind.toLowerCase()} for the grant “${report.title}” is due on ${report.dueOn}.` : `Your ${kind.toLowerCase()} for the grant “${report.title}” was due on ${report.dueOn} and has not been submitted yet.`,
            '',
            `Submit it here: ${publicUrl}/grants/${report.grantId}#reports`,
          ].join('\n'),
          related: { type: 'grant_report', id: report.id },
        });
        if (result.status !== 'sent') allSent = false;
      }
      await repo.recordReminderOutcome(db, report.id, which, allSent ? 'sent' : 'not_sent');
      if (allSent) sent++;
      else notSent++;
    }
  }
  return { sent, notSent };
}
