import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveServiceRecords } from '../../src/modules/directory/directory.repository.ts';
import { needs } from '../../src/modules/directory/needs-taxonomy.ts';
import { aLocation, aService } from '../support/directory-factories.ts';
import { buildOrganisation } from '../support/factories.ts';
import { startBrowserTestServer, type BrowserTestServer, expectNoSidewaysScroll } from '../support/browser.ts';

const loneliness = needs.find((n) => n.code === 'loneliness')!;
const food = needs.find((n) => n.code === 'food')!;

describe('finding services, in a browser', () => {
  let s: BrowserTestServer;
  beforeAll(async () => {
    s = await startBrowserTestServer();
    await s.db.query(`insert into postcodes (postcode, latitude, longitude) values ('WY1 2AB', 53.8, -1.55)`);
    const organisation = await buildOrganisation(s.db, { name: 'Wyndale Good Neighbours' });
    const every = (byday: string) => [{ id: crypto.randomUUID(), freq: 'WEEKLY' as const, byday, opensAt: '10:00', closesAt: '12:00' }];
    const services = [
      // 22 befriending services for loneliness, one a little further north each.
      ...Array.from({ length: 22 }, (_, i) =>
        aService(organisation.id, {
          name: `Befriending Circle ${String(i + 1).padStart(2, '0')}`,
          description: 'Volunteers who visit or phone people who feel lonely, for a chat every week.',
          taxonomyTermIds: [loneliness.id],
          locations: [aLocation({ name: `Meeting Room ${i + 1}`, latitude: 53.8 + 0.003 * (i + 1), longitude: -1.55, schedules: every('MO,TU,WE,TH,FR') })],
        }),
      ),
      // Same words, other need: left out by the need filter.
      aService(organisation.id, { name: 'Befriending Lunch', taxonomyTermIds: [food.id], locations: [aLocation({ latitude: 53.801, longitude: -1.55 })] }),
      // Right need, too far away.
      aService(organisation.id, { name: 'Befriending Far Away', taxonomyTermIds: [loneliness.id], locations: [aLocation({ latitude: 54.3, longitude: -1.55 })] }),
    ];
    await s.db.transaction((tx) => saveServiceRecords(tx, services));
  });
  afterAll(async () => s?.close());

  it('searches by text, need and postcode, sees distance and next opening, pages, and opens a service', async () => {
    const page = await s.newPage(1024);
    await page.goto('/directory');
    await page.getByLabel('What are you looking for?').fill('befriending');
    await page.getByLabel('Need', { exact: true }).selectOption({ label: loneliness.name });
    await page.getByLabel('Postcode', { exact: true }).fill('wy1 2ab');
    await page.getByLabel('Distance from the postcode').selectOption({ label: 'Within 5 miles' });
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/text=befriending/);

    await expect.poll(() => page.locator('#results-heading').textContent()).toContain('22 services found');
    const first = page.locator('.cg-result').first();
    expect(await first.locator('h3').textContent()).toContain('Befriending Circle 01');
    expect(await first.textContent()).toContain('0.2 miles away');
    expect(await first.textContent()).toMatch(/Open now until 12:00|Opens (today|tomorrow|Monday) 10:00/);
    expect(await page.locator('.cg-result').count()).toBe(20);
    expect(await page.textContent('main')).not.toContain('Befriending Lunch');
    expect(await page.textContent('main')).not.toContain('Befriending Far Away');

    await page.getByRole('link', { name: /Next/ }).click();
    await page.waitForURL(/page=2/);
    expect(page.url()).toContain('postcode=WY1+2AB');
    expect(page.url()).toContain('miles=5');
    expect(await page.locator('.cg-result').count()).toBe(2);
    expect(await page.textContent('main')).toContain('Showing 21 to 22');
    // The form still shows the search.
    expect(await page.getByLabel('What are you looking for?').inputValue()).toBe('befriending');
    expect(await page.getByLabel('Need', { exact: true }).inputValue()).toBe('loneliness');

    await page.getByRole('link', { name: 'Befriending Circle 22' }).click();
    await page.waitForURL(/\/directory\/services\//);
    expect(await page.locator('h1').textContent()).toBe('Befriending Circle 22');
    expect(await page.textContent('main')).toContain('Meeting Room 22');
    expect(await page.locator('table').first().textContent()).toContain('10:00 to 12:00');
    expect(await page.getByRole('link', { name: 'Report a problem with this listing' }).count()).toBe(1);
  });

  it('shows a postcode it cannot find as an error beside the field, keeping the search', async () => {
    const page = await s.newPage(1024);
    await page.goto('/directory');
    await page.getByLabel('What are you looking for?').fill('befriending');
    await page.getByLabel('Postcode', { exact: true }).fill('ZZ9 9ZZ');
    await page.getByRole('button', { name: 'Search' }).click();
    const summary = page.locator('.nhsuk-error-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain('We could not find the postcode ZZ9 9ZZ');
    await summary.getByRole('link').first().click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('postcode');
    expect(await page.getByLabel('What are you looking for?').inputValue()).toBe('befriending');
  });

  it('fits a 375px-wide phone screen: results and a service page', async () => {
    const page = await s.newPage(375);
    await page.goto('/directory?text=befriending&need=loneliness&postcode=WY1+2AB&miles=5');
    await page.locator('.cg-result').first().waitFor();
    await expectNoSidewaysScroll(page, 375);
    await page.locator('.cg-result h3 a').first().click();
    await page.waitForURL(/\/directory\/services\//);
    await expectNoSidewaysScroll(page, 375);
  });
});
