import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.ts';
import type { Database } from './database.ts';
import { lockDataDir } from './lock.ts';
import { migrate } from './migrate.ts';
import { openPglite } from './pglite-database.ts';
import { openPostgres } from './postgres-database.ts';

export type OpenedDatabase = {
  db: Database;
  /** True when this start created the database (and so should load demo data). */
  created: boolean;
  close(): Promise<void>;
};

type Prepare = (db: Database) => Promise<void>;

/**
 * Opens the database the configuration names and brings it up to date.
 * Embedded: a new database is made in a temporary folder, migrated and prepared (demo data), then
 * renamed into place, so a first start killed half-way leaves nothing half-made.
 */
export async function createDatabase(config: Config, prepareNew?: Prepare): Promise<OpenedDatabase> {
  if (config.databaseUrl) {
    const db = await openPostgres(config.databaseUrl);
    const hadTables = (await db.query<{ n: number }>(
      "select count(*)::int as n from information_schema.tables where table_name = 'schema_migrations'",
    ))[0].n > 0;
    await migrate(db);
    if (!hadTables && prepareNew) await prepareNew(db);
    return { db, created: !hadTables, close: () => db.close() };
  }

  const release = lockDataDir(config.dataDir);
  try {
    const finalDir = path.join(config.dataDir, 'pgdata');
    for (const entry of fs.readdirSync(config.dataDir)) {
      if (entry.startsWith('pgdata.partial-')) fs.rmSync(path.join(config.dataDir, entry), { recursive: true, force: true });
    }
    let created = false;
    if (!fs.existsSync(finalDir)) {
      const partialDir = path.join(config.dataDir, `pgdata.partial-${process.pid}`);
      const fresh = await openPglite(partialDir);
      await migrate(fresh);
      if (prepareNew) await prepareNew(fresh);
      await fresh.close();
      fs.renameSync(partialDir, finalDir);
      created = true;
    }
    const db = await openPglite(finalDir);
    await migrate(db);
    return {
      db,
      created,
      close: async () => {
        await db.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}
