import { AsyncLocalStorage } from 'node:async_hooks';
import { Sql } from 'sql-template-tag';

/**
 * A statement: plain text with $1 parameters, or a query built with the `sql` tagged template
 * (src/platform/db/sql.ts), the one way to build dynamic SQL.
 */
export type Statement = string | Sql;

/**
 * One small interface over both engines, so that every repository writes plain, parameterised
 * PostgreSQL once and runs unchanged on embedded PGlite and on a PostgreSQL server.
 */
export interface Queryable {
  query<T = Record<string, unknown>>(statement: Statement, params?: unknown[]): Promise<T[]>;
}

export interface Database extends Queryable {
  readonly engine: 'pglite' | 'postgres';
  /** Runs fn in one transaction; rolls back if it throws. */
  transaction<R>(fn: (tx: Queryable) => Promise<R>): Promise<R>;
  /** Runs a script of several statements (a migration) in one transaction: all of it, or none. */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Marks code running inside a transaction. A query on the database itself from there would wait
 * for the transaction forever on PGlite (one connection), and on a server would run outside it:
 * both engines refuse it with an error that names the mistake.
 */
export class TransactionScope {
  private readonly storage = new AsyncLocalStorage<true>();
  run<R>(fn: () => Promise<R>): Promise<R> {
    return this.storage.run(true, fn);
  }
  assertOutside(): void {
    if (this.storage.getStore()) {
      throw new Error('A query used the database directly inside a transaction: pass the transaction (tx) down instead.');
    }
  }
}

/** PostgreSQL type ids whose text form both engines should parse the same way. */
const TYPE_INT8 = 20;
const TYPE_NUMERIC = 1700;
const TYPE_DATE = 1082;

// Counts and integer pence come back as numbers; dates stay 'YYYY-MM-DD' strings so that no
// time zone can move a date by a day.
export const sharedParsers: Record<number, (value: string) => unknown> = {
  [TYPE_INT8]: (v) => Number(v),
  [TYPE_NUMERIC]: (v) => Number(v),
  [TYPE_DATE]: (v) => v,
};

/** The text and parameters of a statement, for the engine's driver. */
export function toDriverQuery(statement: Statement, params: unknown[] = []): { text: string; values: unknown[] } {
  return statement instanceof Sql ? { text: statement.text, values: statement.values } : { text: statement, values: params };
}
