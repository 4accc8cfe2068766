-- Each case's moderation figures (weighted mean, spread, outlying scores), kept up to date as the
-- panel scores, so the moderation view of hundreds of cases reads one short row per case.
create table case_moderation (
  case_id uuid primary key references investment_cases(id) on delete cascade,
  programme_id uuid not null references programmes(id) on delete cascade,
  scorers integer not null default 0,
  weighted_mean double precision,
  spread double precision,
  lowest double precision,
  highest double precision,
  outliers jsonb not null default '[]'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index case_moderation_programme on case_moderation (programme_id);
