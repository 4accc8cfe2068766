-- People's choices (issue 12, point 8). A person's recorded withdrawal of consent or objection
-- stops the flows it covers at once: the latest choice per person and flow type decides.
create table is_person_choices (
  id uuid primary key,
  person_id uuid not null,
  flow_type text not null,
  given boolean not null,
  recorded_on date not null,
  recorded_at timestamptz not null default now(),
  recorded_by_name text
);
create index is_person_choices_person on is_person_choices (person_id, flow_type, recorded_at desc);

-- The national data opt-out list: NHS numbers (10 digits) of people whose information is not used
-- beyond their own care. Replaced whole by each upload; read only by the enforcement check.
create table is_opt_out_numbers (nhs_number text primary key);
create table is_opt_out_uploads (
  id uuid primary key,
  uploaded_at timestamptz not null default now(),
  uploaded_by uuid references users(id),
  uploaded_by_name text,
  people int not null
);
create index is_opt_out_uploads_at on is_opt_out_uploads (uploaded_at desc);
