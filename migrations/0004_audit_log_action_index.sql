-- The audit page offers the actions in the log as a filter; with this index their list is read by
-- skipping from one action to the next instead of scanning the whole log.
create index if not exists audit_log_action on audit_log (action);
