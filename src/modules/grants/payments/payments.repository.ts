import crypto from 'node:crypto';
import type { Queryable } from '../../../platform/db/database.ts';
import { sql } from '../../../platform/db/sql.ts';

export type Tranche = {
  id: string;
  position: number;
  amountPence: number;
  dueOn: string;
  condition: string;
  status: 'scheduled' | 'awaiting_approval' | 'approved' | 'paid';
  releasedBy: string | null;
  releasedByName: string | null;
  approvedByName: string | null;
  paidOn: string | null;
  paymentReference: string | null;
};

export async function tranches(db: Queryable, grantId: string): Promise<Tranche[]> {
  return db.query<Tranche>(sql`
    select t.id, t.position, t.amount_pence as "amountPence", t.due_on as "dueOn", t.condition, t.status, t.released_by as "releasedBy",
      r.name as "releasedByName", a.name as "approvedByName", t.paid_on as "paidOn", t.payment_reference as "paymentReference"
    from grant_tranches t left join users r on r.id = t.released_by left join users a on a.id = t.approved_by
    where t.grant_id = ${grantId} order by t.position`);
}

export async function findTranche(db: Queryable, grantId: string, id: string): Promise<Tranche | undefined> {
  return (await tranches(db, grantId)).find((t) => t.id === id);
}

/** Replaces the schedule; the database checks, when the transaction commits, that it adds up to the award. */
export async function replaceSchedule(db: Queryable, grantId: string, rows: { amountPence: number; dueOn: string; condition: string }[]): Promise<void> {
  await db.query(sql`delete from grant_tranches where grant_id = ${grantId}`);
  for (const [i, r] of rows.entries()) {
    await db.query(sql`insert into grant_tranches (id, grant_id, position, amount_pence, due_on, condition) values (${crypto.randomUUID()}, ${grantId}, ${i}, ${r.amountPence}, ${r.dueOn}, ${r.condition})`);
  }
}

/** Moves a tranche on from the state named; false when someone else moved it first. */
export async function moveTranche(
  db: Queryable,
  id: string,
  from: Tranche['status'],
  to: Tranche['status'],
  set: { releasedBy?: string; approvedBy?: string; paidOn?: string; paymentReference?: string },
): Promise<boolean> {
  const rows = await db.query(sql`
    update grant_tranches set status = ${to}, updated_at = now(),
      released_by = coalesce(${set.releasedBy ?? null}::uuid, released_by), approved_by = coalesce(${set.approvedBy ?? null}::uuid, approved_by),
      paid_on = coalesce(${set.paidOn ?? null}::date, paid_on), payment_reference = coalesce(${set.paymentReference ?? null}, payment_reference)
    where id = ${id} and status = ${from} returning id`);
  return rows.length > 0;
}
