-- Innovation programmes and investment funds: programmes, ideas, teams, sessions, needs and offers,
-- investment cases, panel scoring, decisions within the fund, community votes, tests of change.
-- Money is integer pence (bigint), never floating point.

create table programmes (
  id uuid primary key,
  name text not null,
  purpose text not null default '',
  starts_on date,
  ends_on date,
  fund_pence bigint not null check (fund_pence >= 0),
  stage text not null default 'ideas_open'
    check (stage in ('ideas_open','teams_forming','development','investment_day','delivery','evaluation','closed')),
  -- Investment cases cannot be changed after this moment.
  case_deadline timestamptz,
  public_ideas boolean not null default true,
  -- Part of the fund put to a community vote (0 = no vote).
  vote_pot_pence bigint not null default 0 check (vote_pot_pence >= 0),
  vote_method text not null default 'approval' check (vote_method in ('approval','budget')),
  vote_max_choices integer not null default 3 check (vote_max_choices between 1 and 50),
  vote_open boolean not null default false,
  vote_applied_at timestamptz,
  organisation_id uuid references organisations(id),
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (vote_pot_pence <= fund_pence),
  check (ends_on is null or starts_on is null or ends_on >= starts_on)
);

create table programme_members (
  id uuid primary key,
  programme_id uuid not null references programmes(id) on delete cascade,
  user_id uuid not null references users(id) on delete cascade,
  organisation_id uuid references organisations(id),
  role text not null default 'participant' check (role in ('participant','panel')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (programme_id, user_id)
);
create index programme_members_user on programme_members (user_id);

create table programme_criteria (
  id uuid primary key,
  programme_id uuid not null references programmes(id) on delete cascade,
  name text not null,
  description text not null default '',
  weight integer not null check (weight between 1 and 10),
  position integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index programme_criteria_programme on programme_criteria (programme_id, position);

create table ideas (
  id uuid primary key,
  programme_id uuid not null references programmes(id) on delete cascade,
  title text not null,
  problem text not null,
  who_benefits text not null,
  idea text not null,
  rough_cost_pence bigint check (rough_cost_pence >= 0),
  how_we_know text not null,
  status text not null default 'submitted' check (status in ('awaiting_moderation','submitted','shortlisted','declined')),
  source text not null default 'participant' check (source in ('participant','public')),
  submitted_by uuid references users(id),
  submitter_name text,
  submitter_email text,
  organisation_id uuid references organisations(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index ideas_programme on ideas (programme_id, created_at);

create table idea_comments (
  id uuid primary key,
  idea_id uuid not null references ideas(id) on delete cascade,
  user_id uuid not null references users(id),
  body text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index idea_comments_idea on idea_comments (idea_id, created_at);

create table idea_supports (
  id uuid primary key,
  idea_id uuid not null references ideas(id) on delete cascade,
  user_id uuid not null references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (idea_id, user_id)
);

create table teams (
  id uuid primary key,
  programme_id uuid not null references programmes(id) on delete cascade,
  idea_id uuid not null unique references ideas(id),
  name text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index teams_programme on teams (programme_id);

create table team_members (
  id uuid primary key,
  team_id uuid not null references teams(id) on delete cascade,
  user_id uuid not null references users(id),
  organisation_id uuid references organisations(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (team_id, user_id)
);
create index team_members_user on team_members (user_id);

create table programme_sessions (
  id uuid primary key,
  programme_id uuid not null references programmes(id) on delete cascade,
  kind text not null check (kind in ('workshop','group_coaching','mentoring','support_group')),
  title text not null,
  starts_at timestamptz not null,
  location text not null default '',
  team_id uuid references teams(id),
  -- Sessions made together as a repeating series share this id.
  series_id uuid,
  notes text not null default '',
  held boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index programme_sessions_programme on programme_sessions (programme_id, starts_at);

create table session_attendance (
  id uuid primary key,
  session_id uuid not null references programme_sessions(id) on delete cascade,
  user_id uuid not null references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (session_id, user_id)
);

create table team_needs (
  id uuid primary key,
  programme_id uuid not null references programmes(id) on delete cascade,
  team_id uuid not null references teams(id) on delete cascade,
  title text not null,
  description text not null default '',
  status text not null default 'open' check (status in ('open','matched','met')),
  matched_offer_id uuid,
  met_at timestamptz,
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index team_needs_programme on team_needs (programme_id, status);

create table need_offers (
  id uuid primary key,
  need_id uuid not null references team_needs(id) on delete cascade,
  offered_by uuid references users(id),
  organisation_id uuid references organisations(id),
  description text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index need_offers_need on need_offers (need_id);
alter table team_needs add constraint team_needs_matched_offer foreign key (matched_offer_id) references need_offers(id);

create table investment_cases (
  id uuid primary key,
  programme_id uuid not null references programmes(id) on delete cascade,
  team_id uuid not null unique references teams(id),
  requested_pence bigint not null check (requested_pence > 0),
  summary text not null default '',
  outcomes text not null,
  evaluation_plan text not null,
  risks text not null,
  submitted_by uuid references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index investment_cases_programme on investment_cases (programme_id);

create table case_budget_lines (
  id uuid primary key,
  case_id uuid not null references investment_cases(id) on delete cascade,
  description text not null,
  amount_pence bigint not null check (amount_pence >= 0),
  position integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index case_budget_lines_case on case_budget_lines (case_id, position);

create table conflict_declarations (
  id uuid primary key,
  case_id uuid not null references investment_cases(id) on delete cascade,
  user_id uuid not null references users(id),
  conflicted boolean not null,
  reason text not null default '',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (case_id, user_id)
);

create table case_scores (
  id uuid primary key,
  case_id uuid not null references investment_cases(id) on delete cascade,
  user_id uuid not null references users(id),
  criterion_id uuid not null references programme_criteria(id) on delete cascade,
  score integer not null check (score between 0 and 5),
  comment text not null default '',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (case_id, user_id, criterion_id)
);
create index case_scores_case on case_scores (case_id);

-- The database itself refuses a score from someone who declared a conflict on that case.
create function case_scores_no_conflict() returns trigger language plpgsql as $$
begin
  if exists (select 1 from conflict_declarations where case_id = new.case_id and user_id = new.user_id and conflicted) then
    raise exception 'a panel member who declared a conflict of interest cannot score this case' using errcode = 'check_violation';
  end if;
  return new;
end $$;
create trigger case_scores_conflict before insert or update on case_scores
  for each row execute function case_scores_no_conflict();

create table investment_decisions (
  id uuid primary key,
  programme_id uuid not null references programmes(id) on delete cascade,
  case_id uuid not null unique references investment_cases(id) on delete cascade,
  outcome text not null check (outcome in ('fund_full','fund_part','not_now')),
  awarded_pence bigint not null check (awarded_pence >= 0),
  feedback text not null,
  source text not null default 'panel' check (source in ('panel','community_vote')),
  decided_by uuid references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((outcome = 'not_now') = (awarded_pence = 0))
);
create index investment_decisions_programme on investment_decisions (programme_id);

-- The total awarded can never exceed the fund. The programme row is locked first, so two
-- decisions saved at the same moment are checked one after the other.
create function investment_decisions_within_fund() returns trigger language plpgsql as $$
declare
  fund bigint;
  awarded bigint;
begin
  select fund_pence into fund from programmes where id = new.programme_id for update;
  select coalesce(sum(awarded_pence), 0) into awarded from investment_decisions where programme_id = new.programme_id;
  if awarded > fund then
    raise exception 'the total awarded (% pence) would exceed the fund (% pence)', awarded, fund using errcode = 'check_violation';
  end if;
  return null;
end $$;
create constraint trigger investment_decisions_fund after insert or update on investment_decisions
  for each row execute function investment_decisions_within_fund();

create table vote_ballots (
  id uuid primary key,
  programme_id uuid not null references programmes(id) on delete cascade,
  user_id uuid not null references users(id),
  case_ids uuid[] not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (programme_id, user_id)
);

create table projects (
  id uuid primary key,
  programme_id uuid not null references programmes(id) on delete cascade,
  case_id uuid not null unique references investment_cases(id),
  title text not null,
  end_decision text check (end_decision in ('scale','adapt','stop')),
  learning text not null default '',
  ended_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index projects_programme on projects (programme_id);

create table project_milestones (
  id uuid primary key,
  project_id uuid not null references projects(id) on delete cascade,
  title text not null,
  due_on date not null,
  done_on date,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index project_milestones_project on project_milestones (project_id, due_on);

create table project_updates (
  id uuid primary key,
  project_id uuid not null references projects(id) on delete cascade,
  progress_percent integer not null check (progress_percent between 0 and 100),
  summary text not null,
  risks text not null default '',
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index project_updates_project on project_updates (project_id, created_at desc);

create table evaluation_measures (
  id uuid primary key,
  project_id uuid not null references projects(id) on delete cascade,
  name text not null,
  unit text not null default '',
  baseline numeric not null,
  target numeric,
  result numeric,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index evaluation_measures_project on evaluation_measures (project_id);
