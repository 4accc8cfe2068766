import type { Queryable } from '../../platform/db/database.ts';
import type { AuditFilter } from './audit-log.schemas.ts';

export type AuditRow = {
  id: string;
  at: Date;
  actor_user_id: string | null;
  actor_name: string | null;
  action: string;
  record_type: string;
  record_id: string | null;
  ip: string | null;
  details: Record<string, unknown>;
};

// Dates are whole days in UK time, so "to 27 March" includes the evening of 27 March.
function where(f: AuditFilter): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const conditions: string[] = [];
  const add = (condition: string, value: unknown) => {
    params.push(value);
    conditions.push(condition.replace('?', `$${params.length}`));
  };
  if (f.userId) add('actor_user_id = ?::uuid', f.userId);
  if (f.recordType) add('record_type = ?', f.recordType);
  if (f.recordId) add('record_id = ?', f.recordId);
  if (f.action) add('action = ?', f.action);
  if (f.from) add(`at >= (?::date)::timestamp at time zone 'Europe/London'`, f.from);
  if (f.to) add(`at < (?::date + 1)::timestamp at time zone 'Europe/London'`, f.to);
  return { sql: conditions.length ? `where ${conditions.join(' and ')}` : '', params };
}

export async function searchAuditLog(db: Queryable, f: AuditFilter, limit: number, offset: number): Promise<{ rows: AuditRow[]; total: number }> {
  const w = where(f);
  const rows = await db.query<AuditRow>(
    `select id, at, actor_user_id, actor_name, action, record_type, record_id, ip, details from audit_log ${w.sql}
      order by at desc, id desc limit $${w.params.length + 1} offset $${w.params.length + 2}`,
    [...w.params, limit, offset],
  );
  const total = (await db.query<{ n: number }>(`select count(*)::int as n from audit_log ${w.sql}`, w.params))[0].n;
  return { rows, total };
}

/** Every matching entry, newest first, a batch at a time (keyset paging), for exports of any size. */
export async function* eachAuditEntry(db: Queryable, f: AuditFilter, batchSize = 1000): AsyncGenerator<AuditRow> {
  const w = where(f);
  // The cursor keeps the timestamp as text: a JS Date would drop its microseconds and skip rows.
  let after: { at: string; id: string } | undefined;
  for (;;) {
    const params = [...w.params];
    let keyset = '';
    if (after) {
      params.push(after.at, after.id);
      keyset = `${w.sql ? 'and' : 'where'} (at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
    }
    params.push(batchSize);
    const rows = await db.query<AuditRow & { cursor: string }>(
      `select id, at, at::text as cursor, actor_user_id, actor_name, action, record_type, record_id, ip, details from audit_log ${w.sql} ${keyset}
        order by at desc, id desc limit $${params.length}`,
      params,
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
