import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { migratedPgliteTarball } from './test-database.ts';

/**
 * Migrates one embedded database for the whole test run and saves it as a tarball that every test
 * database loads. Vitest loads each test file afresh, so without this every file paid for a full
 * migration of its own (tens of seconds on a busy machine).
 */
export default async function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-pglite-template-'));
  const file = path.join(dir, 'migrated.tar');
  const blob = await migratedPgliteTarball();
  fs.writeFileSync(file, Buffer.from(await blob.arrayBuffer()));
  project.provide('pgliteTemplate', file);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}
