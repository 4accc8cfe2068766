import type { Queryable } from '../../../platform/db/database.ts';
import { sql } from '../../../platform/db/sql.ts';

/** An agreement's data protection impact assessment: screening, risks, the DPO's advice, approval. */

export type Risk = { id: string; description: string; likelihood: number; severity: number; mitigation: string; residual: string };
export type Dpia = { agreementId: string; screening: string[]; risks: Risk[]; dpoAdvice: string | null; status: 'draft' | 'awaiting_approval' | 'approved'; sentAt: Date | null; decidedByName: string | null; decidedAt: Date | null; version: number };

export async function findDpia(db: Queryable, agreementId: string): Promise<Dpia | undefined> {
  const [row] = await db.query<Dpia>(sql`select d.agreement_id as "agreementId", d.screening::text[] as screening, d.risks, d.dpo_advice as "dpoAdvice", d.status, d.sent_at as "sentAt",
      u.name as "decidedByName", d.decided_at as "decidedAt", d.version
    from is_dpias d left join users u on u.id = d.decided_by where d.agreement_id = ${agreementId}`);
  return row;
}

export async function createDpia(db: Queryable, agreementId: string): Promise<void> {
  await db.query(sql`insert into is_dpias (agreement_id) values (${agreementId}) on conflict do nothing`);
}

/** Saves a draft's content; false when someone else saved first or it is no longer a draft. */
export async function saveDpia(db: Queryable, agreementId: string, version: number, d: { screening: string[]; risks: Risk[]; dpoAdvice: string | null }): Promise<boolean> {
  const rows = await db.query(sql`update is_dpias set screening = ${d.screening}::text[], risks = ${JSON.stringify(d.risks)}::jsonb, dpo_advice = ${d.dpoAdvice}, version = version + 1, updated_at = now()
    where agreement_id = ${agreementId} and version = ${version} and status = 'draft' returning 1`);
  return rows.length === 1;
}

export async function setStatus(db: Queryable, agreementId: string, version: number, from: Dpia['status'], to: Dpia['status'], by: string): Promise<boolean> {
  const rows = await db.query(sql`update is_dpias set status = ${to}, version = version + 1, updated_at = now(),
      sent_at = case when ${to} = 'awaiting_approval' then now() else sent_at end,
      decided_by = case when ${to} = 'awaiting_approval' then null else ${by}::uuid end,
      decided_at = case when ${to} = 'awaiting_approval' then null else now() end
    where agreement_id = ${agreementId} and version = ${version} and status = ${from} returning 1`);
  return rows.length === 1;
}
