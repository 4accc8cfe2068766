import crypto from 'node:crypto';
import type { Queryable } from '../../../platform/db/database.ts';
import { sql } from '../../../platform/db/sql.ts';

export type ChangeRequest = {
  id: string;
  kind: 'move' | 'extend';
  fromLineId: string | null;
  fromLine: string | null;
  toLineId: string | null;
  toLine: string | null;
  amountPence: number | null;
  newEndOn: string | null;
  reason: string;
  status: 'pending' | 'approved' | 'declined';
  decisionReason: string | null;
  firstApprovedBy: string | null;
  firstApprovedByName: string | null;
  decidedByName: string | null;
  decidedAt: Date | null;
  requestedByName: string | null;
  createdAt: Date;
};

export async function changeRequests(db: Queryable, grantId: string): Promise<ChangeRequest[]> {
  return db.query<ChangeRequest>(sql`
    select c.id, c.kind, c.from_line_id as "fromLineId", fl.description as "fromLine", c.to_line_id as "toLineId", tl.description as "toLine",
      c.amount_pence as "amountPence", c.new_end_on as "newEndOn", c.reason, c.status, c.decision_reason as "decisionReason",
      c.first_approved_by as "firstApprovedBy", fa.name as "firstApprovedByName", d.name as "decidedByName", c.decided_at as "decidedAt",
      r.name as "requestedByName", c.created_at as "createdAt"
    from grant_change_requests c left join grant_budget_lines fl on fl.id = c.from_line_id left join grant_budget_lines tl on tl.id = c.to_line_id
      left join users fa on fa.id = c.first_approved_by left join users d on d.id = c.decided_by left join users r on r.id = c.requested_by
    where c.grant_id = ${grantId} order by c.created_at desc`);
}

export async function insertChange(db: Queryable, grantId: string, c: { kind: 'move' | 'extend'; fromLineId?: string; toLineId?: string; amountPence?: number; newEndOn?: string; reason: string }, by: string): Promise<string> {
  const id = crypto.randomUUID();
  await db.query(sql`insert into grant_change_requests (id, grant_id, kind, from_line_id, to_line_id, amount_pence, new_end_on, reason, requested_by)
    values (${id}, ${grantId}, ${c.kind}, ${c.fromLineId ?? null}, ${c.toLineId ?? null}, ${c.amountPence ?? null}, ${c.newEndOn ?? null}, ${c.reason}, ${by})`);
  return id;
}

export async function firstApproval(db: Queryable, id: string, by: string): Promise<boolean> {
  return (await db.query(sql`update grant_change_requests set first_approved_by = ${by}, updated_at = now() where id = ${id} and status = 'pending' and first_approved_by is null returning id`)).length > 0;
}

export async function decide(db: Queryable, id: string, status: 'approved' | 'declined', reason: string, by: string): Promise<boolean> {
  return (
    await db.query(sql`update grant_change_requests set status = ${status}, decision_reason = ${reason}, decided_by = ${by}, decided_at = now(), updated_at = now()
      where id = ${id} and status = 'pending' returning id`)
  ).length > 0;
}

/** Moves money between two lines of the grant; the lines' total stays the award. */
export async function moveMoney(db: Queryable, grantId: string, fromLineId: string, toLineId: string, amountPence: number): Promise<boolean> {
  const rows = await db.query(sql`update grant_budget_lines set amount_pence = amount_pence - ${amountPence}, updated_at = now()
    where id = ${fromLineId} and grant_id = ${grantId} and amount_pence >= ${amountPence} returning id`);
  if (!rows.length) return false;
  await db.query(sql`update grant_budget_lines set amount_pence = amount_pence + ${amountPence}, updated_at = now() where id = ${toLineId} and grant_id = ${grantId}`);
  return true;
}

export async function extendGrant(db: Queryable, grantId: string, newEndOn: string): Promise<void> {
  await db.query(sql`update grants set planned_end = ${newEndOn}, version = version + 1, updated_at = now() where id = ${grantId}`);
}

export async function latestBudgetVersion(db: Queryable, grantId: string): Promise<number> {
  return (await db.query<{ v: number }>(sql`select coalesce(max(version), 0)::int as v from grant_budget_versions where grant_id = ${grantId}`))[0].v;
}
