import { PGlite, type Transaction } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { cube } from '@electric-sql/pglite/contrib/cube';
import { earthdistance } from '@electric-sql/pglite/contrib/earthdistance';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import type { Database, Queryable } from './database.ts';
import { sharedParsers, toDriverQuery, TransactionScope, type Statement } from './database.ts';

/**
 * PGlite's own default buffer cache is 128 MB, most of it resident from the start; 32 MB keeps the
 * demo directory's working set and brings a warm start's memory from about 440 MB to about 340 MB.
 * The files are cached by the operating system too, so a miss is a read from memory, not from disk.
 */
const DEFAULT_SHARED_BUFFERS = '32MB';

/*
 * PGlite runs each statement on this thread, and hands the next queued statement its turn through
 * promises alone: while statements were queued, Node could go seconds without reading sockets, so under
 * load a request arriving on a new connection (a person opening the site) waited for the queue to
 * run dry (up to 16 s in the 50-user bench) while people already connected were served. Letting Node look at
 * the network once before each statement (or transaction) queues a newcomer's statements fairly
 * behind the others'.
 */
const turnToIncomingRequests = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function openPglite(dataDir: string | undefined, options: { loadDataDir?: Blob; sharedBuffers?: string } = {}): Promise<PgliteDatabase> {
  const pg = await PGlite.create({
    dataDir,
    loadDataDir: options.loadDataDir,
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${options.sharedBuffers ?? DEFAULT_SHARED_BUFFERS}`],
    extensions: { pg_trgm, cube, earthdistance, unaccent },
    parsers: sharedParsers as never,
  });
  return new PgliteDatabase(pg);
}

export class PgliteDatabase implements Database {
  readonly engine = 'pglite' as const;
  private readonly scope = new TransactionScope();
  constructor(readonly pg: PGlite) {}

  async query<T>(statement: Statement, params: unknown[] = []): Promise<T[]> {
    this.scope.assertOutside();
    await turnToIncomingRequests();
    const { text, values } = toDriverQuery(statement, params);
    const result = await this.pg.query<T>(text, values as never[]);
    return result.rows;
  }

  async transaction<R>(fn: (tx: Queryable) => Promise<R>): Promise<R> {
    this.scope.assertOutside();
    await turnToIncomingRequests();
    return this.pg.transaction(async (tx: Transaction) =>
      this.scope.run(() =>
        fn({
          query: async <T>(statement: Statement, params: unknown[] = []) => {
            const { text, values } = toDriverQuery(statement, params);
            return (await tx.query<T>(text, values as never[])).rows;
          },
        }),
      ),
    );
  }

  async exec(sql: string): Promise<void> {
    this.scope.assertOutside();
    await this.pg.transaction(async (tx: Transaction) => {
      await tx.exec(sql);
    });
  }

  /** A tarball of the whole database, for test templates and backups. */
  async dump(): Promise<Blob> {
    return (await this.pg.dumpDataDir('none')) as Blob;
  }

  async close(): Promise<void> {
    if (!this.pg.closed) await this.pg.close();
  }
}
