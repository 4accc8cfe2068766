import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, testEngine } from '../../../test/support/test-database.ts';
import { loadConfig } from '../config.ts';
import type { Database } from '../db/database.ts';
import { openPostgres, PostgresDatabase } from '../db/postgres-database.ts';
import { createMailer } from '../mailer.ts';
import { enqueueJob, type JobContext, type JobHandlers, type JobRun, type Sweeps } from './jobs.ts';
import { JobRunner, retryDelaySeconds } from './runner.ts';

const config = loadConfig({ LOG_LEVEL: 'silent', DEMO_DATA: 'false' });
const at = (iso: string) => new Date(iso);
const T0 = at('2026-03-02T09:00:00Z');
const seconds = (n: number) => new Date(T0.getTime() + n * 1000);

type JobRow = { kind: string; attempts: number; done_at: Date | null; failed_at: Date | null; run_at: Date; last_error: string | null; claimed_by: string | null };
const jobRow = async (db: Database, id: string) => (await db.query<JobRow>('select kind, attempts, done_at, failed_at, run_at, last_error, claimed_by from jobs where id = $1', [id]))[0];

describe(`the job runner (${testEngine})`, () => {
  let db: Database;
  /** A second connection to the same database, as a second app process would have (PGlite has only one). */
  let other: Database;
  const contextOf = (d: Database): JobContext => ({ db: d, config, mailer: createMailer(undefined, config.mailFrom, { db: d }) });
  const runner = (d: Database, handlers: JobHandlers, options: { sweeps?: Sweeps; leaseMs?: number; batchSize?: number } = {}) =>
    new JobRunner({ context: contextOf(d), handlers, clock: () => T0, ...options });

  beforeAll(async () => {
    db = await createTestDatabase();
    other = db instanceof PostgresDatabase ? await openPostgres(String(db.pool.options.connectionString), { max: 5 }) : db;
  });
  afterAll(async () => {
    if (other !== db) await other.close();
    await db.close();
  });
  beforeEach(async () => {
    await db.query('delete from jobs');
  });

  it('runs each job once when two runners on two connections work through the same jobs at the same time', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) ids.push((await enqueueJob(db, 'test.count', { n: i }, { runAt: seconds(-60) }))!);
    const ran: { n: number; by: string }[] = [];
    const handler = (by: string) => async (payload: { n: number }) => {
      ran.push({ n: payload.n, by });
      // A job that takes a moment, so the runners overlap.
      await new Promise((resolve) => setTimeout(resolve, 2));
    };
    const a = runner(db, { 'test.count': handler('a') }, { batchSize: 3 });
    const b = runner(other, { 'test.count': handler('b') }, { batchSize: 3 });
    const [fromA, fromB] = await Promise.all([a.runDue(), b.runDue()]);

    expect(fromA.ran + fromB.ran).toBe(60);
    expect(ran.map((r) => r.n).sort((x, y) => x - y)).toEqual([...Array(60).keys()]);
    const done = await db.query<{ n: number }>('select count(*)::int as n from jobs where done_at is not null and claimed_by is null and attempts = 1');
    expect(done[0].n).toBe(60);
    if (testEngine === 'postgres') expect(new Set(ran.map((r) => r.by)).size).toBe(2);
  });

  it('runs a sweep once per interval however many runners look for it', async () => {
    let runs = 0;
    const sweeps: Sweeps = { 'test.sweep': { everySeconds: 300, run: async () => void runs++ } };
    const a = runner(db, {}, { sweeps });
    const b = runner(other, {}, { sweeps });
    await Promise.all([a.ensureSweeps(), b.ensureSweeps()]);
    expect((await db.query(`select 1 from jobs where kind = 'sweep:test.sweep'`)).length).toBe(1);

    await Promise.all([a.runDue(T0), b.runDue(T0)]);
    expect(runs).toBe(1);
    await Promise.all([a.runDue(seconds(299)), b.runDue(seconds(299))]);
    expect(runs).toBe(1);
    await Promise.all([a.runDue(seconds(300)), b.runDue(seconds(300))]);
    expect(runs).toBe(2);
  });

  it('gives a sweep the clock, context and job of its run', async () => {
    const seen: JobRun[] = [];
    const a = runner(db, {}, { sweeps: { 'test.clock': { everySeconds: 60, run: async (run) => void seen.push(run) } } });
    await a.ensureSweeps();
    await a.runDue(seconds(5));
    expect(seen).toHaveLength(1);
    expect(seen[0].now).toEqual(seconds(5));
    expect(seen[0].db).toBe(db);
    expect(seen[0].job).toMatchObject({ kind: 'sweep:test.clock', attempt: 1 });
  });

  it('does not run a job before its time', async () => {
    const id = (await enqueueJob(db, 'test.later', {}, { runAt: seconds(3600) }))!;
    let runs = 0;
    const a = runner(db, { 'test.later': async () => void runs++ });
    expect(await a.runDue(T0)).toEqual({ ran: 0, failed: 0 });
    expect(await a.runDue(seconds(3600))).toEqual({ ran: 1, failed: 0 });
    expect(runs).toBe(1);
    expect((await jobRow(db, id)).done_at).not.toBeNull();
  });

  it('tries a failing job again later, waiting longer each time, and gives up after its attempts', async () => {
    const id = (await enqueueJob(db, 'test.flaky', {}, { runAt: T0, maxAttempts: 3 }))!;
    const a = runner(db, { 'test.flaky': async () => Promise.reject(new Error('mail server down')) });
    expect(await a.runDue(T0)).toEqual({ ran: 0, failed: 1 });
    let row = await jobRow(db, id);
    expect(row).toMatchObject({ attempts: 1, last_error: 'mail server down', done_at: null, failed_at: null, claimed_by: null });
    expect(new Date(row.run_at)).toEqual(seconds(retryDelaySeconds(1)));
    expect(await a.runDue(seconds(29))).toEqual({ ran: 0, failed: 0 });
    expect(await a.runDue(seconds(30))).toEqual({ ran: 0, failed: 1 });
    row = await jobRow(db, id);
    expect(new Date(row.run_at)).toEqual(seconds(30 + retryDelaySeconds(2)));
    expect(await a.runDue(seconds(90))).toEqual({ ran: 0, failed: 1 });
    row = await jobRow(db, id);
    expect(row.attempts).toBe(3);
    expect(row.failed_at).not.toBeNull();
    expect(await a.runDue(seconds(100_000))).toEqual({ ran: 0, failed: 0 });
    expect([retryDelaySeconds(1), retryDelaySeconds(2), retryDelaySeconds(3), retryDelaySeconds(20)]).toEqual([30, 60, 120, 3600]);
  });

  it('takes over a job claimed by a process that died, once its lease has passed', async () => {
    const id = (await enqueueJob(db, 'test.orphan', {}, { runAt: T0 }))!;
    await db.query(`update jobs set claimed_by = 'a-process-that-died', claimed_until = $2, attempts = 1 where id = $1`, [id, seconds(300)]);
    let runs = 0;
    const a = runner(db, { 'test.orphan': async () => void runs++ });
    expect(await a.runDue(seconds(299))).toEqual({ ran: 0, failed: 0 });
    expect(await a.runDue(seconds(301))).toEqual({ ran: 1, failed: 0 });
    expect(runs).toBe(1);
    expect(await jobRow(db, id)).toMatchObject({ attempts: 2, claimed_by: null });
  });

  it('leaves alone the kinds it has no handler for (another version of the app may)', async () => {
    const id = (await enqueueJob(db, 'test.unknown', {}, { runAt: T0 }))!;
    expect(await runner(db, { 'test.known': async () => undefined }).runDue(T0)).toEqual({ ran: 0, failed: 0 });
    expect(await jobRow(db, id)).toMatchObject({ attempts: 0, claimed_by: null, done_at: null });
  });

  it('enqueues a job with a key once, and not at all from a transaction that rolls back', async () => {
    const first = await enqueueJob(db, 'test.keyed', { v: 1 }, { key: 'reminder:1' });
    expect(first).not.toBeNull();
    expect(await enqueueJob(db, 'test.keyed', { v: 2 }, { key: 'reminder:1' })).toBeNull();
    await expect(
      db.transaction(async (tx) => {
        await enqueueJob(tx, 'test.keyed', {}, { key: 'reminder:2' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const rows = await db.query<{ unique_key: string; payload: { v: number } }>(`select unique_key, payload from jobs where kind = 'test.keyed'`);
    expect(rows).toEqual([{ unique_key: 'reminder:1', payload: { v: 1 } }]);
  });

  it('stops cleanly: the job in hand finishes, the rest of its batch is released for another process', async () => {
    for (let i = 0; i < 5; i++) await enqueueJob(db, 'test.slow', { n: i }, { runAt: T0 });
    let release!: () => void;
    const started = new Promise<void>((resolve) => (release = resolve));
    const finished: number[] = [];
    const a = runner(db, {
      'test.slow': async (payload: { n: number }) => {
        release();
        await new Promise((resolve) => setTimeout(resolve, 50));
        finished.push(payload.n);
      },
    }, { batchSize: 5 });
    const pass = a.runDue(T0);
    await started;
    await a.stop();
    expect(await pass).toEqual({ ran: 1, failed: 0 });
    expect(finished).toHaveLength(1);
    const waiting = await db.query<{ n: number }>(`select count(*)::int as n from jobs where kind = 'test.slow' and done_at is null and claimed_by is null and attempts = 0`);
    expect(waiting[0].n).toBe(4);
    const b = runner(other, { 'test.slow': async (payload: { n: number }) => void finished.push(payload.n) });
    expect(await b.runDue(T0)).toEqual({ ran: 4, failed: 0 });
    expect(finished.sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('looks for due jobs on its own once started, until stopped', async () => {
    let runs = 0;
    const a = new JobRunner({ context: contextOf(db), handlers: { 'test.polled': async () => void runs++ }, intervalMs: 20 });
    await a.start();
    await enqueueJob(db, 'test.polled', {});
    for (let i = 0; i < 100 && runs === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    await a.stop();
    expect(runs).toBe(1);
    expect((await db.query(`select 1 from jobs where kind = 'sweep:platform.forget-done-jobs'`)).length).toBe(1);
  });

  it('forgets done jobs after 30 days', async () => {
    const old = (await enqueueJob(db, 'test.old', {}))!;
    const recent = (await enqueueJob(db, 'test.old', {}))!;
    await db.query('update jobs set done_at = $2 where id = $1', [old, seconds(-31 * 86_400)]);
    await db.query('update jobs set done_at = $2 where id = $1', [recent, seconds(-29 * 86_400)]);
    const a = runner(db, {});
    await a.ensureSweeps();
    await a.runDue(T0);
    expect(await jobRow(db, old)).toBeUndefined();
    expect(await jobRow(db, recent)).toBeDefined();
  });
});
