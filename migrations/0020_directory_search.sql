-- Directory search. Filters that live in other tables (needs, locations) are copied onto services
-- so that one search is a few bitmap index scans ANDed together on services, instead of joins
-- that probe an index once per location or attribute (slow in PGlite at 100,000 services).
-- refresh_service_search(ids) keeps the copies: saveServiceRecords calls it for every save.
-- Typos: typed words not found among the words of service and organisation names are matched to
-- the nearest such words (pg_trgm similarity on the small search_vocabulary table), and the
-- full-text query looks for either. That keeps every text search on the GIN full-text indexes.

-- Taxonomy terms (needs and other attributes) linked to the service.
alter table services add column taxonomy_term_ids uuid[] not null default '{}';
-- The box around the service's located places (earth coordinates); a point when there is one.
alter table services add column location_box cube;

-- The organisation's name, searched with the service (kept by the triggers below).
alter table services add column organisation_name text;
alter table services add column organisation_vector tsvector
  generated always as (to_tsvector('english', coalesce(organisation_name, ''))) stored;

create function services_take_organisation_name() returns trigger language plpgsql as $$
begin
  new.organisation_name := (select o.name from organisations o where o.id = new.organisation_id);
  return new;
end $$;
create trigger services_organisation_name before insert or update of organisation_id on services
  for each row execute function services_take_organisation_name();

create function organisations_pass_name_to_services() returns trigger language plpgsql as $$
begin
  update services set organisation_name = new.name where organisation_id = new.id;
  return null;
end $$;
create trigger organisations_name_to_services after update of name on organisations
  for each row when (old.name is distinct from new.name) execute function organisations_pass_name_to_services();

update services s set organisation_name = o.name from organisations o where o.id = s.organisation_id;

create index services_organisation_search on services using gin (organisation_vector);

-- Words of service and organisation names, for correcting typed words.
create table search_vocabulary (word text primary key);
create index search_vocabulary_trgm on search_vocabulary using gin (word gin_trgm_ops);

create function name_words(name text) returns setof text language sql immutable as $$
  select distinct w from regexp_split_to_table(lower(coalesce(name, '')), '[^[:alnum:]]+') as w where length(w) >= 3
$$;

-- Once per statement (not per row), so that saving 500 services adds their words in one insert.
create function add_name_words() returns trigger language plpgsql as $$
begin
  insert into search_vocabulary (word) select distinct name_words(changed.name) from changed on conflict do nothing;
  return null;
end $$;
create trigger services_words_inserted after insert on services referencing new table as changed
  for each statement execute function add_name_words();
create trigger services_words_updated after update on services referencing new table as changed
  for each statement execute function add_name_words();
create trigger organisations_words_inserted after insert on organisations referencing new table as changed
  for each statement execute function add_name_words();
create trigger organisations_words_updated after update on organisations referencing new table as changed
  for each statement execute function add_name_words();

insert into search_vocabulary (word)
  select name_words(name) from services union select name_words(name) from organisations
  on conflict do nothing;
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

-- Metres from a point to the nearest of a service's places, for services in several places
-- (a one-place service's box is its point). PL/pgSQL, so that its plan is made once per session
-- rather than with every search.
create function nearest_place_metres(service uuid, origin cube) returns double precision language plpgsql stable as $$
begin
  return (select min(earth_distance(l.earth, origin::earth)) from service_at_locations sal join locations l on l.id = sal.location_id
           where sal.service_id = service and l.earth is not null);
end $$;

select refresh_service_search(array(select id from services));
