-- Grants from award to signed closure: funds, grants, budget lines and their versions, tranches,
-- reports and spend returns, late changes, closure letters and signatures; 360Giving in and out.
-- Money is integer pence (bigint), never floating point.

-- A new role: grants managers set up funds, award grants and approve payments.
alter table memberships drop constraint memberships_role_check;
alter table memberships add constraint memberships_role_check
  check (role in ('partnership_admin','organisation_editor','link_worker','programme_manager','panel_member','analyst','ig_lead','grants_manager'));

create table grant_funds (
  id uuid primary key,
  funder_organisation_id uuid not null references organisations(id),
  name text not null,
  total_pence bigint not null check (total_pence > 0),
  opens_on date not null,
  closes_on date not null,
  programmes text[] not null default '{}',
  -- The funder's own closing day, when it is spending out; grants end a number of months before it.
  spend_out_on date,
  end_months_before_spend_out integer not null default 6 check (end_months_before_spend_out between 0 and 36),
  -- Releasing a tranche above this needs a second grants manager's approval.
  approval_threshold_pence bigint not null default 0 check (approval_threshold_pence >= 0),
  -- A late move of money between budget lines this small (both limits) is approved by one manager.
  late_move_percent integer not null default 10 check (late_move_percent between 0 and 100),
  late_move_max_pence bigint not null default 0 check (late_move_max_pence >= 0),
  late_window_months integer not null default 3 check (late_window_months between 0 and 24),
  letter_template text not null default '',
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (closes_on >= opens_on)
);
create index grant_funds_funder on grant_funds (funder_organisation_id);

create table grants (
  id uuid primary key,
  fund_id uuid not null references grant_funds(id),
  -- The part of the 360Giving identifier after the publisher prefix.
  reference text not null unique check (reference ~ '^[A-Za-z0-9-]+$'),
  recipient_organisation_id uuid not null references organisations(id),
  title text not null check (length(title) between 1 and 139),
  description text not null,
  amount_pence bigint not null check (amount_pence > 0),
  award_date date not null,
  planned_start date not null,
  planned_end date not null,
  programme text not null default '',
  conditions text not null default '',
  classifications text[] not null default '{}',
  stage text not null default 'awarded' check (stage in ('awarded','in_delivery','closing','closed')),
  publish boolean not null default true,
  investment_decision_id uuid unique references investment_decisions(id),
  underspend_pence bigint not null default 0 check (underspend_pence >= 0),
  underspend_outcome text check (underspend_outcome in ('returned','reallocated')),
  closed_at timestamptz,
  version integer not null default 1,
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (planned_end >= planned_start)
);
create index grants_fund on grants (fund_id, stage);
create index grants_recipient on grants (recipient_organisation_id);

-- The total awarded from a fund can never exceed it. The fund row is locked first, so two
-- grants saved at the same moment are checked one after the other.
create function grants_within_fund() returns trigger language plpgsql as $$
declare
  fund bigint;
  awarded bigint;
begin
  select total_pence into fund from grant_funds where id = new.fund_id for update;
  select coalesce(sum(amount_pence), 0) into awarded from grants where fund_id = new.fund_id;
  if awarded > fund then
    raise exception 'the total awarded (% pence) would exceed the fund (% pence)', awarded, fund using errcode = 'check_violation';
  end if;
  return null;
end $$;
create constraint trigger grants_fund after insert or update of amount_pence, fund_id on grants
  for each row execute function grants_within_fund();

create table grant_locations (
  id uuid primary key,
  grant_id uuid not null references grants(id) on delete cascade,
  name text not null,
  geo_code text not null,
  geo_code_type text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index grant_locations_grant on grant_locations (grant_id);

create table grant_budget_lines (
  id uuid primary key,
  grant_id uuid not null references grants(id) on delete cascade,
  description text not null,
  amount_pence bigint not null check (amount_pence >= 0),
  position integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index grant_budget_lines_grant on grant_budget_lines (grant_id, position);

-- Every version of the budget and end date, kept: the award, then each approved change.
create table grant_budget_versions (
  id uuid primary key,
  grant_id uuid not null references grants(id) on delete cascade,
  version integer not null,
  lines jsonb not null,
  planned_end date not null,
  reason text not null,
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (grant_id, version)
);

create table grant_tranches (
  id uuid primary key,
  grant_id uuid not null references grants(id) on delete cascade,
  position integer not null,
  amount_pence bigint not null check (amount_pence > 0),
  due_on date not null,
  condition text not null default '',
  status text not null default 'scheduled' check (status in ('scheduled','awaiting_approval','approved','paid')),
  released_by uuid references users(id),
  approved_by uuid references users(id),
  paid_on date,
  payment_reference text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((status = 'paid') = (paid_on is not null and payment_reference is not null)),
  check (approved_by is null or released_by is null or approved_by <> released_by)
);
create index grant_tranches_grant on grant_tranches (grant_id, position);

-- A payment schedule adds up exactly to the award, checked when the transaction commits.
create function grant_tranches_add_up() returns trigger language plpgsql as $$
declare
  gid uuid;
  award bigint;
  scheduled bigint;
  n integer;
begin
  gid := coalesce(new.grant_id, old.grant_id);
  select amount_pence into award from grants where id = gid;
  if award is null then return null; end if;
  select coalesce(sum(amount_pence), 0), count(*) into scheduled, n from grant_tranches where grant_id = gid;
  if n > 0 and scheduled <> award then
    raise exception 'the tranches (% pence) do not add up to the award (% pence)', scheduled, award using errcode = 'check_violation';
  end if;
  return null;
end $$;
create constraint trigger grant_tranches_sum after insert or update or delete on grant_tranches
  deferrable initially deferred for each row execute function grant_tranches_add_up();

create table grant_reports (
  id uuid primary key,
  grant_id uuid not null references grants(id) on delete cascade,
  kind text not null check (kind in ('progress','spend_return','final')),
  due_on date not null,
  status text not null default 'due' check (status in ('due','submitted','accepted')),
  narrative text not null default '',
  submitted_by uuid references users(id),
  submitted_at timestamptz,
  reviewed_by uuid references users(id),
  reviewed_at timestamptz,
  -- Claimed before the email goes, so it goes once; the outcome says whether a mail server took it.
  reminder_before_sent_at timestamptz,
  reminder_before_outcome text check (reminder_before_outcome in ('sent','not_sent')),
  reminder_overdue_sent_at timestamptz,
  reminder_overdue_outcome text check (reminder_overdue_outcome in ('sent','not_sent')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index grant_reports_grant on grant_reports (grant_id, due_on);
create index grant_reports_due on grant_reports (due_on) where status = 'due';

create table grant_report_spend (
  id uuid primary key,
  report_id uuid not null references grant_reports(id) on delete cascade,
  budget_line_id uuid not null references grant_budget_lines(id) on delete cascade,
  spent_pence bigint not null check (spent_pence >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (report_id, budget_line_id)
);

create table grant_change_requests (
  id uuid primary key,
  grant_id uuid not null references grants(id) on delete cascade,
  kind text not null check (kind in ('move','extend')),
  from_line_id uuid references grant_budget_lines(id),
  to_line_id uuid references grant_budget_lines(id),
  amount_pence bigint check (amount_pence > 0),
  new_end_on date,
  reason text not null,
  status text not null default 'pending' check (status in ('pending','approved','declined')),
  decision_reason text,
  -- A change larger than the fund's late-move limits needs two grants managers: the first approval waits here.
  first_approved_by uuid references users(id),
  decided_by uuid references users(id),
  decided_at timestamptz,
  requested_by uuid references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((kind = 'move') = (from_line_id is not null and to_line_id is not null and amount_pence is not null)),
  check ((kind = 'extend') = (new_end_on is not null))
);
create index grant_change_requests_grant on grant_change_requests (grant_id, created_at);

create table grant_closures (
  grant_id uuid primary key references grants(id) on delete cascade,
  final_report_reviewed boolean not null default false,
  spend_reconciled boolean not null default false,
  meeting_notes text not null default '',
  intellectual_property text not null default '',
  personal_data text not null default '',
  communications text not null default '',
  assets text not null default '',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table grant_letter_versions (
  id uuid primary key,
  grant_id uuid not null references grants(id) on delete cascade,
  version integer not null,
  body text not null,
  -- SHA-256 of the body: what a signature names.
  fingerprint text not null check (fingerprint ~ '^[0-9a-f]{64}$'),
  note text not null default '',
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (grant_id, version)
);

create table grant_letter_comments (
  id uuid primary key,
  version_id uuid not null references grant_letter_versions(id) on delete cascade,
  user_id uuid references users(id),
  body text not null,
  suggested_text text not null default '',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index grant_letter_comments_version on grant_letter_comments (version_id, created_at);

create table grant_letter_signatures (
  id uuid primary key,
  version_id uuid not null references grant_letter_versions(id) on delete cascade,
  party text not null check (party in ('funder','grantee')),
  typed_name text not null,
  signer_role text not null,
  signed_on date not null,
  fingerprint text not null,
  user_id uuid not null references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (version_id, party)
);

-- Other funders' 360Giving data, read in: one row per grant.
create table external_grants (
  id uuid primary key,
  identifier text not null unique,
  title text not null,
  description text not null default '',
  amount_pence bigint not null,
  award_date date not null,
  funder_identifier text not null,
  funder_name text not null,
  recipient_identifier text,
  recipient_name text,
  charity_number text,
  company_number text,
  programme text not null default '',
  geo_codes text[] not null default '{}',
  classifications text[] not null default '{}',
  matched_organisation_id uuid references organisations(id),
  imported_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index external_grants_matched on external_grants (matched_organisation_id);
create index external_grants_funder on external_grants (funder_identifier);
