-- How many services there are, kept by the statements that add or remove them, so that a list of
-- every service (ORUK /services at 100,000 services) gives its total without reading every row.
-- Embedded PGlite never vacuums, so even an index-only count reads the whole table there.
create table service_count (
  only_row boolean primary key default true check (only_row),
  services bigint not null
);
insert into service_count (services) select count(*) from services;

-- Once per statement, and only when rows changed, so saving 500 services updates the count once.
create function service_count_added() returns trigger language plpgsql as $$
begin
  if exists (select 1 from changed) then
    update service_count set services = services + (select count(*) from changed);
  end if;
  return null;
end $$;
create function service_count_removed() returns trigger language plpgsql as $$
begin
  if exists (select 1 from changed) then
    update service_count set services = services - (select count(*) from changed);
  end if;
  return null;
end $$;
create function service_count_emptied() returns trigger language plpgsql as $$
begin
  update service_count set services = 0;
  return null;
end $$;
create trigger services_counted_in after insert on services referencing new table as changed
  for each statement execute function service_count_added();
create trigger services_counted_out after delete on services referencing old table as changed
  for each statement execute function service_count_removed();
create trigger services_counted_truncated after truncate on services
  for each statement execute function service_count_emptied();
