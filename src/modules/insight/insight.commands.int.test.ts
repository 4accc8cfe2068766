import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../platform/config.ts';
import type { Database } from '../../platform/db/database.ts';
import { buildOrganisation, buildUser } from '../../../test/support/factories.ts';
import { buildAgreement } from '../../../test/support/sharing.ts';
import { createTestDatabase } from '../../../test/support/test-database.ts';
import { insightCommands } from './insight.commands.ts';

let db: Database;
let dir: string;
let partnerId: string;
const run = (args: string[]) => insightCommands.withDatabase.insight.run(db, args, loadConfig({ LOG_LEVEL: 'silent', DEMO_DATA: 'false', DATA_DIR: dir, INSIGHT_STORE: path.join(dir, 'insight.duckdb'), INSIGHT_KEY_FILE: path.join(dir, 'key') }));

/** Runs the command, keeping what it prints. */
async function printed(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    const code = await run(args);
    return { code, out: log.mock.calls.flat().join('\n'), err: error.mock.calls.flat().join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'insight-cli-'));
  fs.writeFileSync(path.join(dir, 'key'), `${'ef'.repeat(32)}\n`);
  fs.writeFileSync(path.join(dir, 'people.csv'), 'pseudonym,year_of_birth,sex,lsoa,gp_practice,locality,date_of_death,imd_decile\n' + `${'a1'.repeat(32)},1950,F,,P1,North,,3\n`);
  fs.writeFileSync(path.join(dir, 'ae.csv'), 'pseudonym,start_date,units,cost\n' + `${'a1'.repeat(32)},2025-06-01,1,120\n`);
  db = await createTestDatabase();
  const partnership = await buildOrganisation(db, { name: 'Wyndale test partnership', kind: 'partnership' });
  const partner = await buildOrganisation(db, { name: 'Wyndale test acute trust', kind: 'nhs_trust' });
  await buildOrganisation(db, { name: 'Unagreed test trust', kind: 'nhs_trust' });
  partnerId = partner.id;
  const signatory = (organisationId: string) => buildUser(db, { role: 'organisation_editor', organisationId }).then((u) => ({ organisationId, signatoryUserId: u.id }));
  await buildAgreement(db, { title: 'Test insight loads', parties: [await signatory(partner.id), await signatory(partnership.id)], flows: [{ flowType: 'insight_load', from: partner.id, to: partnership.id, dataItems: ['insight.service_use', 'insight.area'], identifiability: 'pseudonymised' }] });
});
afterAll(async () => {
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('insight load on the command line', () => {
  it('refuses a partner no active agreement covers, saying why, and loads nothing', async () => {
    const result = await printed(['load', path.join(dir, 'ae.csv'), '--kind', 'ae', '--partner', 'Unagreed test trust']);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/Refused: nothing loaded from .*ae\.csv\. No information sharing agreement covers .* from Unagreed test trust to Wyndale test partnership/);
  });

  it('needs the partner, and names the organisations a vague name matches', async () => {
    await expect(run(['load', path.join(dir, 'ae.csv'), '--kind', 'ae'])).rejects.toThrow('Give --partner');
    await expect(run(['load', path.join(dir, 'ae.csv'), '--kind', 'ae', '--partner', 'trust'])).rejects.toThrow(/More than one organisation matches “trust”: .*Unagreed test trust/);
  });

  it('loads from a partner under its agreement, named by its id or its name', async () => {
    const register = await printed(['load', path.join(dir, 'people.csv'), '--kind', 'people', '--partner', partnerId]);
    expect(register.code, register.err).toBe(0);
    const byId = await printed(['load', path.join(dir, 'ae.csv'), '--kind', 'ae', '--partner', partnerId]);
    expect(byId.out, byId.err).toContain('Loaded 1 of 1 rows');
    expect((await printed(['load', path.join(dir, 'ae.csv'), '--kind', 'ae', '--partner', 'wyndale test acute trust'])).code).toBe(0);
  });
});
