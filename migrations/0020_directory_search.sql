-- Directory search. Filters that live in other tables (needs, locations) are copied onto services
-- so that one search is a few bitmap index scans ANDed together on services, instead of joins
-- that probe an index once per location or attribute (slow in PGlite at 100,000 services).
-- refresh_service_search(ids) keeps the copies: saveServiceRecords calls it for every save.

-- Taxonomy terms (needs and other attributes) linked to the service.
alter table services add column taxonomy_term_ids uuid[] not null default '{}';
-- The box around the service's located places (earth coordinates); a point when there is one.
alter table services add column location_box cube;

create index services_taxonomy_terms on services using gin (taxonomy_term_ids);
create index services_location_box on services using gist (location_box);
-- Merged organisations are few: the search leaves out their services through this list.
create index organisations_merged on organisations (id) where merged_into_id is not null;

create function refresh_service_search(ids uuid[]) returns void language sql as $$
  update services s
     set taxonomy_term_ids = x.terms, location_box = x.box
    from (
      select sv.id,
             coalesce((select array_agg(distinct a.taxonomy_term_id) from attributes a
                        where a.link_type = 'service' and a.link_id = sv.id), '{}') as terms,
             (select case when count(l.earth) > 0 then
                       cube(array[min(cube_ll_coord(l.earth, 1)), min(cube_ll_coord(l.earth, 2)), min(cube_ll_coord(l.earth, 3))],
                            array[max(cube_ur_coord(l.earth, 1)), max(cube_ur_coord(l.earth, 2)), max(cube_ur_coord(l.earth, 3))]) end
                from service_at_locations sal join locations l on l.id = sal.location_id
               where sal.service_id = sv.id and l.earth is not null) as box
        from services sv
       where sv.id = any(ids)
    ) x
   where s.id = x.id
     and (s.taxonomy_term_ids is distinct from x.terms or s.location_box is distinct from x.box);
$$;

select refresh_service_search(array(select id from services));
