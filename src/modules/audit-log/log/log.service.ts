import type { Database } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/actor.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { refuse } from '../../../platform/refusal.ts';
import { canViewAuditLog } from '../audit-log.policy.ts';
import * as repo from './log.repository.ts';
import type { AuditFilter } from './log.schemas.ts';

export const AUDIT_PAGE_SIZE = 50;

const onlyReviewers = () => refuse.forbidden('Only partnership admins and information governance leads can read the audit log.');

/** The filters as given, without the page: what the audit entry for a view or export records. */
function filtersOnly(filter: AuditFilter): Record<string, unknown> {
  const { page: _page, ...rest } = filter;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
}

/** One page of the log, newest first. Looking at the log is itself written to the log. */
export async function viewAuditLog(db: Database, actor: Actor, filter: AuditFilter, ip: string, via: 'page' | 'api') {
  if (!canViewAuditLog(actor)) throw onlyReviewers();
  const page = filter.page ?? 1;
  const result = await repo.searchAuditLog(db, filter, AUDIT_PAGE_SIZE, (page - 1) * AUDIT_PAGE_SIZE);
  await recordAudit(db, { actor, action: 'viewed', recordType: 'audit_log', ip, details: { filters: filtersOnly(filter), page, via } });
  return { ...result, page, pageSize: AUDIT_PAGE_SIZE };
}

/** Every entry the filters match, for a CSV file; the export is recorded before any row is read. */
export async function exportAuditLog(db: Database, actor: Actor, filter: AuditFilter, ip: string): Promise<AsyncGenerator<repo.AuditEntry>> {
  if (!canViewAuditLog(actor)) throw onlyReviewers();
  await recordAudit(db, { actor, action: 'exported', recordType: 'audit_log', ip, details: { filters: filtersOnly(filter), format: 'csv' } });
  return repo.eachAuditEntry(db, filter);
}

/** Who, which kinds of record and which actions appear in the log: the filter form's choices. */
export async function auditFilterChoices(db: Database, actor: Actor) {
  if (!canViewAuditLog(actor)) throw onlyReviewers();
  return repo.filterChoices(db);
}
