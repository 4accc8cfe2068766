import fs from 'node:fs';
import crypto from 'node:crypto';
import { inject } from 'vitest';
import type { Database } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { openPglite } from '../../src/platform/db/pglite-database.ts';
import { openPostgres } from '../../src/platform/db/postgres-database.ts';

let pgliteTemplate: Promise<Blob> | undefined;

/**
 * A migrated PGlite as a tarball, loaded per test database (faster than migrating): made once per
 * run by the project's global setup (test/support/pglite-template.ts), or here when a project has none.
 */
export async function pgliteTemplateBlob(): Promise<Blob> {
  pgliteTemplate ??= (async () => {
    const made = madeByGlobalSetup();
    return made ? new Blob([fs.readFileSync(made)]) : migratedPgliteTarball();
  })();
  return pgliteTemplate;
}

/** An empty embedded database with every migration applied, as a tarball PGlite can load. */
export async function migratedPgliteTarball(): Promise<Blob> {
  const db = await openPglite(undefined);
  await migrate(db);
  const blob = await db.dump();
  await db.close();
  return blob;
}

/** The template's path when Vitest's global setup made one; none in a script outside Vitest. */
function madeByGlobalSetup(): string | undefined {
  try {
    return inject('pgliteTemplate');
  } catch {
    return undefined;
  }
}

export const testEngine = (process.env.TEST_DATABASE ?? 'pglite') as 'pglite' | 'postgres';

/** A fresh, migrated, empty database on the engine this test project runs against. */
export async function createTestDatabase(): Promise<Database> {
  if (testEngine === 'postgres') {
    const base = inject('postgresUrl');
    const name = `t_${crypto.randomUUID().replace(/-/g, '')}`;
    const admin = await openPostgres(`${base}/postgres`, { max: 1 });
    await admin.query(`create database ${name} template cg_template`);
    await admin.close();
    const db = await openPostgres(`${base}/${name}`, { max: 5 });
    const close = db.close.bind(db);
    db.close = async () => {
      await close();
      const cleanup = await openPostgres(`${base}/postgres`, { max: 1 });
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.close();
    };
    return db;
  }
  return openPglite(undefined, { loadDataDir: await pgliteTemplateBlob() });
}
