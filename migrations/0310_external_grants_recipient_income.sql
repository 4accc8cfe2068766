-- Recipients' latest yearly income, where another funder's 360Giving file gives it (GrantNav's
-- additional data, or a "Recipient Org:Latest Income" column): the funding routes page filters by
-- organisation size from it.
alter table external_grants add column recipient_latest_income_pence bigint;
-- An organisation's grants received, newest first; it also serves every lookup by matched
-- organisation, so the single-column index goes (one index fewer to keep up on each import).
create index external_grants_received on external_grants (matched_organisation_id, award_date desc);
drop index external_grants_matched;
