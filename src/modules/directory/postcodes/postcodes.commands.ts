import type { Database } from '../../../platform/db/database.ts';

/** npm run cli -- postcodes <ONS Postcode Directory extract.csv> */
export async function postcodesCommand(_db: Database, _args: string[]): Promise<number> {
  throw new Error('postcodes: not built yet');
}
