-- One queue of background work (reminders, sweeps) that several app processes share safely.
-- A process claims a due row (claimed_by, claimed_until) in one UPDATE … FOR UPDATE SKIP LOCKED
-- before running it, so each job runs once; a claim whose lease has passed (the process died) is
-- taken again. A sweep is a row that is never done: after each run it is due again later.
create table jobs (
  id uuid primary key,
  kind text not null,
  payload jsonb not null default '{}'::jsonb,
  -- Enqueuing the same key twice keeps the first (one reminder per referral, one row per sweep).
  unique_key text unique,
  run_at timestamptz not null default now(),
  claimed_by text,
  claimed_until timestamptz,
  attempts integer not null default 0,
  max_attempts integer not null default 10,
  last_error text,
  done_at timestamptz,
  -- Gave up after max_attempts: kept for an admin to read, never run again.
  failed_at timestamptz,
  created_at timestamptz not null default now()
);

create index jobs_due on jobs (run_at) where done_at is null and failed_at is null;
