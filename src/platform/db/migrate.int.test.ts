import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/support/test-database.ts';
import type { Database } from './database.ts';
import { migrate } from './migrate.ts';

/** A folder of migrations that each fail if run twice (plain create table). */
function migrationsFolder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-migrations-'));
  for (const [name, sql] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), sql);
  return dir;
}

describe('migrations', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.close());

  it('applies each migration once when two servers start at the same moment', async () => {
    const dir = migrationsFolder({
      '9001_first.sql': 'create table migrate_test_first (id int primary key);',
      '9002_second.sql': 'create table migrate_test_second (id int primary key);',
      '9003_third.sql': 'create table migrate_test_third (id int primary key);',
    });
    const [a, b] = await Promise.all([migrate(db, dir), migrate(db, dir)]);
    // Between them they applied each migration exactly once.
    expect([...a, ...b].sort()).toEqual(['9001_first.sql', '9002_second.sql', '9003_third.sql']);
    const recorded = await db.query<{ name: string }>(`select name from schema_migrations where name like '900_%' order by name`);
    expect(recorded.map((r) => r.name)).toEqual(['9001_first.sql', '9002_second.sql', '9003_third.sql']);
    expect(await migrate(db, dir)).toEqual([]);
  });

  it('rolls back a failed migration whole, records nothing of it, and leaves the database usable', async () => {
    const dir = migrationsFolder({
      '9101_fine.sql': 'create table migrate_test_fine (id int primary key);',
      '9102_broken.sql': 'create table migrate_test_half (id int primary key);\nselect 1 / 0;',
    });
    await expect(migrate(db, dir)).rejects.toThrow(/division by zero/);
    const recorded = await db.query<{ name: string }>(`select name from schema_migrations where name like '91%' order by name`);
    expect(recorded.map((r) => r.name)).toEqual(['9101_fine.sql']);
    const half = await db.query<{ t: string | null }>(`select to_regclass('migrate_test_half')::text as t`);
    expect(half[0].t).toBeNull();
    // Every connection is still fit for use: none was left inside the aborted transaction.
    const checks = await Promise.all(Array.from({ length: 6 }, () => db.query<{ one: number }>('select 1 as one')));
    expect(checks.every((rows) => rows[0].one === 1)).toBe(true);
  });
});
