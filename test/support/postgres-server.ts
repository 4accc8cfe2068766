import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { migrate } from '../../src/platform/db/migrate.ts';
import { openPostgres } from '../../src/platform/db/postgres-database.ts';
import { freePort } from './server-process.ts';

/** Finds Debian's PostgreSQL binaries (the newest installed), or says which package to install. */
export function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin/initdb'))) : [];
  if (!versions.length) throw new Error('PostgreSQL server is not installed: apt-get install postgresql (npm test does this when run as root).');
  return path.join(root, versions.sort((a, b) => Number(b) - Number(a))[0], 'bin');
}

/**
 * Starts a throwaway PostgreSQL cluster: initdb into a temporary folder, pg_ctl on a free port;
 * stop() removes it. PostgreSQL refuses to run as root, so as root the cluster runs as Debian's
 * 'postgres' user. The benchmarks use it too (bench/load.bench.ts).
 */
export async function startPostgresCluster(): Promise<{ url: string; stop(): void }> {
  const bin = postgresBinDir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-pg-'));
  const dataDir = path.join(dir, 'data');
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) => {
    const full = asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args]] : [path.join(bin, cmd), args];
    const result = spawnSync(full[0] as string, full[1] as string[], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${cmd} failed: ${result.stderr || result.stdout}`);
  };
  if (asRoot) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  fs.chmodSync(dir, 0o755);
  run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
  run('pg_ctl', ['-D', dataDir, '-l', path.join(dir, 'server.log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`, 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}`,
    stop: () => {
      try {
        run('pg_ctl', ['-D', dataDir, '-m', 'immediate', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** The test run's cluster, with a migrated template database that each test file copies. */
export default async function setup(project: TestProject) {
  const cluster = await startPostgresCluster();
  const admin = await openPostgres(`${cluster.url}/postgres`, { max: 1 });
  await admin.query('create database cg_template');
  const template = await openPostgres(`${cluster.url}/cg_template`, { max: 1 });
  await migrate(template);
  await template.close();
  await admin.close();

  project.provide('postgresUrl', cluster.url);
  return async () => cluster.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}
