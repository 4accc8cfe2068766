/**
 * Background work (reminders, periodic sweeps) as rows of the `jobs` table, run by the job runner
 * (runner.ts) in whichever app process claims them first. A module declares what it can run on its
 * AppModule (`jobs`, `sweeps`) and enqueues from its service, inside its own transaction:
 *
 *   await enqueueJob(tx, 'social-prescribing.referral-reminder', { referralId }, { runAt, key: `referral-reminder:${referralId}` });
 */
import crypto from 'node:crypto';
import type { Config } from '../config.ts';
import type { Database, Queryable } from '../db/database.ts';
import type { Mailer } from '../mailer.ts';

/** What a handler may use: the same database, mailer and configuration the routes have. */
export type JobContext = { db: Database; mailer: Mailer; config: Config };

/** One run of a job: the context, the runner's clock, and which job and attempt this is. */
export type JobRun = JobContext & { now: Date; job: { id: string; kind: string; attempt: number } };

/**
 * Runs one job. It is claimed before it starts, so no other process runs it at the same time; if
 * it throws, it is tried again later (with a growing wait), up to the job's maximum attempts.
 */
export type JobHandler<P = Record<string, unknown>> = (payload: P, run: JobRun) => Promise<void>;

/** Handlers by kind; a kind is named `<module>.<what>` ('social-prescribing.referral-reminder'). */
export type JobHandlers = Record<string, JobHandler<never>>;

/**
 * Work done every so often, wherever it is due, by one process at a time: typically "find the
 * records whose reminder is due and send (or enqueue) them", so reminders follow from the data.
 */
export type Sweep = { everySeconds: number; run: (run: JobRun) => Promise<void> };
export type Sweeps = Record<string, Sweep>;

export type EnqueueOptions = {
  /** When it may run; now when not given. */
  runAt?: Date;
  /** Enqueuing the same key again does nothing (and returns null): one reminder per referral. */
  key?: string;
  maxAttempts?: number;
};

/**
 * Adds a job. Pass the transaction that made the change the job follows from, so both commit
 * together. Returns the job's id, or null when a job with the same key already exists.
 */
export async function enqueueJob(db: Queryable, kind: string, payload: Record<string, unknown> = {}, options: EnqueueOptions = {}): Promise<string | null> {
  const rows = await db.query<{ id: string }>(
    `insert into jobs (id, kind, payload, unique_key, run_at, max_attempts)
     values ($1, $2, $3::jsonb, $4, coalesce($5::timestamptz, now()), $6)
     on conflict (unique_key) do nothing
     returning id`,
    [crypto.randomUUID(), kind, JSON.stringify(payload), options.key ?? null, options.runAt ?? null, options.maxAttempts ?? 10],
  );
  return rows[0]?.id ?? null;
}
