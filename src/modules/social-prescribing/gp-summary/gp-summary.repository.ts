import type { Queryable } from '../../../platform/db/database.ts';

/** Notes that the outcome summary went to the GP practice (an email address, or how else it went). */
export async function markGpSummarySent(db: Queryable, caseId: string, sentTo: string): Promise<void> {
  await db.query('update sp_cases set gp_summary_sent_at = now(), gp_summary_sent_to = $2, updated_at = now() where id = $1', [caseId, sentTo]);
}
