-- A number that moves on with every committed change to what a directory search reads, so that
-- a process may keep search results and know when they are out of date (search-cache.ts): one
-- tiny read instead of the search. It moves at commit (a deferred constraint trigger), once per
-- transaction however many rows it changed, so the row is locked only for the moment of commit,
-- and a reader never sees the new number before the new data. Works across processes (a second
-- server, the command line's imports) because the number is in the database.
create table directory_generation (
  only_row boolean primary key default true check (only_row),
  n bigint not null
);
insert into directory_generation (only_row, n) values (true, 0);

create function bump_directory_generation() returns trigger language plpgsql as $$
begin
  if tg_op <> 'TRUNCATE' then
    if current_setting('common_ground.directory_bumped', true) = 'yes' then
      return null;
    end if;
    perform set_config('common_ground.directory_bumped', 'yes', true);
  end if;
  update directory_generation set n = n + 1;
  return null;
end $$;

do $$
declare t text;
begin
  foreach t in array array['services', 'organisations', 'locations', 'service_at_locations', 'schedules', 'taxonomy_terms',
                           'postcodes', 'search_vocabulary', 'service_languages'] loop
    execute format('create constraint trigger %I after insert or update or delete on %I deferrable initially deferred
                      for each row execute function bump_directory_generation()', t || '_moves_directory_generation', t);
    execute format('create trigger %I after truncate on %I for each statement execute function bump_directory_generation()',
                   t || '_truncate_moves_directory_generation', t);
  end loop;
end $$;
