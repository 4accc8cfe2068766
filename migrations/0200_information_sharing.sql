-- Information sharing: organisations' assurance, the overarching protocol (tier 1), agreements
-- for a purpose (tier 2) with their parties, flows and signatures, review reminders, DPIAs, and a
-- generation number that tells every process its cache of active agreements is out of date.

create table is_assurance (
  organisation_id uuid primary key references organisations(id) on delete cascade,
  ico_registration text,
  dspt_status text check (dspt_status in ('standards_met','approaching_standards','not_met')),
  dspt_year text,
  dpo_name text,
  caldicott_guardian_name text,
  siro_name text,
  ig_lead_name text,
  senior_signatory_user_id uuid references users(id),
  submitted_at timestamptz,
  version int not null default 1,
  updated_at timestamptz not null default now()
);

create table is_protocols (
  id uuid primary key,
  version int not null unique,
  title text not null,
  body text not null,
  published_at timestamptz not null default now(),
  published_by uuid references users(id)
);

create table is_protocol_signatures (
  organisation_id uuid not null references organisations(id) on delete cascade,
  protocol_id uuid not null references is_protocols(id),
  signed_by uuid not null references users(id),
  signed_by_name text not null,
  signed_at timestamptz not null default now(),
  primary key (organisation_id, protocol_id)
);

create table is_agreements (
  id uuid primary key,
  title text not null,
  purpose text not null,
  benefits text,
  uses text[] not null default '{}',
  retention text,
  security text,
  rights_requests text,
  rights_contact text,
  breach_procedure text,
  start_on date,
  review_on date,
  end_on date,
  fingerprint text not null,
  version int not null default 1,
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table is_agreement_parties (
  agreement_id uuid not null references is_agreements(id) on delete cascade,
  organisation_id uuid not null references organisations(id),
  role text not null check (role in ('controller','joint_controller','processor')),
  primary key (agreement_id, organisation_id)
);
create index is_agreement_parties_org on is_agreement_parties (organisation_id);

create table is_flows (
  id uuid primary key,
  agreement_id uuid not null references is_agreements(id) on delete cascade,
  flow_type text,
  from_organisation_id uuid not null references organisations(id),
  to_organisation_id uuid not null references organisations(id),
  data_items text[] not null,
  identifiability text not null check (identifiability in ('identifiable','pseudonymised','anonymised','aggregate')),
  frequency text not null,
  method text not null,
  article6 text not null,
  article9 text,
  schedule1 text,
  confidentiality_basis text,
  opt_out_applies boolean not null,
  caldicott jsonb not null default '{}'::jsonb,
  position int not null default 0
);
create index is_flows_agreement on is_flows (agreement_id);
create index is_flows_parties on is_flows (from_organisation_id, to_organisation_id);

create table is_signatures (
  agreement_id uuid not null references is_agreements(id) on delete cascade,
  organisation_id uuid not null references organisations(id),
  fingerprint text not null,
  signed_by uuid not null references users(id),
  signed_by_name text not null,
  signed_at timestamptz not null default now(),
  primary key (agreement_id, organisation_id, fingerprint)
);

create table is_review_reminders (
  agreement_id uuid not null references is_agreements(id) on delete cascade,
  review_on date not null,
  days_before int not null,
  sent_at timestamptz not null default now(),
  primary key (agreement_id, review_on, days_before)
);

create table is_dpias (
  agreement_id uuid primary key references is_agreements(id) on delete cascade,
  screening text[] not null default '{}',
  risks jsonb not null default '[]'::jsonb,
  dpo_advice text,
  status text not null default 'draft' check (status in ('draft','awaiting_approval','approved')),
  sent_at timestamptz,
  decided_by uuid references users(id),
  decided_at timestamptz,
  version int not null default 1,
  updated_at timestamptz not null default now()
);

-- One row: a new token with every change to agreements, parties, flows or signatures, so each
-- app process knows when its cache of active agreements is out of date.
create table is_generation (only_row boolean primary key default true check (only_row), token uuid not null);
insert into is_generation (only_row, token) values (true, gen_random_uuid());

create function is_new_generation() returns trigger language plpgsql as $$
begin
  update is_generation set token = gen_random_uuid();
  return null;
end $$;
create trigger is_agreements_generation after insert or update or delete on is_agreements for each statement execute function is_new_generation();
create trigger is_parties_generation after insert or update or delete on is_agreement_parties for each statement execute function is_new_generation();
create trigger is_flows_generation after insert or update or delete on is_flows for each statement execute function is_new_generation();
create trigger is_signatures_generation after insert or update or delete on is_signatures for each statement execute function is_new_generation();
-- The register and the map name organisations: a renamed organisation is a change too.
create trigger is_organisation_names_generation after update of name on organisations for each statement execute function is_new_generation();
