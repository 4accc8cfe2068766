import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../src/platform/db/pglite-database.ts';
import { projectRoot } from '../support/server-process.ts';
import { pgliteTemplateBlob } from '../support/test-database.ts';

/** Runs `npm run cli -- …` as an admin would, on its own embedded database. */
function cli(dataDir: string, ...args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    let output = '';
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: projectRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('the import and export commands', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-cli-'));
  const dataDir = path.join(folder, 'data');
  // The data folder starts with an empty migrated database (a copy of the test run's template), as a
  // first start leaves it; making one from nothing is the embedded-database process tests' subject.
  beforeAll(async () => {
    fs.mkdirSync(dataDir);
    const db = await openPglite(path.join(dataDir, 'pgdata'), { loadDataDir: await pgliteTemplateBlob() });
    await db.close();
  });
  afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('imports a CSV file with a bad row, reports it, exports the directory and imports the export again', async () => {
    const csv = path.join(folder, 'services.csv');
    fs.writeFileSync(
      csv,
      [
        'service_name,organisation_name,needs,postcode,address_1,times',
        'Wyndale Walkers,Wyndale Walking Trust,physical-activity,WY1 2AB,1 Test Street,"TU 10:00-11:00"',
        'Broken Service,Wyndale Walking Trust,not-a-need,,,',
        'Chatty Café,Wyndale Community Café,food,,,',
      ].join('\n'),
    );
    const imported = await cli(dataDir, 'import', csv, '--format', 'csv');
    expect(imported.output).toMatch(/3 records: 2 created, 0 updated, 1 rejected/);
    expect(imported.output).toMatch(/Rejected line 3 "Broken Service"/);
    expect(imported.output).toMatch(/needs: "not-a-need" is not a need code/);
    expect(imported.code).toBe(0);

    const ndjson = path.join(folder, 'directory.ndjson');
    const exported = await cli(dataDir, 'export', ndjson);
    expect(exported.code).toBe(0);
    const lines = fs.readFileSync(ndjson, 'utf8').trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l).name).sort()).toEqual(['Chatty Café', 'Wyndale Walkers']);
    expect(fs.existsSync(`${ndjson}.partial`)).toBe(false);

    const asCsv = path.join(folder, 'directory.csv');
    expect((await cli(dataDir, 'export', asCsv, '--format', 'csv')).code).toBe(0);
    expect(fs.readFileSync(asCsv, 'utf8')).toMatch(/^\uFEFFservice_id,service_name,/);

    const again = await cli(dataDir, 'import', ndjson);
    expect(again.output).toMatch(/2 records: 0 created, 2 updated, 0 rejected/);
    expect(again.code).toBe(0);
  });

  it('exits with 1 when every record is rejected, and 2 when the command is wrong', async () => {
    const bad = path.join(folder, 'bad.ndjson');
    fs.writeFileSync(bad, '{"id":"not-a-uuid","name":"Nope"}\n{"name":""}\n');
    const rejected = await cli(dataDir, 'import', bad);
    expect(rejected.output).toMatch(/2 rejected/);
    expect(rejected.code).toBe(1);
    expect((await cli(dataDir, 'import', path.join(folder, 'missing.csv'))).code).toBe(2);
    expect((await cli(dataDir, 'import', bad, '--format', 'xml')).code).toBe(2);
    expect((await cli(dataDir, 'export')).code).toBe(2);
  });
});
