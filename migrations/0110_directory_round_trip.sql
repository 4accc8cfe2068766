-- What Open Referral UK 3.0 records carry that the directory used to drop on import or export
-- (issue 10, "Imports and exports lose nothing"): kept so that export → import → export is identical.
alter table schedules add column schedule_link text;

-- A place's external identifier (a UPRN, say), its address's "attention" line and address type
-- (a postal address for a physical place), and the accessibility details and link.
alter table locations add column external_identifier text;
alter table locations add column external_identifier_type text;
alter table locations add column address_attention text;
alter table locations add column address_type text check (address_type in ('physical','postal','virtual'));
alter table locations add column accessibility_details text;
alter table locations add column accessibility_url text;

-- An organisation's ORUK uri, and a parent an imported record named that we do not hold yet: kept
-- apart from parent_organisation_id (which must name an organisation we hold) and linked when it arrives.
alter table organisations add column uri text;
alter table organisations add column pending_parent_id uuid;
create index organisations_pending_parent on organisations (pending_parent_id) where pending_parent_id is not null;

-- The same for a taxonomy term's parent.
alter table taxonomy_terms add column pending_parent_id uuid;
create index taxonomy_terms_pending_parent on taxonomy_terms (pending_parent_id) where pending_parent_id is not null;

-- What a taxonomy term describes about the service (ORUK attributes.link_type: eligibility, audience …).
alter table attributes add column link_purpose text;

-- Who funds a service (ORUK service.funding).
create table service_funding (
  id uuid primary key,
  service_id uuid not null references services(id) on delete cascade,
  source text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index service_funding_service on service_funding (service_id);
