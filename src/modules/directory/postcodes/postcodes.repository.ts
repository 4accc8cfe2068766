import type { Queryable } from '../../../platform/db/database.ts';

/** A postcode; latitude and longitude are null for a real postcode without a grid reference. */
export type PostcodeRow = { postcode: string; latitude: number | null; longitude: number | null; lsoa?: string | null; imdDecile?: number | null };

/**
 * Inserts or updates postcodes in one statement (one JSON parameter), so a large file loads in
 * batches of thousands. A postcode listed twice keeps its last row.
 */
export async function upsertPostcodes(db: Queryable, rows: PostcodeRow[]): Promise<void> {
  const unique = [...new Map(rows.map((r) => [r.postcode, r])).values()];
  if (!unique.length) return;
  await db.query(
    `insert into postcodes (postcode, latitude, longitude, lsoa, imd_decile)
     select postcode, latitude, longitude, lsoa, imd_decile
       from jsonb_to_recordset($1::jsonb) as x(postcode text, latitude double precision, longitude double precision, lsoa text, imd_decile integer)
     on conflict (postcode) do update set latitude = excluded.latitude, longitude = excluded.longitude,
       lsoa = excluded.lsoa, imd_decile = excluded.imd_decile, updated_at = now()`,
    [JSON.stringify(unique.map((r) => ({ postcode: r.postcode, latitude: r.latitude, longitude: r.longitude, lsoa: r.lsoa ?? null, imd_decile: r.imdDecile ?? null })))],
  );
}

/** A postcode's place and deprivation decile; null when it is not in the table. */
export async function findPostcode(db: Queryable, postcode: string): Promise<PostcodeRow | null> {
  const rows = await db.query<{ postcode: string; latitude: number | null; longitude: number | null; lsoa: string | null; imd_decile: number | null }>(
    'select postcode, latitude, longitude, lsoa, imd_decile from postcodes where postcode = $1',
    [postcode],
  );
  const r = rows[0];
  return r ? { postcode: r.postcode, latitude: r.latitude, longitude: r.longitude, lsoa: r.lsoa, imdDecile: r.imd_decile } : null;
}

export async function countPostcodes(db: Queryable): Promise<number> {
  return (await db.query<{ n: number }>('select count(*)::int as n from postcodes'))[0].n;
}

/** The coordinates of those of these postcodes that the table holds. */
export async function coordinatesOfPostcodes(db: Queryable, postcodes: string[]): Promise<Map<string, { latitude: number; longitude: number }>> {
  const wanted = [...new Set(postcodes)];
  if (!wanted.length) return new Map();
  const rows = await db.query<{ postcode: string; latitude: number; longitude: number }>(
    'select postcode, latitude, longitude from postcodes where postcode = any($1::text[]) and latitude is not null',
    [wanted],
  );
  return new Map(rows.map((r) => [r.postcode, { latitude: r.latitude, longitude: r.longitude }]));
}

/**
 * Puts on the map every place that has a postcode we now hold but no coordinates (imported before
 * the postcodes were loaded), and brings its services' search copies of where they are up to date.
 * Returns how many places it placed.
 */
export async function placeLocationsByPostcode(db: Queryable): Promise<number> {
  const placed = await db.query<{ id: string }>(
    `update locations l
        set latitude = p.latitude, longitude = p.longitude, earth = ll_to_earth(p.latitude, p.longitude), updated_at = now()
       from postcodes p
      where l.postal_code = p.postcode and p.latitude is not null and l.latitude is null and l.longitude is null and l.location_type <> 'virtual'
     returning l.id`,
  );
  if (placed.length) {
    await db.query('select refresh_service_search(array(select distinct service_id from service_at_locations where location_id = any($1::uuid[])))', [placed.map((p) => p.id)]);
  }
  return placed.length;
}
