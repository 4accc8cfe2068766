-- The caseload page reads a link worker's open cases in follow-up order, and the team's new
-- referrals oldest first. These partial indexes hold only open cases and new referrals, already in
-- the page's order, so each list is one index scan with no sort and no closed or triaged rows to
-- skip (before: a bitmap AND of the worker and PCN indexes over every case, then a sort).
create index sp_cases_worker_open on sp_cases (link_worker_id, pcn_id, next_due_on, opened_on) where status <> 'closed';
create index sp_cases_pcn_open on sp_cases (pcn_id, next_due_on, opened_on) where status <> 'closed';
create index sp_referrals_pcn_new on sp_referrals (pcn_id, received_on, created_at) where status = 'new';
