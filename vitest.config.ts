import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const integration = ['src/**/*.int.test.ts', 'test/**/*.int.test.ts'];

/**
 * The int files that also run against a real PostgreSQL server: those where the engine matters.
 * Every int file runs on PGlite (the embedded engine); a file runs on both engines when it
 * exercises SQL whose behaviour can differ between them, that is:
 *  - the platform's database code: driver, migrations, backups (src/platform/db/);
 *  - repositories tested directly: name such a file `<thing>.repository.int.test.ts`;
 *  - directory features built on engine-specific SQL: search (full text, trigrams, distances),
 *    transfer (import and export in bulk), ORUK (JSON and paging), postcodes (bulk loading and
 *    earthdistance), duplicates (pg_trgm similarity), and the demo directory (bulk saves);
 *  - test/robustness.int.test.ts: every route with junk ids and parameters, so the engine's
 *    answer to bad casts and values.
 * Pages, policies and workflows above the repositories (identity, innovation, social prescribing,
 * listings, problems, the audit log) behave the same on both engines and run on PGlite only.
 * A new int file that belongs in this list should match one of these globs; add a glob here
 * rather than a file name where you can.
 */
const engineMatters = [
  'src/platform/db/**/*.int.test.ts',
  '**/*.repository.int.test.ts',
  'src/modules/directory/{search,transfer,oruk,postcodes,demo}/**/*.int.test.ts',
  'src/modules/directory/**/*duplicates*.int.test.ts',
  'test/robustness.int.test.ts',
];

/**
 * Slow kinds of file first, so that the two workers stay busy to the end instead of one waiting
 * on a long browser or process file started last: process and browser files (a minute or more
 * each for the longest), then database files, then unit files. Within a project, Vitest's own
 * order: longest in the last run first, or largest file first.
 */
const projectOrder = ['process', 'browser', 'db-pglite', 'db-postgres', 'unit'];
class SlowKindsFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const i = projectOrder.indexOf(f.project.name);
      return i === -1 ? projectOrder.length : i;
    };
    const sorted = await super.sort(files);
    return sorted.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).map(({ f }) => f);
  }
}

export default defineConfig({
  test: {
    // Vitest's default on 2 cores is one worker; much of a test's time is waiting on PostgreSQL,
    // Chromium or a server process. Every project shares these two workers: browser and process
    // files run alongside database and unit files rather than one at a time after them all.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    sequence: { sequencer: SlowKindsFirst },
    // The unit and database projects set `isolate: false` (projects do not inherit these settings):
    // each worker loads the app's modules once rather than once per file. Measured on the db-pglite
    // files: 3 min 52 s of CPU instead of 6 min 36 s. Tests must therefore leave no module state
    // behind (restore spies, unstub the environment, put the nation back); every file builds its own
    // app and database. Browser and process files, whose time goes on Chromium and server processes,
    // keep a fresh set of modules each.
    projects: [
      { test: { name: 'unit', isolate: false, include: ['src/**/*.test.ts', 'test/**/*.test.ts'], exclude: [...integration, '**/*.browser.test.ts', '**/*.process.test.ts'] } },
      {
        test: {
          name: 'db-pglite',
          isolate: false,
          include: integration,
          env: { TEST_DATABASE: 'pglite' },
          globalSetup: ['test/support/pglite-template.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'db-postgres',
          isolate: false,
          include: engineMatters,
          env: { TEST_DATABASE: 'postgres' },
          globalSetup: ['test/support/postgres-server.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'process',
          include: ['test/process/**/*.process.test.ts'],
          globalSetup: ['test/support/pglite-template.ts'],
          testTimeout: 180_000,
          // A project does not inherit the settings above; the default 10 s is too short for a
          // hook that copies the template database while the other worker is busy.
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.browser.test.ts'],
          env: { TEST_DATABASE: 'pglite' },
          globalSetup: ['test/support/pglite-template.ts'],
          // The longest browser test (a whole innovation programme) takes about a minute alone;
          // it now shares the machine with the other files, so it gets the process tests' margin.
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
