import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser } from '../support/factories.ts';
import { signInThroughForm, startBrowserTestServer, type BrowserTestServer, expectNoSidewaysScroll } from '../support/browser.ts';

const CSV = [
  'service_name,organisation_name,needs,address_1,postcode,times,service_email',
  'Wyndale Walkers,Wyndale Walking Trust,physical-activity,1 Test Street,WY1 2AB,"MO,WE 10:00-12:00",walk@example.org',
  'Broken Service,Wyndale Walking Trust,not-a-need,,,,not-an-email',
  'Chatty Café,Wyndale Community Café,food; loneliness,,,,',
].join('\n');

describe('importing the directory, in a browser', () => {
  let s: BrowserTestServer;
  beforeAll(async () => {
    s = await startBrowserTestServer();
  });
  afterAll(async () => s?.close());

  it('lets an admin upload a CSV file, follow its progress and read the report', async () => {
    const admin = await buildUser(s.db, { role: 'partnership_admin' });
    const page = await s.newPage();
    await signInThroughForm(page, admin.email, admin.password);
    await page.getByRole('link', { name: 'Import and export' }).first().click();
    await page.waitForURL('**/directory/import');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Import and export the directory');

    await page.getByLabel('In a file I upload').check();
    await page.locator('input[type=file][name=file]').setInputFiles({ name: 'services.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await page.getByLabel('Format of the file').selectOption('csv');
    await page.getByRole('button', { name: 'Start import' }).click();
    await page.waitForURL(/\/directory\/import\/[0-9a-f-]{36}$/);
    // The page refreshes itself while the import runs.
    await page.locator('.nhsuk-tag', { hasText: 'Finished' }).waitFor({ timeout: 30_000 });
    const main = (await page.textContent('main'))!;
    expect(main).toMatch(/Created\s*2/);
    expect(main).toMatch(/Rejected\s*1/);
    const rejected = page.getByRole('table', { name: 'Rejected records and why' });
    expect(await rejected.textContent()).toContain('Line 3');
    expect(await rejected.textContent()).toContain('service_email');
    expect(await rejected.textContent()).toContain('"not-a-need" is not a need code');

    const services = await s.db.query<{ name: string }>('select name from services order by name');
    expect(services.map((r) => r.name)).toEqual(['Chatty Café', 'Wyndale Walkers']);

    // The run is listed on the import page.
    await page.getByRole('link', { name: 'Import something else' }).click();
    expect(await page.getByRole('table', { name: 'Recent imports' }).textContent()).toContain('uploaded CSV file');
  });

  it('shows the error summary for a missing file, a file it cannot read and a feed address that is not a web address', async () => {
    const admin = await buildUser(s.db, { role: 'partnership_admin' });
    const page = await s.newPage(375);
    await signInThroughForm(page, admin.email, admin.password);
    await page.goto('/directory/import');

    await page.getByRole('button', { name: 'Start import' }).click();
    const summary = page.locator('.nhsuk-error-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain('Choose a file to upload');

    await page.locator('input[type=file][name=file]').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"id": "x", ') });
    await page.getByLabel('Format of the file').selectOption('oruk-json');
    await page.getByRole('button', { name: 'Start import' }).click();
    await page.locator('.nhsuk-error-summary').waitFor();
    expect(await page.locator('.nhsuk-error-summary').textContent()).toContain('not valid JSON');

    await page.getByLabel("In another directory's ORUK feed").check();
    await page.getByLabel('Address of the ORUK feed').fill('ftp://example.org/oruk');
    await page.getByRole('button', { name: 'Start import' }).click();
    await page.locator('.nhsuk-error-summary').waitFor();
    expect(await page.locator('.nhsuk-error-summary').textContent()).toContain('starts with http:// or https://');
    // What was typed is kept.
    expect(await page.getByLabel('Address of the ORUK feed').inputValue()).toBe('ftp://example.org/oruk');
    await expectNoSidewaysScroll(page, 375);
    expect(await s.db.query('select 1 from import_runs where started_by = $1', [admin.id])).toEqual([]);
  });

  it('is only for partnership admins', async () => {
    const editor = await buildUser(s.db, { role: 'organisation_editor' });
    const page = await s.newPage();
    await signInThroughForm(page, editor.email, editor.password);
    for (const url of ['/directory/import', '/directory/export.csv']) {
      const response = await page.goto(url);
      expect(response!.status()).toBe(403);
    }
  });
});
