import crypto from 'node:crypto';
import type { Queryable } from './db/database.ts';
import type { Actor } from './actor.ts';

export type AuditEntry = {
  actor: Pick<Actor, 'userId' | 'name'> | null;
  action: string; // verb in the past tense: 'created', 'updated', 'viewed', 'signed_in' …
  recordType: string; // 'service', 'organisation', 'user', 'person' …
  recordId?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
};

/**
 * The one way every module writes to the append-only audit log. Pass the transaction that made
 * the change, so the change and its record commit together.
 */
export async function recordAudit(db: Queryable, entry: AuditEntry): Promise<void> {
  await db.query(
    `insert into audit_log (id, actor_user_id, actor_name, action, record_type, record_id, ip, details)
     values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)`,
    [
      crypto.randomUUID(),
      entry.actor?.userId ?? null,
      entry.actor?.name ?? null,
      entry.action,
      entry.recordType,
      entry.recordId ?? null,
      entry.ip ?? null,
      JSON.stringify(entry.details ?? {}),
    ],
  );
}

/** Field-by-field difference of two versions of a record, for the audit log and history pages. */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after)) {
    const a = before[key] instanceof Date ? (before[key] as Date).toISOString() : before[key];
    const b = after[key] instanceof Date ? (after[key] as Date).toISOString() : after[key];
    if (JSON.stringify(a ?? null) !== JSON.stringify(b ?? null)) changes[key] = { from: a ?? null, to: b ?? null };
  }
  return changes;
}
