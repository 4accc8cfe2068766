import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { migratedPgliteTarball } from './test-database.ts';

type Shared = { file: Promise<string>; dir: string; users: number };
const key = Symbol.for('common-ground.pglite-template');
const holder = globalThis as unknown as Record<symbol, Shared | undefined>;

/**
 * Migrates one embedded database for the whole test run and saves it as a tarball that every test
 * database loads. Vitest loads each test file afresh, so without this every file paid for a full
 * migration of its own (tens of seconds on a busy machine). Several projects use this setup; they
 * share one template (made once, removed when the last of them finishes).
 */
export default async function setup(project: TestProject) {
  let shared = holder[key];
  if (!shared) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-pglite-template-'));
    const file = path.join(dir, 'migrated.tar');
    shared = holder[key] = {
      dir,
      users: 0,
      file: migratedPgliteTarball().then(async (blob) => {
        fs.writeFileSync(file, Buffer.from(await blob.arrayBuffer()));
        return file;
      }),
    };
  }
  shared.users++;
  project.provide('pgliteTemplate', await shared.file);
  return () => {
    if (--shared.users > 0) return;
    holder[key] = undefined;
    fs.rmSync(shared.dir, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}
