import type { Database } from '../../../platform/db/database.ts';

/**
 * Each small area's deprivation decile, from the loaded postcode directory (the decile most of its
 * postcodes carry), for analyses that know a person's area but not its deprivation.
 */
export async function areaDeprivation(db: Database): Promise<Map<string, number>> {
  const rows = await db.query<{ lsoa: string; decile: number }>(
    `select lsoa, mode() within group (order by imd_decile) as decile from postcodes
     where lsoa is not null and imd_decile is not null group by lsoa`,
  );
  return new Map(rows.map((r) => [r.lsoa.toUpperCase(), Number(r.decile)]));
}
