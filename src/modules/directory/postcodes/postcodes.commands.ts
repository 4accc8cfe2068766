import type { Database } from '../../../platform/db/database.ts';
import { loadPostcodesCsv, PostcodeFileError } from './postcodes.service.ts';

const number = (n: number) => n.toLocaleString('en-GB');

/** npm run cli -- postcodes <ONS Postcode Directory extract.csv> */
export async function postcodesCommand(db: Database, args: string[]): Promise<number> {
  const file = args.find((a) => !a.startsWith('--'));
  if (!file) {
    console.error('Usage: npm run cli -- postcodes <file.csv>\nLoads an ONS Postcode Directory (ONSPD) or NSPL extract: columns pcds (or pcd), lat, long, and optionally lsoa21cd (or lsoa11), imd25ind or imd (rank, with ctry26cd, ctry25cd or ctry) or imd_decile.');
    return 2;
  }
  const started = Date.now();
  try {
    const report = await loadPostcodesCsv(db, file);
    const seconds = (Date.now() - started) / 1000;
    const skipped = report.notPostcodes ? `; skipped ${number(report.notPostcodes)} not shaped like a UK postcode` : '';
    const unplaced = report.withoutCoordinates ? ` (${number(report.withoutCoordinates)} of them known but without coordinates, so not on the map)` : '';
    console.log(`Loaded ${number(report.loaded)} postcodes${unplaced} from ${file} in ${seconds.toFixed(1)} s${skipped}.`);
    if (report.placesFilled) console.log(`${number(report.placesFilled)} directory places that had only a postcode are now on the map.`);
    for (const warning of report.warnings) console.warn(`Warning: ${warning}`);
    return 0;
  } catch (error) {
    if (error instanceof PostcodeFileError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
}
