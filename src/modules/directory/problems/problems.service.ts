import { recordAudit } from '../../../platform/audit.ts';
import type { Config } from '../../../platform/config.ts';
import type { Database, Queryable } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/actor.ts';
import { isUuid } from '../../../platform/ids.ts';
import type { Mailer } from '../../../platform/mailer.ts';
import { refuse } from '../../../platform/refusal.ts';
import { canResolveProblems, canSeeProblemReports, editableOrganisations } from '../directory.policy.ts';
import { serviceOrganisation } from '../listings/listings.repository.ts';
import * as repo from './problems.repository.ts';
import { problemReasons } from './problems.schemas.ts';

/* Problem reports: anyone tells the organisation a listing is wrong; its editors put it right. */

export const PROBLEMS_ARE_FOR = 'Problem reports are for the editors of the organisation and partnership admins.';

export type ProblemInput = { reason: repo.ProblemReason; details: string; email: string | null };

/** The service someone is reporting on, or 404. */
export async function serviceToReport(db: Queryable, serviceId: string) {
  if (!isUuid(serviceId)) throw refuse.notFound('Service');
  const found = await serviceOrganisation(db, serviceId);
  if (!found) throw refuse.notFound('Service');
  return found;
}

export async function reportProblem(
  db: Database,
  { mailer, config }: { mailer: Mailer; config: Config },
  serviceId: string,
  input: ProblemInput,
): Promise<{ id: string; notified: number }> {
  const service = await serviceToReport(db, serviceId);
  const { id, recipients } = await db.transaction(async (tx) => {
    const id = await repo.insertProblemReport(tx, { serviceId, organisationId: service.organisationId, reason: input.reason, details: input.details, reporterEmail: input.email });
    await recordAudit(tx, { actor: null, action: 'reported', recordType: 'problem_report', recordId: id, details: { serviceId, reason: input.reason } });
    return { id, recipients: await repo.problemRecipients(tx, service.organisationId) };
  });
  // Sent after the report is saved: a mail failure must not lose the report.
  const text = [
    `Someone has reported a problem with the listing for ${service.serviceName} (${service.organisationName}) in Common Ground.`,
    '',
    `What is wrong: ${problemReasons[input.reason]}`,
    '',
    input.details,
    '',
    input.email ? 'They left an email address and would like a reply.' : 'They did not leave an email address.',
    '',
    `Read it and mark it resolved: ${config.publicUrl}/directory/problems/${id}`,
    `Change the listing: ${config.publicUrl}/directory/services/${serviceId}/edit`,
  ].join('\n');
  // The report is saved either way; mail that could not go waits in the Email outbox.
  let notified = 0;
  for (const to of recipients) {
    const sent = await mailer.send({ to, subject: `Problem reported: ${service.serviceName}`, text, related: { type: 'problem_report', id } });
    if (sent.status === 'sent') notified++;
  }
  return { id, notified };
}

export async function problemReportsFor(db: Queryable, actor: Actor, page: { limit: number; offset: number }) {
  if (!canSeeProblemReports(actor)) throw refuse.forbidden(PROBLEMS_ARE_FOR);
  return repo.listProblemReports(db, editableOrganisations(actor), page);
}

export async function problemReport(db: Queryable, actor: Actor, id: string) {
  if (!isUuid(id)) throw refuse.notFound('Problem report');
  const report = await repo.findProblemReport(db, id);
  if (!report) throw refuse.notFound('Problem report');
  if (!canResolveProblems(actor, report.organisationId)) throw refuse.forbidden(PROBLEMS_ARE_FOR);
  return report;
}

/** Marks a report resolved with a note; the person who reported it hears back if they left an email. */
export async function resolveProblem(db: Database, mailer: Mailer, actor: Actor, id: string, note: string): Promise<{ resolved: boolean }> {
  const report = await problemReport(db, actor, id);
  const resolved = await db.transaction(async (tx) => {
    if (!(await repo.resolveProblemReport(tx, id, actor.userId, note))) return false;
    await recordAudit(tx, { actor, action: 'resolved', recordType: 'problem_report', recordId: id, details: { note } });
    if (report.serviceId) {
      await recordAudit(tx, { actor, action: 'problem_resolved', recordType: 'service', recordId: report.serviceId, details: { problem: problemReasons[report.reason], note } });
    }
    return true;
  });
  if (resolved && report.reporterEmail) {
    try {
      await mailer.send({
        to: report.reporterEmail,
        subject: `Your report about ${report.serviceName ?? 'a listing'}`,
        text: `Thank you for telling us about a problem with the listing for ${report.serviceName ?? 'a service'} (${report.organisationName}).\n\nThey have looked at it and say:\n\n${note}`,
      });
    } catch {
      // The resolution is saved; a reply that cannot be sent is not worth undoing it for.
    }
  }
  return { resolved };
}
