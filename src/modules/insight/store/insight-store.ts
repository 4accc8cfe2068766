import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';

export type Row = Record<string, unknown>;

/** How much of the machine the store may use: a DuckDB size ('1GB') and a number of threads. */
export type StoreLimits = { memoryLimit: string; threads: number };

/**
 * The analytical store: an embedded DuckDB database file beside the application database, holding
 * pseudonymised activity and cost only (no NHS numbers, names or addresses). Pages read through one
 * connection; loads write through another, one at a time, each inside a transaction.
 */
export class InsightStore {
  private writing: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly reader: DuckDBConnection,
    private readonly writer: DuckDBConnection,
    readonly file: string,
  ) {}

  /**
   * Opens (creating if need be) the store at `file`, or in memory for ':memory:'. DuckDB would
   * otherwise take 80 % of the machine's memory and every core; the limit keeps it beside the web
   * server and the application database (beyond it, big sorts and joins spill to disk).
   */
  static async open(file: string, limits: StoreLimits = { memoryLimit: '1GB', threads: 2 }): Promise<InsightStore> {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    const instance = await DuckDBInstance.create(file, { memory_limit: limits.memoryLimit, threads: String(limits.threads) });
    const store = new InsightStore(instance, await instance.connect(), await instance.connect(), file);
    return store;
  }

  /** Rows as plain objects (numbers, strings, dates as ISO text). */
  async query<T = Row>(text: string, values: DuckDBValue[] | Record<string, DuckDBValue> = []): Promise<T[]> {
    const reader = await this.reader.runAndReadAll(text, usedIn(text, values));
    return reader.getRowObjectsJson() as T[];
  }

  /**
   * Runs `work` alone among writers, inside one transaction: all of it is kept or none of it is.
   * Reads on other connections see the store as it was until the commit.
   */
  async write<T>(work: (run: Writer) => Promise<T>): Promise<T> {
    return this.stageThenWrite(async () => undefined, (w) => work(w));
  }

  /**
   * As write, but first runs `stage` in the same turn, outside the transaction, to fill temporary
   * tables only (a file read for checking, a lookup): they are the connection's own, never part of
   * the store, so nothing the store keeps is half-written if a later step fails. DuckDB scans
   * tables made inside the running transaction on one thread; made before it, the transaction's
   * checks and insert read them on every thread. `cleanUp` then drops them, whatever happened,
   * so that they do not hold memory until the next write.
   */
  async stageThenWrite<S, T>(stage: (run: Writer) => Promise<S>, work: (run: Writer, staged: S) => Promise<T>, cleanUp?: (run: Writer) => Promise<void>): Promise<T> {
    const turn = this.writing.then(async () => {
      const w = new Writer(this.writer);
      try {
        const staged = await stage(w);
        await this.writer.run('begin transaction');
        try {
          const result = await work(w, staged);
          await this.writer.run('commit');
          return result;
        } catch (error) {
          await this.writer.run('rollback');
          throw error;
        }
      } finally {
        if (cleanUp) await cleanUp(w);
      }
    });
    this.writing = turn.catch(() => undefined);
    return turn;
  }

  /** How far the running write has got, 0 to 100, or null when nothing runs. */
  progress(): number | null {
    const p = this.writer.progress;
    return p.percentage >= 0 ? p.percentage : null;
  }

  close(): void {
    this.reader.closeSync();
    this.writer.closeSync();
    this.instance.closeSync();
  }
}

/** Named values the statement uses (DuckDB refuses a name it does not use). */
function usedIn(text: string, values: DuckDBValue[] | Record<string, DuckDBValue>): DuckDBValue[] | Record<string, DuckDBValue> {
  if (Array.isArray(values)) return values;
  return Object.fromEntries(Object.entries(values).filter(([name]) => new RegExp(`\\$${name}\\b`).test(text)));
}

/** The write connection, inside a transaction. */
export class Writer {
  constructor(private readonly connection: DuckDBConnection) {}
  async run(text: string, values: DuckDBValue[] = []): Promise<void> {
    await this.connection.run(text, values);
  }
  async query<T = Row>(text: string, values: DuckDBValue[] = []): Promise<T[]> {
    return (await this.connection.runAndReadAll(text, values)).getRowObjectsJson() as T[];
  }
  /** The first column of the result, as text (a long list read without making an object per row). */
  async column(text: string, values: DuckDBValue[] = []): Promise<string[]> {
    const [first] = (await this.connection.runAndReadAll(text, values)).getColumnsJS();
    return (first ?? []).map(String);
  }
  /** Runs an insert, update or delete; returns how many rows it changed. */
  async change(text: string, values: DuckDBValue[] = []): Promise<number> {
    return (await this.connection.run(text, values)).rowsChanged;
  }
  /** Appends rows of text fast. */
  async appendText(table: string, rows: string[][]): Promise<void> {
    const appender = await this.connection.createAppender(table);
    for (const row of rows) {
      for (const value of row) appender.appendVarchar(value);
      appender.endRow();
    }
    appender.closeSync();
  }
}
