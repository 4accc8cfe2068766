import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildService } from '../support/directory-factories.ts';
import { buildOrganisation, buildUser } from '../support/factories.ts';
import { signInThroughForm, startBrowserTestServer, type BrowserTestServer, expectNoSidewaysScroll } from '../support/browser.ts';

describe('an editor keeps a listing current, in a browser', () => {
  let s: BrowserTestServer;
  beforeAll(async () => {
    s = await startBrowserTestServer();
  });
  afterAll(async () => s?.close());

  it('changes a service’s times, sees the change, and finds it in the history', async () => {
    const organisation = await buildOrganisation(s.db, { name: 'Brackenside Community Association' });
    const editor = await buildUser(s.db, { role: 'organisation_editor', organisationId: organisation.id, name: 'Robin Editor' });
    const service = await buildService(s.db, { organisationId: organisation.id, name: 'Brackenside Lunch Club' });
    const page = await s.newPage();
    await signInThroughForm(page, editor.email, editor.password);

    await page.goto('/directory/listings');
    await page.getByRole('link', { name: 'Places and times for Brackenside Lunch Club' }).click();
    await page.waitForURL(/\/locations$/);
    expect(await page.textContent('main')).toContain('Mondays and Wednesdays, 10:00 to 12:00');
    await page.getByRole('link', { name: /^Change Mondays and Wednesdays/ }).click();

    // A mistake first: closing before opening.
    await page.getByRole('checkbox', { name: 'Wednesday' }).uncheck();
    await page.getByRole('checkbox', { name: 'Friday' }).check();
    await page.getByLabel('Opens at').fill('13:30');
    await page.getByLabel('Closes at').fill('12:00');
    await page.getByRole('button', { name: 'Save opening times' }).click();
    const summary = page.locator('.nhsuk-error-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain('Closing time must be after the opening time');
    expect(await page.getByRole('checkbox', { name: 'Friday' }).isChecked()).toBe(true);
    await page.getByRole('link', { name: 'Closing time must be after the opening time' }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('closesAt');

    await page.getByLabel('Closes at').fill('15:00');
    await page.getByRole('button', { name: 'Save opening times' }).click();
    // Once failed in CI by timing out here: say where the page was, to tell a refusal from a slow load.
    await page.waitForURL(/\/locations\?done=times$/, { waitUntil: 'domcontentloaded' }).catch(async (error: Error) => {
      throw new Error(`${error.message}\nThe page was at ${page.url()}, showing: ${((await page.textContent('main').catch(() => '')) ?? '').replace(/\s+/g, ' ').slice(0, 500)}`);
    });
    expect(await page.textContent('main')).toContain('Mondays and Fridays, 13:30 to 15:00');

    // The public page shows it, once another engineer's service page exists; until then the editor's page does.
    const publicPage = await page.goto(`/directory/services/${service.id}`);
    if (publicPage?.status() === 200) expect(await page.textContent('main')).toContain('13:30');
    else expect(publicPage?.status()).toBe(404);

    await page.goto(`/directory/services/${service.id}/history`);
    const history = await page.textContent('main');
    expect(history).toContain('by Robin Editor');
    expect(history).toContain('Opening times');
    expect(history).toContain('Added: Mondays and Fridays, 13:30 to 15:00 at Test Community Centre');
    expect(history).toContain('Removed: Mondays and Wednesdays, 10:00 to 12:00 at Test Community Centre');
  });

  it('marks a listing as still correct with one click', async () => {
    const organisation = await buildOrganisation(s.db);
    const editor = await buildUser(s.db, { role: 'organisation_editor', organisationId: organisation.id });
    const service = await buildService(s.db, { organisationId: organisation.id, name: 'Millbrook Walking Group' });
    await s.db.query(`update services set last_reviewed_at = now() - interval '8 months' where id = $1`, [service.id]);
    const page = await s.newPage(375);
    await signInThroughForm(page, editor.email, editor.password);
    await page.goto('/directory/listings');
    expect(await page.textContent('main')).toContain('May be out of date');
    await page.getByRole('button', { name: /^Still correct\W+Millbrook Walking Group$/ }).click();
    await page.waitForURL(/done=reviewed/);
    expect(await page.textContent('main')).toContain('Marked as still correct');
    expect(await page.textContent('main')).not.toContain('May be out of date');
    await expectNoSidewaysScroll(page, 375);
  });
});
