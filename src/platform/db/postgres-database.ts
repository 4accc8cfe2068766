import pg from 'pg';
import type { Database, Queryable } from './database.ts';
import { sharedParsers, toDriverQuery, TransactionScope, type Statement } from './database.ts';

for (const [oid, parse] of Object.entries(sharedParsers)) pg.types.setTypeParser(Number(oid), parse);

export async function openPostgres(url: string, options: { max?: number } = {}): Promise<PostgresDatabase> {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
  // An idle connection the server closes (restart, dropped test database) must not crash the
  // process: the pool discards it and opens a new one when next needed.
  pool.on('error', () => undefined);
  // Fail fast with the server's own message if it cannot be reached.
  const client = await pool.connect();
  client.release();
  return new PostgresDatabase(pool);
}

export class PostgresDatabase implements Database {
  readonly engine = 'postgres' as const;
  private readonly scope = new TransactionScope();
  constructor(readonly pool: pg.Pool) {}

  async query<T>(statement: Statement, params: unknown[] = []): Promise<T[]> {
    this.scope.assertOutside();
    const { text, values } = toDriverQuery(statement, params);
    const result = await this.pool.query(text, values);
    return result.rows as T[];
  }

  async transaction<R>(fn: (tx: Queryable) => Promise<R>): Promise<R> {
    this.scope.assertOutside();
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      const result = await this.scope.run(() =>
        fn({
          query: async <T>(statement: Statement, params: unknown[] = []) => {
            const { text, values } = toDriverQuery(statement, params);
            return (await client.query(text, values)).rows as T[];
          },
        }),
      );
      await client.query('commit');
      return result;
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async exec(sql: string): Promise<void> {
    // Without parameters node-postgres sends the script as one simple query, so it may hold many statements.
    await this.transaction((tx) => tx.query(sql));
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
