import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildService } from '../support/directory-factories.ts';
import { buildOrganisation, buildUser } from '../support/factories.ts';
import { signInThroughForm, startBrowserTestServer, type BrowserTestServer, expectNoSidewaysScroll } from '../support/browser.ts';

describe('reporting a problem with a listing, in a browser', () => {
  let s: BrowserTestServer;
  beforeAll(async () => {
    s = await startBrowserTestServer();
  });
  afterAll(async () => s?.close());

  it('a member of the public reports a problem and an editor resolves it', async () => {
    const organisation = await buildOrganisation(s.db, { name: 'Riverside Tenants Association' });
    const editor = await buildUser(s.db, { role: 'organisation_editor', organisationId: organisation.id });
    const service = await buildService(s.db, { organisationId: organisation.id, name: 'Riverside Coffee Morning' });

    const publicPage = await s.newPage(375);
    await publicPage.goto(`/directory/services/${service.id}/report-a-problem`);
    await publicPage.getByRole('button', { name: 'Send report' }).click();
    const summary = publicPage.locator('.nhsuk-error-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain('Select what is wrong');
    expect(await summary.textContent()).toContain('Enter what is wrong, and what it should say');
    await publicPage.locator('.nhsuk-error-summary:focus').waitFor({ timeout: 5_000 }); // the NHS frontend's script focuses it once it has run
    await expectNoSidewaysScroll(publicPage, 375);

    await publicPage.getByLabel('The contact details are wrong').check();
    await publicPage.getByLabel('Tell us more').fill('The phone number rings a different group. The right one is 01632 960777.');
    await publicPage.getByLabel('Your email address (optional)').fill('resident@example.org');
    await publicPage.getByRole('button', { name: 'Send report' }).click();
    await publicPage.waitForURL(/report-a-problem\/sent$/);
    expect(await publicPage.textContent('h1')).toContain('Thank you for your report');
    expect(s.mailer.outbox.some((m) => m.to === editor.email && m.subject === 'Problem reported: Riverside Coffee Morning')).toBe(true);

    const page = await s.newPage();
    await signInThroughForm(page, editor.email, editor.password);
    await page.goto('/directory/problems');
    await page.getByRole('link', { name: /Riverside Coffee Morning: the contact details are wrong/ }).click();
    expect(await page.textContent('main')).toContain('01632 960777');
    await page.getByRole('button', { name: 'Mark as resolved' }).click();
    await page.locator('.nhsuk-error-summary').waitFor();
    await page.getByLabel('What did you do?').fill('Corrected the phone number.');
    await page.getByRole('button', { name: 'Mark as resolved' }).click();
    await page.waitForURL(/\/directory\/problems\?done=resolved$/);
    const list = await page.textContent('main');
    expect(list).toContain('The report has been marked as resolved');
    expect(list).toContain('Resolved');
    expect(s.mailer.outbox.find((m) => m.to === 'resident@example.org')?.text).toContain('Corrected the phone number.');
  });
});
