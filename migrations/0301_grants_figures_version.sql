-- A counter bumped by every statement that changes grants, their payments, reports or letters, so
-- the spend-out dashboard can keep its figures (worked out over thousands of rows) until something
-- changes. Statement-level: a bulk load bumps it once, not once a row.
create table grants_changes (
  id integer primary key check (id = 1),
  version bigint not null default 0
);
insert into grants_changes (id, version) values (1, 0);

create function grants_changed() returns trigger language plpgsql as $$
begin
  update grants_changes set version = version + 1 where id = 1;
  return null;
end $$;

create trigger grant_funds_changed after insert or update or delete on grant_funds for each statement execute function grants_changed();
create trigger grants_changed after insert or update or delete on grants for each statement execute function grants_changed();
create trigger grant_tranches_changed after insert or update or delete on grant_tranches for each statement execute function grants_changed();
create trigger grant_reports_changed after insert or update or delete on grant_reports for each statement execute function grants_changed();
create trigger grant_letter_versions_changed after insert or update or delete on grant_letter_versions for each statement execute function grants_changed();
create trigger grant_letter_signatures_changed after insert or update or delete on grant_letter_signatures for each statement execute function grants_changed();
