import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/support/test-database.ts';
import type { Database } from './database.ts';

describe('the database interface', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.close());

  it('refuses a query on the database itself inside a transaction, instead of hanging', async () => {
    await expect(db.transaction(async () => db.query('select 1'))).rejects.toThrow(/pass the transaction/);
    // and the database is still usable afterwards
    expect(await db.query<{ x: number }>('select 1 as x')).toEqual([{ x: 1 }]);
  });

  it('rolls back everything a failed transaction did', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query("insert into organisations (id, name) values (gen_random_uuid(), 'Rolled Back Org')");
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    expect(await db.query("select id from organisations where name = 'Rolled Back Org'")).toEqual([]);
  });

  it('lets other requests query while no transaction of theirs is open', async () => {
    const results = await Promise.all([db.transaction((tx) => tx.query<{ x: number }>('select 1 as x')), db.query<{ x: number }>('select 2 as x')]);
    expect(results).toEqual([[{ x: 1 }], [{ x: 2 }]]);
  });
});
