-- Keeping directory listings current: editing, review, problem reports, duplicates and merges.

-- A second address line for locations (Open Referral UK address_2).
alter table locations add column address_2 text;

-- Who closed a duplicate flag (merged or not a duplicate), and when.
alter table duplicate_flags add column resolved_by uuid references users(id);
alter table duplicate_flags add column resolved_at timestamptz;
create index duplicate_flags_status on duplicate_flags (status, created_at);

-- Problem reports are listed open first, newest first.
create index problem_reports_status on problem_reports (status, created_at desc);
create index problem_reports_service on problem_reports (service_id);

-- The staleness dashboard groups services by organisation and oldest review.
create index services_org_reviewed on services (organisation_id, last_reviewed_at);
