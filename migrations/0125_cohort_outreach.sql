-- Outreach cohorts shared between link workers: who is calling whom, every call with its
-- outcome and the needs found, weekly wellbeing calls, and a version for edits two people make.

alter table sp_cohort_members
  add column assigned_to uuid references users(id),
  add column version integer not null default 1,
  add column weekly_call boolean not null default false,
  add column next_call_on date;

create index sp_cohort_members_assigned on sp_cohort_members (assigned_to, next_call_on) where assigned_to is not null;

create table sp_cohort_calls (
  id uuid primary key,
  cohort_id uuid not null references sp_cohorts(id) on delete cascade,
  member_id uuid not null references sp_cohort_members(id) on delete cascade,
  called_on date not null,
  outcome text not null check (outcome in ('no_answer','no_needs','needs_support','declined')),
  -- Codes of the needs found on the call (see cohorts/call-needs.ts), each mapped to the directory's needs.
  needs text[] not null default '{}',
  notes text,
  weekly_call boolean not null default false,
  called_by uuid references users(id),
  called_by_name text,
  created_at timestamptz not null default now()
);
create index sp_cohort_calls_member on sp_cohort_calls (member_id, created_at desc);
create index sp_cohort_calls_cohort on sp_cohort_calls (cohort_id);

-- Calls made before this table: one call each, on the day last called, by whoever called.
insert into sp_cohort_calls (id, cohort_id, member_id, called_on, outcome, called_by, called_by_name)
select gen_random_uuid(), m.cohort_id, m.id, m.last_called_on, m.outcome, m.called_by, u.name
  from sp_cohort_members m left join users u on u.id = m.called_by
 where m.outcome is not null and m.last_called_on is not null;
