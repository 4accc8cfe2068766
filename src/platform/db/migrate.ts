import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './database.ts';

export const migrationsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations');

/** Applies every migrations/NNNN_name.sql not yet applied, in order, each in its own transaction. */
export async function migrate(db: Database, dir = migrationsDir): Promise<string[]> {
  await createMigrationsTable(db);
  const applied = new Set((await db.query<{ name: string }>('select name from schema_migrations')).map((r) => r.name));
  const files = fs.readdirSync(dir).filter((f) => /^\d{4}_.+\.sql$/.test(f)).sort();
  const done: string[] = [];
  for (const file of files) {
    if (applied.has(file)) continue;
    const sql = fs.readFileSync(path.join(dir, file), 'utf8');
    // Each migration and its record commit together, so a failed one can simply be run again. The
    // record is written first: a second server starting at the same moment waits on its key, then
    // finds the migration applied by the first and moves on instead of running the DDL twice.
    try {
      await db.exec(`insert into schema_migrations (name) values ('${file.replace(/'/g, "''")}');\n${sql}`);
    } catch (error) {
      if (isUniqueViolation(error)) continue;
      throw error;
    }
    done.push(file);
  }
  return done;
}

async function createMigrationsTable(db: Database): Promise<void> {
  const create = `create table if not exists schema_migrations (
    name text primary key,
    applied_at timestamptz not null default now()
  )`;
  // Two servers creating it at once: PostgreSQL lets one win and fails the other on the catalogue's key.
  await db.exec(create).catch(async (error: unknown) => {
    if (!isUniqueViolation(error)) throw error;
    await db.exec(create);
  });
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === '23505';
}
