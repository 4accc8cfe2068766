-- Social prescribing: people (not users), consent, referrals in, cases, contacts, follow-ups,
-- plans, onward referrals to community organisations, outcome measures and outreach cohorts.
-- Every person belongs to the PCN whose link worker team may see them.

create table sp_people (
  id uuid primary key,
  pcn_id uuid not null references organisations(id),
  gp_practice_id uuid references organisations(id),
  given_name text not null,
  family_name text not null,
  date_of_birth date,
  nhs_number text,
  address text,
  postcode text,
  phone text,
  email text,
  preferred_contact text not null default 'phone' check (preferred_contact in ('phone','text','email','letter')),
  communication_needs text,
  what_matters text,
  what_matters_recorded_on date,
  anonymised_at timestamptz,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index sp_people_pcn on sp_people (pcn_id);
create index sp_people_nhs on sp_people (nhs_number) where nhs_number is not null;
create index sp_people_match on sp_people (lower(family_name), date_of_birth);

create table sp_consents (
  id uuid primary key,
  person_id uuid not null references sp_people(id) on delete cascade,
  kind text not null check (kind in ('contact','share_with_organisation','share_outcomes_with_gp')),
  organisation_id uuid references organisations(id),
  fields text[] not null default '{}',     -- for sharing: which details the organisation may see
  given boolean not null default true,
  recorded_on date not null,
  recorded_by uuid references users(id),
  recorded_by_name text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index sp_consents_person on sp_consents (person_id);

create table sp_referrals (
  id uuid primary key,
  person_id uuid not null references sp_people(id) on delete cascade,
  pcn_id uuid not null references organisations(id),
  source text not null check (source in ('gp','other_organisation','self')),
  referrer_organisation_id uuid references organisations(id),
  referrer_user_id uuid references users(id),
  referrer_name text,
  reasons uuid[] not null default '{}',     -- needs taxonomy ids
  notes text,
  received_on date not null,
  status text not null default 'new' check (status in ('new','accepted','declined')),
  decline_reason text check (decline_reason in ('person_declined','not_eligible','could_not_contact')),
  snomed_code text,
  triaged_by uuid references users(id),
  triaged_on date,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index sp_referrals_pcn on sp_referrals (pcn_id, status, received_on);
create index sp_referrals_person on sp_referrals (person_id);

create table sp_cases (
  id uuid primary key,
  person_id uuid not null references sp_people(id) on delete cascade,
  referral_id uuid references sp_referrals(id),
  pcn_id uuid not null references organisations(id),
  link_worker_id uuid references users(id),
  status text not null default 'new' check (status in ('new','contacting','active','on_hold','closed')),
  closed_reason text,
  opened_on date not null,
  closed_on date,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index sp_cases_worker on sp_cases (link_worker_id, status);
create index sp_cases_pcn on sp_cases (pcn_id, status);
create index sp_cases_person on sp_cases (person_id);

create table sp_contacts (
  id uuid primary key,
  case_id uuid references sp_cases(id) on delete cascade,
  person_id uuid references sp_people(id) on delete cascade,   -- null for a cohort call to someone with no case
  cohort_member_id uuid,
  method text not null check (method in ('phone','video','face_to_face','home_visit')),
  outcome text not null check (outcome in ('attempted','made')),
  contacted_on date not null,
  duration_minutes integer check (duration_minutes between 0 and 600),
  notes text,
  recorded_by uuid references users(id),
  recorded_by_name text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index sp_contacts_case on sp_contacts (case_id, contacted_on desc);
create index sp_contacts_person on sp_contacts (person_id);

create table sp_follow_ups (
  id uuid primary key,
  case_id uuid not null references sp_cases(id) on delete cascade,
  description text not null,
  due_on date not null,
  repeats_weekly boolean not null default false,
  status text not null default 'open' check (status in ('open','done','stopped')),
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index sp_follow_ups_case on sp_follow_ups (case_id, status);
create index sp_follow_ups_due on sp_follow_ups (status, due_on);

create table sp_goals (
  id uuid primary key,
  case_id uuid not null references sp_cases(id) on delete cascade,
  in_their_words text not null,
  status text not null default 'working_on' check (status in ('working_on','achieved','dropped')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index sp_goals_case on sp_goals (case_id);

create table sp_plan_actions (
  id uuid primary key,
  case_id uuid not null references sp_cases(id) on delete cascade,
  action text not null,
  who text not null,
  due_on date,
  done_on date,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index sp_plan_actions_case on sp_plan_actions (case_id);

create table sp_onward_referrals (
  id uuid primary key,
  case_id uuid not null references sp_cases(id) on delete cascade,
  person_id uuid not null references sp_people(id) on delete cascade,
  kind text not null check (kind in ('signpost','refer')),
  service_id uuid,
  service_name text not null,
  organisation_id uuid references organisations(id),
  organisation_name text not null,
  shared_details jsonb not null default '{}'::jsonb,  -- only what the person consented to share
  notes text,
  sent_on date not null,
  status text not null default 'sent' check (status in ('given','sent','accepted','declined')),
  response_reason text,
  responded_on date,
  responded_by uuid references users(id),
  reminder_sent_at timestamptz,
  attendance text check (attendance in ('started','attending','stopped','did_not_attend')),
  attendance_on date,
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index sp_onward_case on sp_onward_referrals (case_id);
create index sp_onward_org on sp_onward_referrals (organisation_id, status, sent_on);

create table sp_measure_definitions (
  id uuid primary key,
  code text not null unique,
  name text not null,
  questions jsonb not null,          -- [{ text, min, max }]
  conversion jsonb not null,         -- [{ raw, score }]; empty means the raw total is the score
  loaded_by uuid references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table sp_measurements (
  id uuid primary key,
  case_id uuid not null references sp_cases(id) on delete cascade,
  person_id uuid not null references sp_people(id) on delete cascade,
  measure text not null,             -- 'ons4', 'ucla3' or a loaded definition's code
  stage text not null check (stage in ('start','review','end')),
  taken_on date not null,
  answers integer[] not null,
  score numeric,                     -- the total (UCLA) or converted score; null for ONS4 (reported per question)
  recorded_by uuid references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index sp_measurements_case on sp_measurements (case_id, measure, taken_on);

create table sp_cohorts (
  id uuid primary key,
  pcn_id uuid not null references organisations(id),
  name text not null,
  description text,
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index sp_cohorts_pcn on sp_cohorts (pcn_id);

create table sp_cohort_members (
  id uuid primary key,
  cohort_id uuid not null references sp_cohorts(id) on delete cascade,
  row_number integer not null,
  given_name text not null,
  family_name text not null,
  date_of_birth date,
  nhs_number text,
  phone text,
  postcode text,
  gp_practice_id uuid references organisations(id),
  outcome text check (outcome in ('no_answer','no_needs','needs_support','declined')),
  attempts integer not null default 0,
  last_called_on date,
  called_by uuid references users(id),
  person_id uuid references sp_people(id),
  case_id uuid references sp_cases(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index sp_cohort_members_cohort on sp_cohort_members (cohort_id, row_number);
