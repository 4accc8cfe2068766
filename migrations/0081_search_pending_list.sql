-- A GIN index takes new rows into a pending list, which every search through the index reads in
-- full until the list is merged into the index: when it passes gin_pending_list_limit (4 MB by
-- default), or at VACUUM, and embedded PGlite never vacuums. After a bulk load of 100,000 services
-- the search read up to 4 MB of pending entries per index on every call (90 ms of CPU a search
-- instead of 33). A 64 kB limit keeps that read small; saving 10,000 services took no longer with it.
alter index services_search set (gin_pending_list_limit = 64);
alter index services_organisation_search set (gin_pending_list_limit = 64);
select gin_clean_pending_list('services_search');
select gin_clean_pending_list('services_organisation_search');
