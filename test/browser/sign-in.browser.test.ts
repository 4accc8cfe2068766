import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser } from '../support/factories.ts';
import { signInThroughForm, startBrowserTestServer, type BrowserTestServer, expectNoSidewaysScroll } from '../support/browser.ts';

describe('signing in, in a browser', () => {
  let s: BrowserTestServer;
  beforeAll(async () => {
    s = await startBrowserTestServer();
  });
  afterAll(async () => s?.close());

  it('signs in, shows who is signed in, and signs out', async () => {
    const user = await buildUser(s.db, { role: 'link_worker' });
    const page = await s.newPage();
    await signInThroughForm(page, user.email, user.password);
    expect(await page.textContent('main')).toContain(`signed in as ${user.name}`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in/);
    expect(await page.getByRole('link', { name: 'Sign in' }).count()).toBeGreaterThan(0);
  });

  it('signs in with the keyboard alone', async () => {
    const user = await buildUser(s.db, { role: 'analyst' });
    const page = await s.newPage();
    await page.goto('/sign-in');
    await page.locator('#email').focus();
    await page.keyboard.type(user.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(user.password);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
    expect(await page.textContent('main')).toContain(`signed in as ${user.name}`);
  });

  it('shows the error summary, focused, for an empty form', async () => {
    const page = await s.newPage(375);
    await page.goto('/sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const summary = page.locator('.nhsuk-error-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain('Enter your email address');
    await page.locator('.nhsuk-error-summary:focus').waitFor({ timeout: 5_000 }); // the NHS frontend's script focuses it once it has run
    // Nothing overflows a 375px-wide phone screen.
    await expectNoSidewaysScroll(page, 375);
  });
});
