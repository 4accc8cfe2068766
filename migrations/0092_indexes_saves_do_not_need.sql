-- Two indexes that only cost time on each save and import: services_org_reviewed
-- (organisation_id, last_reviewed_at) serves every lookup of services by organisation, and every
-- query on attributes names the link type, which the unique (link_type, link_id, term) index serves.
drop index if exists services_org;
drop index if exists attributes_link;
