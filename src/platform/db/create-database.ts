import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.ts';
import type { Database } from './database.ts';
import { lockDataDir } from './lock.ts';
import { migrate } from './migrate.ts';
import { openPglite } from './pglite-database.ts';

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
    // The PostgreSQL driver is loaded only for a server (about 15 MB the embedded database never needs).
    const { openPostgres } = await import('./postgres-database.ts');
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
    const finalDir = pgdataDir(config.dataDir);
    let created = false;
    if (!fs.existsSync(finalDir)) {
      await buildInPlace(config.dataDir, async (partialDir) => {
        const fresh = await openPglite(partialDir, { sharedBuffers: config.embeddedSharedBuffers });
        await migrate(fresh);
        if (prepareNew) await prepareNew(fresh);
        await fresh.close();
      });
      created = true;
    }
    const db = await openPglite(finalDir, { sharedBuffers: config.embeddedSharedBuffers });
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

export const pgdataDir = (dataDir: string) => path.join(dataDir, 'pgdata');

/**
 * Builds the embedded database in a temporary folder and renames it into place only when
 * complete, so a start killed half-way leaves nothing half-made (and the leftover is removed).
 */
async function buildInPlace(dataDir: string, build: (partialDir: string) => Promise<void>): Promise<void> {
  for (const entry of fs.readdirSync(dataDir)) {
    if (entry.startsWith('pgdata.partial-')) fs.rmSync(path.join(dataDir, entry), { recursive: true, force: true });
  }
  const partialDir = path.join(dataDir, `pgdata.partial-${process.pid}`);
  await build(partialDir);
  fs.renameSync(partialDir, pgdataDir(dataDir));
}

/** Restores a backup tarball (from `backup`) as the embedded database; refuses to overwrite one. */
export async function restoreEmbedded(dataDir: string, tarball: Buffer): Promise<void> {
  const release = lockDataDir(dataDir);
  try {
    if (fs.existsSync(pgdataDir(dataDir))) {
      throw new Error(`${pgdataDir(dataDir)} already holds a database. Move it away first; restore never overwrites data.`);
    }
    await buildInPlace(dataDir, async (partialDir) => {
      const db = await openPglite(partialDir, { loadDataDir: new Blob([new Uint8Array(tarball)]) });
      await migrate(db);
      await db.close();
    });
  } finally {
    release();
  }
}
