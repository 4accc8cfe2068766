import type { Queryable } from '../../../platform/db/database.ts';
import { sql } from '../../../platform/db/sql.ts';

export type OptOutUpload = { uploadedAt: string; uploadedByName: string | null; people: number };

/** The latest upload of the national data opt-out list: its size and date, never the numbers. */
export async function latestUpload(db: Queryable): Promise<OptOutUpload | undefined> {
  const [row] = await db.query<OptOutUpload>(sql`select uploaded_at as "uploadedAt", uploaded_by_name as "uploadedByName", people from is_opt_out_uploads order by uploaded_at desc limit 1`);
  return row;
}

/** Replaces the whole list (inside the caller's transaction) and records the upload. */
export async function replaceList(db: Queryable, nhsNumbers: string[], by: { userId: string; name: string }): Promise<void> {
  await db.query('delete from is_opt_out_numbers');
  for (let i = 0; i < nhsNumbers.length; i += 5000) {
    const chunk = nhsNumbers.slice(i, i + 5000);
    await db.query(sql`insert into is_opt_out_numbers (nhs_number) select unnest(${chunk}::text[]) on conflict do nothing`);
  }
  await db.query(sql`insert into is_opt_out_uploads (id, uploaded_by, uploaded_by_name, people) values (${crypto.randomUUID()}, ${by.userId}, ${by.name}, ${nhsNumbers.length})`);
}

/** Every NHS number on the list, for a flow that applies the whole list at once (an insight load). */
export async function listedNumbers(db: Queryable): Promise<string[]> {
  return (await db.query<{ nhsNumber: string }>(sql`select nhs_number as "nhsNumber" from is_opt_out_numbers`)).map((r) => r.nhsNumber);
}
