/*
 * The baseline of the insight benchmark, run in a child process of its own so that its database
 * does not count in the insight work's memory: the headline concentration figure ("x % of people
 * account for half the cost") computed on the application database engine (PGlite) over a CSV of
 * person-year totals (pseudonym, total cost) the insight bench wrote. Prints one line of JSON.
 * `node --import tsx bench/insight-baseline.ts FILE.csv`
 */
import fs from 'node:fs';
import { openPglite } from '../src/platform/db/pglite-database.ts';
import { forHalf, peakMiB } from './insight-measures.ts';
import { timings } from './timing.ts';

const file = process.argv[2];
if (!file) throw new Error('Usage: node --import tsx bench/insight-baseline.ts FILE.csv');
const base = await openPglite(undefined);
try {
  await base.query('create table person_years (pseudonym text not null, total_cost double precision not null)');
  const t = performance.now();
  await base.pg.query("copy person_years from '/dev/blob' with (format csv)", [], { blob: new Blob([fs.readFileSync(file)]) });
  const copyMs = performance.now() - t;
  await base.query('analyze person_years');
  let share = 0;
  const times = await timings([1, 2, 3], async () => {
    share = Number((await base.query<{ share: number }>(forHalf('person_years')))[0].share);
  }, 1);
  console.log(JSON.stringify({ share, median: times.median, n: times.n, copyMs, peakMiB: peakMiB() }));
} finally {
  await base.close();
}
