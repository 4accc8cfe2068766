-- Directory, aligned with Open Referral UK 3.0: organisations (above), services, locations, times, needs.
create table organisation_identifiers (
  id uuid primary key,
  organisation_id uuid not null references organisations(id) on delete cascade,
  identifier_scheme text not null,      -- org-id list code: GB-CHC, GB-COH, GB-NHS …
  identifier_type text not null,        -- plain words: charity number, company number, NHS ODS code
  identifier text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
-- Not unique: an organisation that shares an identifier is flagged as a possible duplicate for an admin to merge.
create index organisation_identifiers_org on organisation_identifiers (organisation_id);
create index organisation_identifiers_value on organisation_identifiers (identifier_scheme, upper(identifier));

create table services (
  id uuid primary key,
  organisation_id uuid not null references organisations(id),
  name text not null,
  description text not null default '',
  url text,
  email text,
  status text not null default 'active' check (status in ('active','inactive','defunct','temporarily closed')),
  reopening_date date,
  fees text,
  accreditations text,
  eligibility_description text,
  minimum_age integer,
  maximum_age integer,
  free_of_charge boolean not null default true,
  delivery_modes text[] not null default '{}',   -- in_person, online, phone
  assured_date date,
  assurer_email text,
  alert text,
  last_modified timestamptz not null default now(),
  last_reviewed_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  search_vector tsvector generated always as (
    setweight(to_tsvector('english', coalesce(name, '')), 'A') ||
    setweight(to_tsvector('english', coalesce(description, '')), 'B') ||
    setweight(to_tsvector('english', coalesce(eligibility_description, '')), 'C')
  ) stored
);
create index services_org on services (organisation_id);
create index services_search on services using gin (search_vector);
create index services_name_trgm on services using gin (name gin_trgm_ops);
create index services_last_modified on services (last_modified);
create index services_last_reviewed on services (last_reviewed_at);

create table service_languages (
  id uuid primary key,
  service_id uuid not null references services(id) on delete cascade,
  name text not null,
  code text,                            -- ISO 639-1 where known
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index service_languages_service on service_languages (service_id);

create table cost_options (
  id uuid primary key,
  service_id uuid not null references services(id) on delete cascade,
  option text,
  amount numeric(12,2),
  amount_description text,
  valid_from date,
  valid_to date,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index cost_options_service on cost_options (service_id);

create table locations (
  id uuid primary key,
  organisation_id uuid references organisations(id),
  location_type text not null default 'physical' check (location_type in ('physical','postal','virtual')),
  name text,
  description text,
  latitude double precision,
  longitude double precision,
  -- Stored (not an index expression) so that a pg_dump restores without calling earthdistance.
  earth cube,
  address_1 text,
  city text,
  region text,
  state_province text,
  postal_code text,
  country text not null default 'GB',
  accessibility text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  last_reviewed_at timestamptz not null default now()
);
create index locations_org on locations (organisation_id);
create index locations_earth on locations using gist (earth);
create index locations_postcode on locations (postal_code);

create table service_at_locations (
  id uuid primary key,
  service_id uuid not null references services(id) on delete cascade,
  location_id uuid not null references locations(id) on delete cascade,
  description text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (service_id, location_id)
);
create index service_at_locations_location on service_at_locations (location_id);

create table contacts (
  id uuid primary key,
  service_id uuid references services(id) on delete cascade,
  organisation_id uuid references organisations(id) on delete cascade,
  name text,
  title text,
  email text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index contacts_service on contacts (service_id);

create table phones (
  id uuid primary key,
  contact_id uuid references contacts(id) on delete cascade,
  service_id uuid references services(id) on delete cascade,
  number text not null,
  description text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index phones_service on phones (service_id);
create index phones_contact on phones (contact_id);

create table schedules (
  id uuid primary key,
  service_id uuid references services(id) on delete cascade,
  service_at_location_id uuid references service_at_locations(id) on delete cascade,
  freq text not null default 'WEEKLY' check (freq in ('WEEKLY','MONTHLY')),
  interval integer not null default 1,
  byday text,            -- RFC 5545: 'MO,WE' weekly; '1TU' or '-1FR' monthly
  bymonthday text,
  opens_at time,
  closes_at time,
  valid_from date,
  valid_to date,
  dtstart date,
  description text,
  notes text,
  attending_type text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index schedules_service on schedules (service_id);
create index schedules_sal on schedules (service_at_location_id);

create table service_areas (
  id uuid primary key,
  service_id uuid not null references services(id) on delete cascade,
  name text,
  service_area text,
  extent text,
  extent_type text,
  uri text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index service_areas_service on service_areas (service_id);

create table taxonomies (
  id uuid primary key,
  name text not null,
  description text not null default '',
  uri text,
  version text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table taxonomy_terms (
  id uuid primary key,
  taxonomy_id uuid not null references taxonomies(id) on delete cascade,
  parent_id uuid references taxonomy_terms(id),
  code text not null,          -- ORUK 'term'
  name text not null,
  description text not null default '',
  term_uri text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (taxonomy_id, code)
);

create table attributes (
  id uuid primary key,
  link_type text not null default 'service',
  link_id uuid not null,
  taxonomy_term_id uuid not null references taxonomy_terms(id) on delete cascade,
  value text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (link_type, link_id, taxonomy_term_id)
);
create index attributes_term on attributes (taxonomy_term_id, link_id);
create index attributes_link on attributes (link_id);

create table postcodes (
  postcode text primary key,   -- upper case, single space: 'WY1 2AB'
  latitude double precision not null,
  longitude double precision not null,
  lsoa text,
  imd_decile integer check (imd_decile between 1 and 10),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table problem_reports (
  id uuid primary key,
  service_id uuid references services(id) on delete cascade,
  organisation_id uuid not null references organisations(id),
  reason text not null check (reason in ('closed','wrong_contact_details','wrong_times','other')),
  details text not null,
  reporter_email text,
  status text not null default 'open' check (status in ('open','resolved')),
  resolved_by uuid references users(id),
  resolved_at timestamptz,
  resolution_note text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index problem_reports_org on problem_reports (organisation_id, status);

create table duplicate_flags (
  id uuid primary key,
  organisation_id uuid not null references organisations(id),
  candidate_id uuid not null references organisations(id),
  reason text not null,
  status text not null default 'open' check (status in ('open','merged','dismissed')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table import_runs (
  id uuid primary key,
  source text not null,
  format text not null,
  status text not null default 'running' check (status in ('running','finished','failed')),
  total integer not null default 0,
  processed integer not null default 0,
  created integer not null default 0,
  updated integer not null default 0,
  rejected integer not null default 0,
  report jsonb not null default '[]'::jsonb,
  started_by uuid references users(id),
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
