-- A real postcode without a grid reference (ONSPD gives it latitude 99.999999) is known, not
-- unknown: it is kept without coordinates, so a search can say so rather than "not found".
alter table postcodes alter column latitude drop not null;
alter table postcodes alter column longitude drop not null;
alter table postcodes add constraint postcodes_both_coordinates_or_neither check ((latitude is null) = (longitude is null));
