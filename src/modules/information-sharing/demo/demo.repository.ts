import type { Queryable } from '../../../platform/db/database.ts';
import { sql } from '../../../platform/db/sql.ts';

/** Look-ups the demo and test set-up need. */

export async function userIdByEmail(db: Queryable, email: string): Promise<string | undefined> {
  const [row] = await db.query<{ id: string }>(sql`select id from users where lower(email) = lower(${email})`);
  return row?.id;
}

export async function practicesOf(db: Queryable, pcnId: string): Promise<string[]> {
  return (await db.query<{ id: string }>(sql`select id from organisations where parent_organisation_id = ${pcnId} and kind = 'gp_practice' order by name`)).map((r) => r.id);
}

export async function userName(db: Queryable, id: string): Promise<string> {
  const [row] = await db.query<{ name: string }>(sql`select name from users where id = ${id}`);
  return row.name;
}
