import crypto from 'node:crypto';
import os from 'node:os';
import type { Database } from '../db/database.ts';
import type { JobContext, JobHandlers, JobRun, Sweeps } from './jobs.ts';

export type JobRunnerOptions = {
  context: JobContext;
  handlers?: JobHandlers;
  sweeps?: Sweeps;
  /** How often to look for due jobs once started. */
  intervalMs?: number;
  /** How long a claim lasts: a claim older than this belonged to a process that died, and is taken again. */
  leaseMs?: number;
  /** How many jobs one claim takes. */
  batchSize?: number;
  /** The runner's clock (tests move it on). */
  clock?: () => Date;
  log?: { error(details: object, message: string): void };
};

type Claimed = { id: string; kind: string; payload: Record<string, unknown>; attempts: number; maxAttempts: number; runAt: Date };

const SWEEP = 'sweep:';
const FIRST_RETRY_SECONDS = 30;
const LONGEST_RETRY_SECONDS = 3600;
const KEEP_DONE_DAYS = 30;

/** The wait before attempt n + 1: 30 s, 1 min, 2 min … at most an hour. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(FIRST_RETRY_SECONDS * 2 ** Math.max(0, attempts - 1), LONGEST_RETRY_SECONDS);
}

/**
 * Runs due jobs from the `jobs` table, safely beside other processes on the same database: a job
 * is claimed (one UPDATE over rows chosen FOR UPDATE SKIP LOCKED) before its handler runs, so each
 * runs once; done jobs are marked done, failed ones tried again later, and claims whose lease has
 * passed (their process died) are taken again. The same SQL runs on PGlite, which has one
 * connection and so never contends.
 */
export class JobRunner {
  /** This process's name on the rows it claims. */
  readonly id = `${os.hostname()}:${process.pid}:${crypto.randomUUID().slice(0, 8)}`;
  private readonly db: Database;
  private readonly handlers: JobHandlers;
  private readonly sweeps: Sweeps;
  private readonly kinds: string[];
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<unknown> | undefined;
  private stopping = false;

  constructor(private readonly options: JobRunnerOptions) {
    this.db = options.context.db;
    this.handlers = options.handlers ?? {};
    this.sweeps = {
      ...options.sweeps,
      // Done jobs are kept a while for reading, then forgotten.
      'platform.forget-done-jobs': { everySeconds: 6 * 3600, run: async ({ db, now }) => void (await db.query(`delete from jobs where done_at < $1::timestamptz - interval '${KEEP_DONE_DAYS} days'`, [now])) },
    };
    this.kinds = [...Object.keys(this.handlers), ...Object.keys(this.sweeps).map((name) => SWEEP + name)];
  }

  private now(): Date {
    return this.options.clock?.() ?? new Date();
  }

  /** Makes sure each sweep has its row, then looks for due jobs every intervalMs until stop(). */
  async start(): Promise<void> {
    this.stopping = false;
    await this.ensureSweeps();
    this.timer = setInterval(() => this.tick(), this.options.intervalMs ?? 30_000);
    this.timer.unref();
    this.tick();
  }

  /** Stops looking, and waits for the job in hand to finish; jobs claimed but not begun are released. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.pass;
  }

  private tick(): void {
    if (this.pass || this.stopping) return;
    this.pass = this.runDue()
      .catch((error) => this.options.log?.error({ err: error }, 'the job runner could not read the jobs table'))
      .finally(() => (this.pass = undefined));
  }

  /** Each sweep's row, due now if new. Safe to call from every process at once. */
  async ensureSweeps(): Promise<void> {
    for (const name of Object.keys(this.sweeps)) {
      await this.db.query(
        `insert into jobs (id, kind, unique_key, run_at, max_attempts) values ($1, $2, $2, $3, 2147483647)
         on conflict (unique_key) do nothing`,
        [crypto.randomUUID(), SWEEP + name, this.now()],
      );
    }
  }

  /** Runs every job due at `now`, a batch at a time, until none is left; returns how many ran and failed. */
  async runDue(now: Date = this.now()): Promise<{ ran: number; failed: number }> {
    let ran = 0;
    let failed = 0;
    while (!this.stopping) {
      const batch = await this.claim(now);
      if (!batch.length) break;
      for (const [index, job] of batch.entries()) {
        if (this.stopping) {
          await this.release(batch.slice(index).map((j) => j.id));
          break;
        }
        if (await this.runOne(job, now)) ran++;
        else failed++;
      }
    }
    return { ran, failed };
  }

  private async claim(now: Date): Promise<Claimed[]> {
    if (!this.kinds.length) return [];
    const rows = await this.db.query<Claimed>(
      `update jobs set claimed_by = $1, claimed_until = $2::timestamptz + make_interval(secs => $3::double precision), attempts = attempts + 1
        where id in (
          select id from jobs
           where done_at is null and failed_at is null and run_at <= $2::timestamptz
             and (claimed_until is null or claimed_until < $2::timestamptz)
             and kind = any($4::text[])
           order by run_at, id
           limit $5
           for update skip locked)
        returning id, kind, payload, attempts, max_attempts as "maxAttempts", run_at as "runAt"`,
      [this.id, now, (this.options.leaseMs ?? 5 * 60_000) / 1000, this.kinds, this.options.batchSize ?? 10],
    );
    return rows.sort((a, b) => new Date(a.runAt).getTime() - new Date(b.runAt).getTime());
  }

  private async release(ids: string[]): Promise<void> {
    if (!ids.length) return;
    await this.db.query(`update jobs set claimed_by = null, claimed_until = null, attempts = attempts - 1 where id = any($1::uuid[]) and claimed_by = $2`, [ids, this.id]);
  }

  private async runOne(job: Claimed, now: Date): Promise<boolean> {
    const run: JobRun = { ...this.options.context, now, job: { id: job.id, kind: job.kind, attempt: job.attempts } };
    const sweep = job.kind.startsWith(SWEEP) ? this.sweeps[job.kind.slice(SWEEP.length)] : undefined;
    try {
      if (sweep) await sweep.run(run);
      else await this.handlers[job.kind](job.payload as never, run);
    } catch (error) {
      this.options.log?.error({ err: error, jobId: job.id, kind: job.kind, attempt: job.attempts }, 'a job failed; it will be tried again');
      const message = error instanceof Error ? error.message : String(error);
      const giveUp = !sweep && job.attempts >= job.maxAttempts;
      const wait = sweep ? Math.min(retryDelaySeconds(job.attempts), sweep.everySeconds) : retryDelaySeconds(job.attempts);
      await this.db.query(
        `update jobs set claimed_by = null, claimed_until = null, last_error = $3,
                run_at = case when $4 then run_at else $5::timestamptz + make_interval(secs => $6::double precision) end,
                failed_at = case when $4 then $5::timestamptz else null end
          where id = $1 and claimed_by = $2`,
        [job.id, this.id, message.slice(0, 2000), giveUp, now, wait],
      );
      return false;
    }
    if (sweep) {
      await this.db.query(
        `update jobs set claimed_by = null, claimed_until = null, attempts = 0, last_error = null, run_at = $3::timestamptz + make_interval(secs => $4::double precision)
          where id = $1 and claimed_by = $2`,
        [job.id, this.id, now, sweep.everySeconds],
      );
    } else {
      await this.db.query(`update jobs set claimed_by = null, claimed_until = null, last_error = null, done_at = $3 where id = $1 and claimed_by = $2`, [job.id, this.id, now]);
    }
    return true;
  }
}
