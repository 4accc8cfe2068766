-- A team's investment case saved as a draft: kept apart from investment_cases, so nothing that
-- scores, moderates, decides or votes can see a case before the team submits it.
create table investment_case_drafts (
  team_id uuid primary key references teams(id) on delete cascade,
  programme_id uuid not null references programmes(id) on delete cascade,
  fields jsonb not null,
  saved_by uuid references users(id),
  saved_at timestamptz not null default now()
);
