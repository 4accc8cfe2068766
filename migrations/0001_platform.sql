-- Platform: extensions, organisations (shared by every module), people who sign in, sessions, audit.
create extension if not exists pg_trgm;
create extension if not exists cube;
create extension if not exists earthdistance;

create table organisations (
  id uuid primary key,
  name text not null,
  description text not null default '',
  kind text not null default 'community_group',
  email text,
  website text,
  logo text,
  parent_organisation_id uuid references organisations(id),
  postcode text,
  merged_into_id uuid references organisations(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  last_reviewed_at timestamptz not null default now()
);
create index organisations_name_trgm on organisations using gin (name gin_trgm_ops);
create index organisations_parent on organisations (parent_organisation_id);

create table users (
  id uuid primary key,
  name text not null,
  email text not null,
  password_hash text,
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index users_email on users (lower(email));

create table memberships (
  id uuid primary key,
  user_id uuid not null references users(id) on delete cascade,
  organisation_id uuid not null references organisations(id),
  role text not null check (role in ('partnership_admin','organisation_editor','link_worker','programme_manager','panel_member','analyst','ig_lead')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (user_id, organisation_id, role)
);
create index memberships_org on memberships (organisation_id);

create table sessions (
  id uuid primary key,
  token_hash text not null unique,
  user_id uuid not null references users(id) on delete cascade,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sessions_user on sessions (user_id);

create table one_time_links (
  id uuid primary key,
  purpose text not null check (purpose in ('invitation','password_reset')),
  token_hash text not null unique,
  email text not null,
  name text,
  organisation_id uuid references organisations(id),
  role text,
  user_id uuid references users(id) on delete cascade,
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);

create table api_tokens (
  id uuid primary key,
  user_id uuid not null references users(id) on delete cascade,
  name text not null,
  token_hash text not null unique,
  token_hint text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);

create table sign_in_failures (
  id uuid primary key,
  email text not null,
  ip text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index sign_in_failures_email on sign_in_failures (lower(email), created_at);
create index sign_in_failures_ip on sign_in_failures (ip, created_at);

create table audit_log (
  id uuid primary key,
  at timestamptz not null default now(),
  actor_user_id uuid,
  actor_name text,
  action text not null,
  record_type text not null,
  record_id text,
  ip text,
  details jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index audit_log_at on audit_log (at desc);
create index audit_log_record on audit_log (record_type, record_id, at desc);
create index audit_log_actor on audit_log (actor_user_id, at desc);

-- Append-only: the log cannot be edited or deleted through SQL.
create function audit_log_is_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'the audit log is append-only';
end $$;
create trigger audit_log_no_update before update or delete on audit_log
  for each row execute function audit_log_is_append_only();
