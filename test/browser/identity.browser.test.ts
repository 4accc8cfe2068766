import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrganisation, buildUser } from '../support/factories.ts';
import { signInThroughForm, startBrowserTestServer, type BrowserTestServer, expectNoSidewaysScroll } from '../support/browser.ts';

describe('invitations and accounts, in a browser', () => {
  let s: BrowserTestServer;
  beforeAll(async () => {
    s = await startBrowserTestServer();
  });
  afterAll(async () => s?.close());

  it('an admin invites a person, who accepts on a phone-sized screen and lands signed in on their account', async () => {
    await buildOrganisation(s.db, { name: 'Brookside Men’s Shed' });
    const admin = await buildUser(s.db, { role: 'partnership_admin' });
    const adminPage = await s.newPage();
    await signInThroughForm(adminPage, admin.email, admin.password);
    await adminPage.goto('/admin/users');
    await adminPage.getByRole('button', { name: 'Invite a person' }).click();
    await adminPage.getByLabel('Full name').fill('Jordan Invitee');
    await adminPage.getByLabel('Email address').fill('jordan.invitee@example.org');
    // The organisation picker: type part of the name, choose from the suggestions.
    // Typed only once the script has put the autocomplete in place of the plain field.
    await adminPage.locator('[data-organisation-picker][data-enhanced]').first().waitFor();
    await adminPage.getByLabel('Organisation', { exact: true }).fill('Brookside');
    await adminPage.getByRole('option', { name: 'Brookside Men’s Shed' }).click();
    await adminPage.getByLabel('Link worker').check();
    await adminPage.getByRole('button', { name: 'Send invitation' }).click();
    await adminPage.getByRole('heading', { name: 'Invitation made' }).waitFor();
    expect(await adminPage.textContent('main')).toContain('No email was sent');
    const link = (await adminPage.locator('#invitation-link').textContent())!.trim();
    const path = new URL(link).pathname;

    const page = await s.newPage(375);
    await page.goto(path);
    expect(await page.locator('h1').textContent()).toBe('Set up your account');
    expect(await page.getByLabel('Your full name').inputValue()).toBe('Jordan Invitee');
    // Too short first: the error summary takes focus and the name is kept.
    await page.getByLabel('Choose a password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.locator('.nhsuk-error-summary').waitFor();
    await page.locator('.nhsuk-error-summary:focus').waitFor({ timeout: 5_000 }); // the NHS frontend's script focuses it once it has run
    expect(await page.locator('.nhsuk-error-summary').textContent()).toContain('Password must be 12 characters or more');
    await page.getByRole('link', { name: 'Password must be 12 characters or more' }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('password');
    await page.keyboard.type('correct horse battery');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/account?welcome=1');
    const main = await page.textContent('main');
    expect(main).toContain('Your account is ready');
    expect(main).toContain('Link worker for Brookside Men’s Shed');
    await expectNoSidewaysScroll(page, 375);

    // The same link again is refused with a clear page.
    const again = await s.newPage();
    const response = await again.goto(path);
    expect(response!.status()).toBe(410);
    expect(await again.locator('h1').textContent()).toBe('This invitation has already been used');
  });

  it('creates an API token, shows it once, and revokes it', async () => {
    const user = await buildUser(s.db, { role: 'analyst' });
    const page = await s.newPage();
    await signInThroughForm(page, user.email, user.password);
    await page.goto('/account');
    await page.getByLabel('Name for a new token').fill('Spreadsheet link');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = (await page.locator('#new-token').textContent())!.trim();
    expect(token).toMatch(/^cg_[A-Za-z0-9_-]{43}$/);
    const api = await page.request.get('/api/v1/me', { headers: { authorization: `Bearer ${token}` } });
    expect((await api.json()).email).toBe(user.email);
    await page.goto('/account');
    expect(await page.locator('#new-token').count()).toBe(0);
    await page.getByRole('button', { name: 'Revoke token Spreadsheet link' }).click();
    await page.waitForURL('**/account?revoked=1');
    expect(await page.textContent('main')).toContain('The API token has been revoked');
    expect((await page.request.get('/api/v1/me', { headers: { authorization: `Bearer ${token}`, cookie: '' } })).status()).toBe(401);
  });
});
