import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../platform/db/database.ts';
import { createTestDatabase } from '../../../../test/support/test-database.ts';
import { buildOrganisation, buildUser } from '../../../../test/support/factories.ts';
import { buildAgreement } from '../../../../test/support/sharing.ts';
import { nhsCheckDigit } from '../../social-prescribing/nhs-number.ts';
import * as analysis from '../analysis/analysis.repository.ts';
import { keyFromFile, pseudonymOf } from '../pseudonyms/pseudonym-key.ts';
import { InsightStore } from '../store/insight-store.ts';
import { createTables } from '../store/schema.repository.ts';
import { OPT_OUT_MOVED } from './layouts.ts';
import { LoadForm } from './loads.schemas.ts';
import { loadExtract, type Loader } from './loads.service.ts';

/** Valid NHS numbers for the hand-made people: nine digits and their check digit. */
function nhsNumber(n: number): string {
  for (let base = 943_000_000 + n * 17; ; base++) {
    const check = nhsCheckDigit(String(base));
    if (check !== null) return `${base}${check}`;
  }
}
const person = Array.from({ length: 13 }, (_, i) => nhsNumber(i));

let dir: string;
let store: InsightStore;
let db: Database;
let loader: Loader;
let partnerId: string;

function write(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}
const load = (kind: string, file: string) => loadExtract(store, db, loader, { path: file, fileName: path.basename(file), format: 'csv', kind, partnerOrganisationId: partnerId });

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'insight-'));
  fs.writeFileSync(path.join(dir, 'key'), `${'ab'.repeat(32)}\n`);
  store = await InsightStore.open(':memory:');
  await createTables(store);
  db = await createTestDatabase();
  loader = { actor: null, name: 'test run', ip: null, key: () => keyFromFile(path.join(dir, 'key')), areaDeprivation: async () => new Map([['E01000001', 1]]) };
  // The partner sends its extracts to the partnership under an active agreement.
  const partnership = await buildOrganisation(db, { name: 'Wyndale test partnership', kind: 'partnership' });
  const partner = await buildOrganisation(db, { name: 'Wyndale test partner', kind: 'council' });
  partnerId = partner.id;
  const signatory = (organisationId: string) => buildUser(db, { role: 'organisation_editor', organisationId }).then((u) => ({ organisationId, signatoryUserId: u.id }));
  const parties = [await signatory(partner.id), await signatory(partnership.id)];
  await buildAgreement(db, { title: 'Test insight loads', parties, flows: [{ flowType: 'insight_load', from: partner.id, to: partnership.id, dataItems: ['insight.service_use', 'insight.area'], identifiability: 'pseudonymised' }] });
});
afterAll(async () => {
  store.close();
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('loading extracts, figures checked against a hand-made dataset', () => {
  it('loads a register, unit costs and activity; splits a stay across 1 April; prices events without a cost', async () => {
    const people = write('people.csv', [
      'nhs_number,year_of_birth,sex,lsoa,gp_practice,locality,date_of_death,imd_decile',
      `${person[1]},1938,F,E01000001,P1,North,,`, // decile from the area lookup: 1
      `${person[2]},1950,M,E01000002,P1,North,,3`,
      `${person[3]},1930,F,E01000002,P2,South,,5`,
      `${person[4]},1945,M,E01000003,P2,South,,7`,
      `${person[5]},1990,F,E01000003,P1,North,,9`,
      `${person[6]},2010,M,,P1,North,,10`,
      `${person[7]},1980,F,,P2,South,,2`,
      `${person[8]},1970,M,,P2,South,,4`,
      `${person[9]},1960,F,,P1,North,,6`,
      `${person[10]},2000,M,,P2,South,,8`,
      `${person[11]},1941,F,,P1,North,2025-10-01,1`,
      `${person[12]},1935,M,,P2,South,2025-01-10,2`,
    ]);
    expect(await load('people', people)).toMatchObject({ status: 'loaded', rowsRead: 12, rowsLoaded: 12 });
    expect(await load('unit-costs', write('costs.csv', ['financial_year,setting,unit_cost', '2025-26,ae,200', '2025-26,care-home,800', '2025-26,home-care,25']))).toMatchObject({ status: 'loaded' });
    expect(await load('inpatient-emergency', write('ip.csv', ['nhs_number,start_date,end_date,units,cost', `${person[1]},2026-03-30,2026-04-02,4,4000`]))).toMatchObject({ status: 'loaded', rowsLoaded: 1, periodFrom: '2026-03-30', periodTo: '2026-04-02' });
    expect(await load('ae', write('ae.csv', ['nhs_number,start_date,units,cost', `${person[2]},2025-06-01,1,`]))).toMatchObject({ status: 'loaded' });
    expect(await load('care-home', write('ch.csv', ['nhs_number,start_date,end_date,units,cost', `${person[3]},2025-05-01,2025-07-09,10,`]))).toMatchObject({ status: 'loaded' });
    expect(await load('home-care', write('hc.csv', ['nhs_number,start_date,end_date,units,cost', `${person[4]},2025-09-01,2025-09-30,40,`]))).toMatchObject({ status: 'loaded' });
    expect(await load('outpatient', write('op.csv', ['nhs_number,start_date,units,cost', `${person[5].slice(0, 3)} ${person[5].slice(3, 6)} ${person[5].slice(6)},2025-11-11,1,150.00`]))).toMatchObject({ status: 'loaded' });
    expect(await load('gp-ooh', write('ooh.csv', ['nhs_number,start_date,units,cost', `${person[11]},2025-09-15,1,100`]))).toMatchObject({ status: 'loaded' });

    // Nothing identifying is held: only 64-character keyed pseudonyms.
    const held = await store.query<{ pseudonym: string }>('select pseudonym from people');
    expect(held.every((p) => /^[0-9a-f]{64}$/.test(p.pseudonym))).toBe(true);
    expect(JSON.stringify(await store.query('select * from people'))).not.toContain(person[1]);
    // Each is HMAC-SHA-256 of the number with the partnership's key (the store makes them; pseudonymOf is Node's own).
    const key = keyFromFile(path.join(dir, 'key'));
    expect(new Set(held.map((p) => p.pseudonym))).toEqual(new Set(person.slice(1).map((n) => pseudonymOf(key, n))));
    // The outpatient extract wrote person 5's number with spaces: the same person, the same pseudonym.
    expect(await store.query("select count(*)::integer as n from events where setting = 'outpatient' and pseudonym = $1", [pseudonymOf(key, person[5])])).toEqual([{ n: 1 }]);

    expect(await analysis.financialYears(store)).toEqual([2025, 2026]);
    const all = { fy: 2025, locality: null, ageBand: null, sex: null, quintile: null, setting: null };
    // 2025-26: person 12 died before it began, so 11 people; the 4-day stay is half in each year.
    const both = await analysis.concentration(store, all, 'both');
    expect(both.people).toBe(11);
    expect(both.totalCost).toBeCloseTo(2000 + 200 + 8000 + 1000 + 150 + 100, 6);
    expect(both.shareForHalf).toBeCloseTo(1 / 11, 6); // the care home resident alone holds over half
    // Highest first: 8000 (person 3, South) starts at 0 % of the 11,450; 2000 (1, North) at 69.9 %; 1000 (4, South) at 87.3 %;
    // 200, 150 and 100 (2, 5 and 11, all North) at 96.1 % and on; five people cost nothing (6 and 9 North, 7, 8 and 10 South).
    const everyone = both.bands.filter((b) => b.by === 'All').map(({ band, people, cost, min, mean, max }) => ({ band, people, cost, min, mean, max }));
    expect(everyone).toEqual([
      { band: 'under 50%', people: 1, cost: 8000, min: 8000, mean: 8000, max: 8000 },
      { band: '65-80%', people: 1, cost: 2000, min: 2000, mean: 2000, max: 2000 },
      { band: '80-95%', people: 1, cost: 1000, min: 1000, mean: 1000, max: 1000 },
      { band: '95% and over', people: 3, cost: 450, min: 100, mean: 150, max: 200 },
      { band: 'no cost', people: 5, cost: 0, min: 0, mean: 0, max: 0 },
    ]);
    expect(both.bands.filter((b) => b.by === 'Locality').map((b) => `${b.group} ${b.band} ${b.people}`)).toEqual([
      'North 65-80% 1', 'North 95% and over 3', 'North no cost 2', 'South under 50% 1', 'South 80-95% 1', 'South no cost 3',
    ]);
    // The curve runs from nobody to everyone; the six people with a cost hold all of it.
    expect(both.curve[0]).toEqual({ peopleShare: 0, costShare: 0 });
    expect(both.curve.at(-1)).toEqual({ peopleShare: 1, costShare: 1 });
    expect(both.curve.find((p) => p.peopleShare === 1 / 11)?.costShare).toBeCloseTo(8000 / 11450, 9);
    expect(both.curve.find((p) => p.peopleShare === 6 / 11)?.costShare).toBeCloseTo(1, 9);
    const health = await analysis.concentration(store, all, 'health');
    expect(health.totalCost).toBeCloseTo(2450, 6);
    expect(health.shareForHalf).toBeCloseTo(1 / 11, 6); // 2000 of 2450
    const next = await analysis.concentration(store, { ...all, fy: 2026 }, 'both');
    expect(next.totalCost).toBeCloseTo(2000, 6);

    const quadrant = await analysis.healthAndSocialCare(store, all);
    const cell = (h: boolean, s: boolean) => quadrant.cells.find((c) => c.health === h && c.social === s);
    expect(cell(true, false)).toMatchObject({ people: 1, cost: 2000 });
    expect(cell(false, true)).toMatchObject({ people: 1, cost: 8000 });
    expect(cell(true, true)).toBeUndefined();
    expect(cell(false, false)?.people).toBe(9);

    const cost = await analysis.costBySettingAndAge(store, all);
    expect(cost.cells.find((c) => c.setting === 'care-home')).toMatchObject({ ageBand: '85+', users: 1, cost: 8000 });
    expect(cost.bands.find((b) => b.ageBand === '85+')?.people).toBe(2); // born 1930 and 1938 (87 and 95... 85+)

    const byQuintile = await analysis.deprivation(store, all, 'quintile', 'both');
    // Quintile 1 (deciles 1-2): persons 1 (2000), 7 (0), 11 (100) → 2100 over 3 people.
    const q1 = byQuintile.find((r) => r.quintile === 1)!;
    expect(q1).toMatchObject({ people: 3 });
    expect(q1.cost).toBeCloseTo(2100, 6);

    const endOfLife = await analysis.lastYearOfLife(store, all);
    expect(endOfLife.deaths).toBe(1);
    expect(endOfLife.rows).toEqual([{ monthsBefore: 1, setting: 'gp-ooh', people: 1, cost: 100 }]);
  });

  it('refuses a file with problems as a whole, naming the rows, and keeps nothing of it', async () => {
    const before = await store.query<{ n: number }>('select count(*)::integer as n from events');
    const bad = write('bad.csv', [
      'nhs_number,start_date,end_date,units,cost',
      `${person[2]},2025-07-01,,1,50`,
      `9434765918,2025-07-01,,1,50`,
      `${person[2]},2025-02-30,,1,50`,
      `${person[2]},2025-08-10,2025-08-01,1,50`,
      `${person[2]},2025-08-10,,1,-5`,
      `${nhsNumber(99)},2025-08-10,,1,5`,
    ]);
    const result = await load('outpatient', bad);
    expect(result.status).toBe('refused');
    expect(result.rowsLoaded).toBe(0);
    const byProblem = Object.fromEntries(result.problems.map((p) => [p.problem, p.examples.map((e) => e.line)]));
    expect(byProblem['NHS number fails its check digit (modulus 11) or is not 10 digits']).toEqual([3]);
    expect(byProblem['start_date: a date that does not exist or is not written YYYY-MM-DD']).toEqual([4]);
    expect(byProblem['end_date before start_date']).toEqual([5]);
    expect(byProblem['cost: negative']).toEqual([6]);
    expect(byProblem['Person not in any loaded register (load the person register first)']).toEqual([7]);
    expect(await store.query<{ n: number }>('select count(*)::integer as n from events')).toEqual(before);
  });

  it('names missing and extra columns, and a file of the wrong kind', async () => {
    const extra = await load('ae', write('extra.csv', ['nhs_number,start_date,units,cost,name', `${person[2]},2025-06-01,1,,Someone`]));
    expect(extra.problems.map((p) => p.problem)).toEqual(['Column not in the layout: name. Remove it (so nothing unexpected, such as a name, is loaded).']);
    const wrongKind = await load('ae', write('register.csv', ['nhs_number,year_of_birth,sex', `${person[2]},1950,M`]));
    expect(wrongKind.problems[0].problem).toMatch(/^This looks like a person register/);
    expect(wrongKind.problems.map((p) => p.problem)).toContain('Missing columns: start_date, units.');
  });

  it('leaves people on the national data opt-out list the information governance lead keeps out of the store, now and in later loads', async () => {
    const all = { fy: 2025, locality: null, ageBand: null, sex: null, quintile: null, setting: null };
    expect((await analysis.concentration(store, all, 'social')).totalCost).toBeCloseTo(8000 + 1000, 6);
    await db.query('insert into is_opt_out_numbers (nhs_number) values ($1)', [person[4]]);
    const later = await load('home-care', write('hc2.csv', ['nhs_number,start_date,units,cost', `${person[4]},2025-10-01,2,50`, `${person[3]},2025-10-01,2,50`]));
    expect(later).toMatchObject({ status: 'loaded', rowsRead: 2, rowsLoaded: 1, rowsOptedOut: 1 });
    // Person 4's earlier home care (1000) is gone too; person 3's new 50 is in.
    expect((await analysis.concentration(store, all, 'social')).totalCost).toBeCloseTo(8000 + 50, 6);
    expect((await store.query<{ n: number }>('select count(*)::integer as n from people'))[0].n).toBe(11);
  });

  it('applies the same list to a file that names people by pseudonym', async () => {
    await db.query('insert into is_opt_out_numbers (nhs_number) values ($1)', [person[5]]);
    const key = loader.key();
    const later = await load('outpatient', write('op2.csv', ['pseudonym,start_date,units,cost', `${pseudonymOf(key, person[5])},2025-12-01,1,150`, `${pseudonymOf(key, person[2])},2025-12-01,1,150`]));
    expect(later).toMatchObject({ status: 'loaded', rowsRead: 2, rowsLoaded: 1, rowsOptedOut: 1 });
    const held = await store.query<{ n: number }>('select count(*)::integer as n from people');
    expect(held[0].n).toBe(10); // the register's 12 people, less persons 4 and 5
  });

  it('leaves out nobody who has come off the list, and says so', async () => {
    await db.query('delete from is_opt_out_numbers where nhs_number = $1', [person[4]]);
    expect(await load('people', write('back.csv', ['nhs_number,year_of_birth,sex,lsoa,gp_practice,locality,date_of_death,imd_decile', `${person[4]},1945,M,E01000003,P2,South,,7`]))).toMatchObject({ status: 'loaded', rowsLoaded: 1, rowsOptedOut: 0 });
    const again = await load('home-care', write('hc3.csv', ['nhs_number,start_date,units,cost', `${person[4]},2025-11-01,2,60`, `${person[5]},2025-11-01,2,60`]));
    expect(again).toMatchObject({ status: 'loaded', rowsRead: 2, rowsLoaded: 1, rowsOptedOut: 1 }); // person 5 is still on the list
  });

  it('has no opt-out upload of its own: it says where the one list is kept', async () => {
    await expect(load('opt-out', write('optout.csv', ['nhs_number', person[6]]))).rejects.toMatchObject({ kind: 'invalid', field: 'kind', message: expect.stringMatching(/information governance lead uploads it in Information sharing/) });
    // The upload form says the same.
    const form = LoadForm.safeParse({ kind: 'opt-out', partnerOrganisationId: partnerId, file: Buffer.from('nhs_number\n') });
    expect(form.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['kind', OPT_OUT_MOVED]]);
    expect((await store.query<{ n: number }>('select count(*)::integer as n from people'))[0].n).toBe(11);
  });
});

describe('loads are allowed only under an agreement', () => {
  it('refuses a partner no active agreement covers, saying why, and loads nothing', async () => {
    const stranger = await buildOrganisation(db, { name: 'Unagreed test trust', kind: 'nhs_trust' });
    const before = (await store.query<{ n: number }>('select count(*)::int as n from loads'))[0].n;
    const file = write('stranger.csv', ['nhs_number,start_date,units,cost', `${person[2]},2025-06-01,1,100`]);
    await expect(loadExtract(store, db, loader, { path: file, fileName: 'stranger.csv', format: 'csv', kind: 'ae', partnerOrganisationId: stranger.id })).rejects.toMatchObject({
      kind: 'conflict',
      field: 'partnerOrganisationId',
      message: expect.stringMatching(/^No information sharing agreement covers .* from Unagreed test trust to Wyndale test partnership/),
    });
    expect((await store.query<{ n: number }>('select count(*)::int as n from loads'))[0].n).toBe(before);
  });

  it('loads from a partner under its agreement, and audits the flow against it', async () => {
    const file = write('agreed.csv', ['financial_year,setting,unit_cost', '2024-25,ae,190']);
    expect(await load('unit-costs', file)).toMatchObject({ status: 'loaded', partner: 'Wyndale test partner' });
    const people = write('agreed-people.csv', ['nhs_number,year_of_birth,sex,lsoa,gp_practice,locality,date_of_death,imd_decile', `${person[0]},1950,F,,P1,North,,3`]);
    expect(await load('people', people)).toMatchObject({ status: 'loaded' });
    const audited = await db.query<{ action: string }>("select action from audit_log where action = 'flow_allowed' and details->>'flowType' = 'insight_load'");
    expect(audited.length).toBeGreaterThan(0);
  });
});
