import fs from 'node:fs';
import path from 'node:path';
import { pgDump } from '@electric-sql/pglite-tools/pg_dump';
import type { PgliteDatabase } from './pglite-database.ts';

/**
 * A plain SQL dump of the embedded database that restores on a PostgreSQL server with psql.
 * PGlite is PostgreSQL 17; settings older servers do not know are left out so the dump
 * restores on the supported floor, PostgreSQL 15.
 */
export async function dumpSql(db: PgliteDatabase): Promise<string> {
  const file = await pgDump({ pg: db.pg, args: ['--no-owner', '--no-privileges', '--quote-all-identifiers'] });
  // pg_dump leaves the session's search_path changed; put it back for whatever runs next.
  await db.pg.exec('reset search_path');
  const sql = Buffer.from(await file.arrayBuffer()).toString('utf8');
  return sql.replace(/^SET transaction_timeout = 0;$/m, '-- (SET transaction_timeout is PostgreSQL 17 only)');
}

/** A copy of the whole embedded database folder as a gzipped tarball, for `restore`. */
export async function backupTarball(db: PgliteDatabase): Promise<Buffer> {
  const blob = (await db.pg.dumpDataDir('gzip')) as Blob;
  return Buffer.from(await blob.arrayBuffer());
}

export function writeFileAtomically(file: string, data: string | Buffer): void {
  const temporary = path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.partial-${process.pid}`);
  fs.writeFileSync(temporary, data);
  fs.renameSync(temporary, file);
}
