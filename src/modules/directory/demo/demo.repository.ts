import type { Queryable } from '../../../platform/db/database.ts';

/** Fresh planner statistics for every table, after a bulk load (embedded PGlite has no autovacuum). */
export async function analyzeDatabase(db: Queryable): Promise<void> {
  await db.query('analyze');
}
