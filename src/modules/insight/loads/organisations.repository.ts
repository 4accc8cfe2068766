import type { Queryable } from '../../../platform/db/database.ts';

export type Organisation = { id: string; name: string };

/** An organisation in the directory (not merged into another), by id. */
export async function organisationById(db: Queryable, id: string): Promise<Organisation | undefined> {
  return (await db.query<Organisation>('select id, name from organisations where id = $1 and merged_into_id is null', [id]))[0];
}

/** The directory's organisations of a kind, at most two (enough to tell "one" from "several"). */
export async function organisationsOfKind(db: Queryable, kind: 'partnership' | 'council'): Promise<Organisation[]> {
  return db.query<Organisation>('select id, name from organisations where kind = $1 and merged_into_id is null order by name limit 2', [kind]);
}
