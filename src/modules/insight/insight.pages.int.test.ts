import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aSignedInUser, brokenErrorSummaryLinks, createTestApp, type TestApp, type TestClient } from '../../../test/support/kit.ts';
import { buildOrganisation, buildUser } from '../../../test/support/factories.ts';
import { buildAgreement } from '../../../test/support/sharing.ts';
import { postMultipart } from '../../../test/support/social-prescribing.ts';
import { nhsCheckDigit } from '../social-prescribing/nhs-number.ts';

/** A synthetic register of 60 people: 40 in the North (shown) and 20 in the South, where a few used care homes (hidden: fewer than 10). */
function nhsNumber(n: number): string {
  for (let base = 943_100_000 + n * 13; ; base++) {
    const check = nhsCheckDigit(String(base));
    if (check !== null) return `${base}${check}`;
  }
}
const people = Array.from({ length: 60 }, (_, i) => ({ nhs: nhsNumber(i), yob: 1930 + (i % 60), locality: i < 40 ? 'North' : 'South', decile: 1 + (i % 10) }));

let t: TestApp;
let analyst: TestClient;
let dir: string;

const csv = (lines: string[]) => `${lines.join('\n')}\n`;
/** Uploads as the analyst would: the partner typed into the organisation picker (taken when one organisation has exactly that name). */
async function upload(kind: string, content: string, client = analyst, partner = 'Wyndale test partner') {
  const response = await postMultipart(client, '/insight/loads', { kind, partnerOrganisationIdSearch: partner, partnerOrganisationId: '' }, { name: 'file', filename: `${kind}.csv`, content, type: 'text/csv' });
  return response;
}
/** Follows a load to its end: the page refreshes itself while it runs. */
async function finished(location: string) {
  for (let i = 0; i < 100; i++) {
    const page = await analyst.get(location);
    if (!page.body.includes('Checking and loading')) return page;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('load never finished');
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'insight-pages-'));
  fs.writeFileSync(path.join(dir, 'key'), `${'cd'.repeat(32)}\n`);
  t = await createTestApp({ INSIGHT_STORE: ':memory:', INSIGHT_KEY_FILE: path.join(dir, 'key') });
  ({ client: analyst } = await aSignedInUser(t, 'analyst'));
  // The partner sends its extracts to the partnership under an active agreement; another trust has none.
  const partnership = await buildOrganisation(t.db, { name: 'Wyndale test partnership', kind: 'partnership' });
  const partner = await buildOrganisation(t.db, { name: 'Wyndale test partner', kind: 'council' });
  await buildOrganisation(t.db, { name: 'Unagreed test trust', kind: 'nhs_trust' });
  const signatory = (organisationId: string) => buildUser(t.db, { role: 'organisation_editor', organisationId }).then((u) => ({ organisationId, signatoryUserId: u.id }));
  await buildAgreement(t.db, { title: 'Test insight loads', parties: [await signatory(partner.id), await signatory(partnership.id)], flows: [{ flowType: 'insight_load', from: partner.id, to: partnership.id, dataItems: ['insight.service_use', 'insight.area'], identifiability: 'pseudonymised' }] });
  const steps: [string, string][] = [
    ['people', csv(['nhs_number,year_of_birth,sex,lsoa,gp_practice,locality,date_of_death,imd_decile', ...people.map((p, i) => `${p.nhs},${p.yob},${i % 2 ? 'F' : 'M'},,P${i % 3},${p.locality},,${p.decile}`)])],
    ['unit-costs', csv(['financial_year,setting,unit_cost', '2025-26,ae,200', '2025-26,care-home,800'])],
    ['ae', csv(['nhs_number,start_date,units,cost', ...people.map((p, i) => `${p.nhs},2025-${String(4 + (i % 9)).padStart(2, "0")}-10,1,`).filter((_, i) => i % 9 !== 0 || i >= 40)])],
    ['care-home', csv(['nhs_number,start_date,end_date,units,cost', ...people.slice(40, 44).map((p) => `${p.nhs},2025-05-01,2025-05-28,4,`)])],
  ];
  for (const [kind, content] of steps) {
    const response = await upload(kind, content);
    expect(response.statusCode, response.body.slice(0, 300)).toBe(303);
    const page = await finished(response.headers.location as string);
    expect(page.statusCode, `${kind}: ${page.body.slice(0, 200)}`).toBe(200);
  }
});
afterAll(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('whole-system insight through its pages and API', () => {
  it('lists every load with its partner, rows and who loaded it', async () => {
    const page = await analyst.get('/insight/loads');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Person register');
    expect(page.body).toContain('Activity: Care home');
    expect(page.body).toContain('60 of 60');
  });

  it('shows figures with a chart and hides those about fewer than 10 people, on the page, in the download and in the API', async () => {
    const page = await analyst.get('/insight/cost?year=2025');
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/<svg[^>]*role="img"/);
    expect(page.body).toContain('fewer than 10'); // the 4 care home residents
    expect(page.body).not.toContain('£12,800'); // 4 residents × 4 weeks × £800 would give them away

    const download = await analyst.get('/insight/cost?year=2025&format=csv');
    expect(download.headers['content-type']).toContain('text/csv');
    expect(download.body.startsWith('\uFEFF')).toBe(true);
    expect(download.body).toContain('fewer than 10');
    expect(download.body).not.toContain('12,800');

    const made = await analyst.postForm('/account/api-tokens', { name: 'R script' });
    const token = /(cg_[A-Za-z0-9_-]{43})/.exec(made.body)![1];
    const api = await t.app.inject({ url: '/api/v1/insight/cost?year=2025', headers: { authorization: `Bearer ${token}` } });
    expect(api.statusCode).toBe(200);
    const body = api.json() as { rows: { setting: string; suppressed: boolean; cost: number | null }[]; financialYear: string };
    expect(body.financialYear).toBe('2025-26');
    const careHome = body.rows.find((r) => r.setting === 'Care home')!;
    expect(careHome).toMatchObject({ suppressed: true, cost: null });
    expect(body.rows.some((r) => !r.suppressed && typeof r.cost === 'number')).toBe(true);
    expect((await t.app.inject({ url: '/api/v1/insight/cost' })).statusCode).toBe(401);
  });

  it('says how concentrated the cost is', async () => {
    const page = await analyst.get('/insight/concentration?year=2025&locality=North');
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/% of people account for half of the health and social care cost/);
  });

  it('refuses what it cannot use with a clear message, never a 500', async () => {
    expect((await analyst.get('/insight/concentration?year=1800')).statusCode).toBe(400);
    const noYear = await analyst.get('/insight/concentration?year=2019');
    expect(noYear.statusCode).toBe(400);
    expect(noYear.body).toContain('No data for the financial year 2019-20');
    expect((await analyst.get('/insight/concentration?measure=everything')).statusCode).toBe(400);
    expect((await analyst.get('/insight/nothing-here')).statusCode).toBe(404);
    const { client: linkWorker } = await aSignedInUser(t, 'link_worker');
    expect((await linkWorker.get('/insight/cost')).statusCode).toBe(403);
    expect((await linkWorker.get('/insight/loads')).statusCode).toBe(403);
  });

  it('refuses a load no active agreement covers on the form (409), saying why, and loads nothing', async () => {
    const before = await analyst.get('/insight/loads');
    const response = await upload('ae', csv(['nhs_number,start_date,units,cost', `${people[1].nhs},2025-06-01,1,`]), analyst, 'Unagreed test trust');
    expect(response.statusCode).toBe(409);
    expect(response.body).toMatch(/No information sharing agreement covers .* from Unagreed test trust to Wyndale test partnership/);
    expect(brokenErrorSummaryLinks(response.body)).toEqual([]);
    const after = await analyst.get('/insight/loads');
    expect(after.body.match(/Unagreed test trust/g)?.length ?? 0).toBe(before.body.match(/Unagreed test trust/g)?.length ?? 0);
  });

  it('finds the partner organisation by part of its name, without script', async () => {
    const response = await postMultipart(analyst, '/insight/loads', { kind: 'ae', partnerOrganisationIdSearch: 'Wyndale test', partnerOrganisationId: '', _find: 'partnerOrganisationId' }, { name: 'file', filename: 'ae.csv', content: 'x', type: 'text/csv' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('choose one');
    expect(response.body).toContain('Wyndale test partnership');
    expect(response.body).toContain('Wyndale test partner<');
  });

  it('refuses a bad file whole and shows which rows to mend', async () => {
    const response = await upload('ae', csv(['nhs_number,start_date,units,cost', `${people[1].nhs},2025-13-01,1,`, '1234567890,2025-06-01,1,']));
    const page = await finished(response.headers.location as string);
    expect(page.statusCode).toBe(422);
    expect(page.body).toContain('Nothing was loaded');
    expect(page.body).toContain('start_date: a date that does not exist');
    expect(page.body).toContain('NHS number fails its check digit');
    const report = await analyst.get(`${response.headers.location as string}/report.csv`);
    expect(report.body).toContain('line');
  });

  it('draws the form again with the error summary when no file or kind is given', async () => {
    const response = await postMultipart(analyst, '/insight/loads', { kind: '', partnerOrganisationIdSearch: '', partnerOrganisationId: '' }, { name: 'file', filename: 'empty.csv', content: '', type: 'text/csv' });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('Choose what kind of extract this is');
    expect(response.body).toContain('Choose the partner organisation the extract comes from');
    expect(brokenErrorSummaryLinks(response.body)).toEqual([]);
  });

  it('tests a change for a rule-based cohort, and asks for what a rule needs', async () => {
    const missing = await analyst.postForm('/insight/test-of-change', { source: 'rule', months: '3' });
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain('Choose the setting whose first use starts');
    const result = await analyst.postForm('/insight/test-of-change', { source: 'rule', setting: 'ae', year: '2025', months: '3' });
    expect(result.statusCode).toBe(200);
    expect(result.body).toContain('People from their first use of ae in 2025-26');
    expect(result.body).toContain('Found in the loaded data');
  });
});
