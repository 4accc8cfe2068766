import type { Queryable } from '../../../platform/db/database.ts';
import { empty, sql, whereAll, type Sql } from '../../../platform/db/sql.ts';
import type { AuditFilter } from './log.schemas.ts';

export type AuditEntry = {
  id: string;
  at: Date;
  actorUserId: string | null;
  actorName: string | null;
  action: string;
  recordType: string;
  recordId: string | null;
  ip: string | null;
  details: Record<string, unknown>;
};

const columns = sql`id, at, actor_user_id as "actorUserId", actor_name as "actorName", action, record_type as "recordType",
  record_id as "recordId", ip, details`;

// Dates are whole days in UK time, so "to 27 March" includes the evening of 27 March.
function conditions(f: AuditFilter): Sql[] {
  return [
    f.userId ? sql`actor_user_id = ${f.userId}::uuid` : empty,
    f.recordType ? sql`record_type = ${f.recordType}` : empty,
    f.recordId ? sql`record_id = ${f.recordId}` : empty,
    f.action ? sql`action = ${f.action}` : empty,
    f.from ? sql`at >= (${f.from}::date)::timestamp at time zone 'Europe/London'` : empty,
    f.to ? sql`at < (${f.to}::date + 1)::timestamp at time zone 'Europe/London'` : empty,
  ];
}

export async function searchAuditLog(db: Queryable, f: AuditFilter, limit: number, offset: number): Promise<{ rows: AuditEntry[]; total: number }> {
  const where = whereAll(conditions(f));
  const rows = await db.query<AuditEntry>(sql`select ${columns} from audit_log ${where} order by at desc, id desc limit ${limit} offset ${offset}`);
  const total = (await db.query<{ n: number }>(sql`select count(*)::int as n from audit_log ${where}`))[0].n;
  return { rows, total };
}

/** Every matching entry, newest first, a batch at a time (keyset paging), for exports of any size. */
export async function* eachAuditEntry(db: Queryable, f: AuditFilter, batchSize = 1000): AsyncGenerator<AuditEntry> {
  // The cursor keeps the timestamp as text: a JS Date would drop its microseconds and skip rows.
  let after: { at: string; id: string } | undefined;
  for (;;) {
    const keyset = after ? sql`(at, id) < (${after.at}::timestamptz, ${after.id}::uuid)` : empty;
    const rows = await db.query<AuditEntry & { cursor: string }>(
      sql`select ${columns}, at::text as cursor from audit_log ${whereAll([...conditions(f), keyset])} order by at desc, id desc limit ${batchSize}`,
    );
    for (const { cursor: _cursor, ...row } of rows) yield row;
    if (rows.length < batchSize) return;
    after = { at: rows[rows.length - 1].cursor, id: rows[rows.length - 1].id };
  }
}

/** The people, record types and actions that appear in the log, for the filter's choices. */
export async function filterChoices(db: Queryable): Promise<{ people: { id: string; name: string }[]; recordTypes: string[]; actions: string[] }> {
  // Each list is read through an index, one probe per person or value, so the page stays quick
  // however long the log grows.
  const people = await db.query<{ id: string; name: string }>(
    `select id, name from users u where exists (select 1 from audit_log a where a.actor_user_id = u.id) order by name`,
  );
  const recordTypes = await distinctValues(db, 'record_type');
  const actions = await distinctValues(db, 'action');
  return { people, recordTypes, actions };
}

/** The distinct values of an indexed column, by skipping from each value to the next. */
async function distinctValues(db: Queryable, column: 'record_type' | 'action'): Promise<string[]> {
  const rows = await db.query<{ v: string }>(
    `with recursive seen(v) as (
       (select ${column} from audit_log order by ${column} limit 1)
       union all
       select (select ${column} from audit_log where ${column} > seen.v order by ${column} limit 1) from seen where seen.v is not null
     )
     select v from seen where v is not null`,
  );
  return rows.map((r) => r.v);
}
