import { defineConfig } from 'vitest/config';

const integration = ['src/**/*.int.test.ts', 'test/**/*.int.test.ts'];

export default defineConfig({
  test: {
    // Vitest's default on 2 cores is one worker; much of a test's time is waiting on PostgreSQL or Chromium.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: [
      { test: { name: 'unit', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], exclude: [...integration, '**/*.browser.test.ts', '**/*.process.test.ts'] } },
      {
        test: {
          name: 'db-pglite',
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
          include: integration,
          env: { TEST_DATABASE: 'postgres' },
          globalSetup: ['test/support/postgres-server.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      { test: { name: 'process', include: ['test/process/**/*.process.test.ts'], testTimeout: 180_000, fileParallelism: false } },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.browser.test.ts'],
          env: { TEST_DATABASE: 'pglite' },
          globalSetup: ['test/support/pglite-template.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
