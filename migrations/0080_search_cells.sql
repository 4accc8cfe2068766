-- Directory search near a postcode, fast at 100,000 services. Before this, the place filter used the
-- GiST index on location_box alone: the planner has no statistics for cube boxes, so it read every
-- service in the box around the circle (about 15,000 rows for 5 miles) and checked text and need
-- row by row. Now a service's places are also kept as grid cells (location_cells, from location_box
-- by a trigger, so every way of saving keeps them), and the text, need and place filters are
-- columns of one GIN index: one index scan finds the few services that pass all three.

-- Level 0 cells are 0.02 degrees of latitude by 0.03 of longitude (about 2 km square in Britain);
-- each of levels 1 to 5 is twice as tall and wide as the one below. A cell's number holds its
-- level, row and column. A service has the cells of its places at the finest level where they
-- take at most 4 cells and at every level above. When that finest level is not 0, its cells are
-- also given as "home" cells (-10 minus the cell), so that a search at a finer level finds the
-- service without finding every service in a big cell. -1 is every service with a place; -2 a
-- service whose places are too far apart for any level.

-- The cells at a level covering a latitude and longitude range; null when that takes more than `most`.
create function search_cells_covering(south float8, north float8, west float8, east float8, level int, most int)
returns int[] language plpgsql immutable as $$
declare
  tall constant float8 := 0.02 * 2 ^ level;
  wide constant float8 := 0.03 * 2 ^ level;
  row_from constant int := floor((south + 90) / tall);
  row_to constant int := floor((north + 90) / tall);
  col_from constant int := floor((west + 180) / wide);
  col_to constant int := floor((east + 180) / wide);
begin
  if most is not null and (row_to - row_from + 1) * (col_to - col_from + 1) > most then
    return null;
  end if;
  return array(select level * 200000000 + r * 20000 + c
                 from generate_series(row_from, row_to) r, generate_series(col_from, col_to) c);
end $$;

-- A service's cells, from the box around its places (earth coordinates, as ll_to_earth makes them).
create function search_place_cells(box cube) returns int[] language plpgsql immutable as $$
declare
  radius constant float8 := 6378168; -- earthdistance's earth(): the radius ll_to_earth uses
  x1 float8; x2 float8; y1 float8; y2 float8;
  south float8; north float8; west float8; east float8;
  cells int[] := '{-1}';
  found int[];
  fitted boolean := false;
begin
  if box is null then
    return '{}';
  end if;
  x1 := cube_ll_coord(box, 1); x2 := cube_ur_coord(box, 1);
  y1 := cube_ll_coord(box, 2); y2 := cube_ur_coord(box, 2);
  -- Places lie on the sphere, so their latitudes follow from their heights above the equator's plane.
  south := degrees(asin(greatest(-1, least(1, cube_ll_coord(box, 3) / radius))));
  north := degrees(asin(greatest(-1, least(1, cube_ur_coord(box, 3) / radius))));
  if cube_is_point(box) then
    -- One place: its cell at each level.
    west := degrees(atan2(y1, x1));
    return cells || array(select l * 200000000 + floor((south + 90) / (0.02 * 2 ^ l))::int * 20000 + floor((west + 180) / (0.03 * 2 ^ l))::int
                            from generate_series(0, 5) l);
  end if;
  -- Longitudes: the box seen from the earth's axis spans the angles of its corners, unless it
  -- surrounds the axis or crosses the 180th meridian.
  if x1 < 0 and y1 <= 0 and y2 >= 0 then
    return '{-1,-2}';
  end if;
  select min(a) - 1e-9, max(a) + 1e-9 into west, east
    from (values (degrees(atan2(y1, x1))), (degrees(atan2(y1, x2))), (degrees(atan2(y2, x1))), (degrees(atan2(y2, x2)))) v(a);
  south := south - 1e-9;
  north := north + 1e-9;
  for level in 0..5 loop
    found := search_cells_covering(south, north, west, east, level, case when fitted then null else 4 end);
    if found is not null then
      cells := cells || found;
      if not fitted and level > 0 then
        cells := cells || array(select -10 - c from unnest(found) c);
      end if;
      fitted := true;
    end if;
  end loop;
  return case when fitted then cells else cells || -2 end;
end $$;

-- The cells to look in for places within `metres` of a point: at the finest level that needs at
-- most 36 cells (400 at the top), with the home cells of the levels above it.
create function search_cells_near(latitude float8, longitude float8, metres float8) returns int[] language plpgsql immutable as $$
declare
  arc constant float8 := metres / 6378168 * 1.0001 + 1e-9; -- radians of a great circle, with a margin
  reach float8;
  south float8; north float8; west float8; east float8;
  found int[];
begin
  south := latitude - degrees(arc);
  north := latitude + degrees(arc);
  if arc >= pi() / 2 or south <= -90 or north >= 90 then
    return '{-1}';
  end if;
  -- The widest difference in longitude of a point within the arc (the circle holds no pole).
  reach := degrees(asin(least(1, sin(arc) / cos(radians(latitude))))) + 1e-9;
  west := longitude - reach;
  east := longitude + reach;
  if west < -180 or east >= 180 then
    return '{-1}';
  end if;
  for level in 0..5 loop
    found := search_cells_covering(south, north, west, east, level, case when level < 5 then 36 else 400 end);
    if found is not null then
      for above in level + 1..5 loop
        found := found || array(select -10 - c from unnest(search_cells_covering(south, north, west, east, above, null)) c);
      end loop;
      return found || -2;
    end if;
  end loop;
  return '{-1}';
end $$;

alter table services add column location_cells int[] not null default '{}';

create function services_take_location_cells() returns trigger language plpgsql as $$
begin
  new.location_cells := search_place_cells(new.location_box);
  return new;
end $$;
create trigger services_location_cells before insert or update of location_box on services
  for each row execute function services_take_location_cells();

-- Text, need and place in one index: GIN combines the columns' conditions in one scan. The same
-- index serves a search by any of them alone, so it replaces the indexes on each.
drop index services_search;
drop index services_organisation_search;
drop index services_taxonomy_terms;
drop index services_location_box;

update services set location_cells = search_place_cells(location_box) where location_box is not null;

create index services_search on services using gin (search_vector, taxonomy_term_ids, location_cells);
create index services_organisation_search on services using gin (organisation_vector, taxonomy_term_ids, location_cells);
