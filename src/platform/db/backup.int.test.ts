import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { buildService } from '../../../test/support/directory-factories.ts';
import { testEngine } from '../../../test/support/test-database.ts';
import { backupTarball, dumpSql } from './backup.ts';
import { pgdataDir, restoreEmbedded } from './create-database.ts';
import { migrate } from './migrate.ts';
import { openPglite, type PgliteDatabase } from './pglite-database.ts';
import { openPostgres } from './postgres-database.ts';

/** Backups start from the embedded database, whichever engine this project also tests. */
describe(`moving the embedded database (${testEngine})`, () => {
  let source: PgliteDatabase;
  let serviceId: string;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-backup-'));
  beforeAll(async () => {
    source = await openPglite(undefined);
    await migrate(source);
    serviceId = (await buildService(source, { name: 'Backed Up Walking Group' })).id;
  });
  afterAll(async () => {
    await source.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  if (testEngine === 'pglite') {
    it('restores a backup tarball as a new embedded database, and refuses to overwrite one', async () => {
      const tarball = await backupTarball(source);
      const dataDir = path.join(dir, 'restored');
      await restoreEmbedded(dataDir, tarball);
      const restored = await openPglite(pgdataDir(dataDir));
      const rows = await restored.query<{ name: string }>('select name from services where id = $1', [serviceId]);
      await restored.close();
      expect(rows).toEqual([{ name: 'Backed Up Walking Group' }]);
      await expect(restoreEmbedded(dataDir, tarball)).rejects.toThrow(/already holds a database/);
    });
  } else {
    it('dumps SQL that psql restores on the PostgreSQL server, where the app then runs', async () => {
      const sqlFile = path.join(dir, 'dump.sql');
      fs.writeFileSync(sqlFile, await dumpSql(source));
      const base = inject('postgresUrl');
      const name = `restore_${crypto.randomUUID().replace(/-/g, '')}`;
      const admin = await openPostgres(`${base}/postgres`, { max: 1 });
      await admin.query(`create database ${name}`);
      const result = spawnSync('psql', ['-v', 'ON_ERROR_STOP=1', '-q', '-d', `${base}/${name}`, '-f', sqlFile], { encoding: 'utf8' });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const server = await openPostgres(`${base}/${name}`, { max: 1 });
      expect(await migrate(server)).toEqual([]); // already up to date
      const rows = await server.query<{ name: string; near: boolean }>(
        `select s.name, earth_distance(l.earth, ll_to_earth(53.7, -1.9)) < 1 as near
           from services s join service_at_locations sal on sal.service_id = s.id join locations l on l.id = sal.location_id
          where s.id = $1`,
        [serviceId],
      );
      await server.close();
      await admin.query(`drop database ${name} with (force)`);
      await admin.close();
      expect(rows).toEqual([{ name: 'Backed Up Walking Group', near: true }]);
    });
  }
});
