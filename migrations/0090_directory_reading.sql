-- Lists of services without a text or a place to rank by (ORUK /services, the export's pages) go
-- in name order: this index gives a page of that order without sorting the whole directory.
create index services_name_order on services (lower(name), id);
