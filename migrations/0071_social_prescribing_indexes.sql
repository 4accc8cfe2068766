-- A referral's case is looked up on the caseload and case pages; without this every lookup
-- scans all cases.
create index sp_cases_referral on sp_cases (referral_id);
create index sp_contacts_cohort_member on sp_contacts (cohort_member_id) where cohort_member_id is not null;

-- The caseload lists a link worker's open cases with their next follow-up and last contact.
-- Kept on the case (refreshed whenever a contact or follow-up changes) so the caseload reads one
-- row per case instead of searching contacts and follow-ups for each.
alter table sp_cases add column next_due_on date;
alter table sp_cases add column next_due_description text;
alter table sp_cases add column last_contact_on date;
