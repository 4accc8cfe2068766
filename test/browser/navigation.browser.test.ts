import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/platform/actor.ts';
import { buildUser } from '../support/factories.ts';
import { signInThroughForm, startBrowserTestServer, type BrowserTestServer } from '../support/browser.ts';

describe('navigation by role, in a browser', () => {
  let s: BrowserTestServer;
  beforeAll(async () => {
    s = await startBrowserTestServer();
  });
  afterAll(async () => s?.close());

  const expectations: { role: Role; sees: string[]; doesNotSee: string[] }[] = [
    { role: 'partnership_admin', sees: ['Users and roles', 'Audit log'], doesNotSee: [] },
    { role: 'ig_lead', sees: ['Audit log'], doesNotSee: ['Users and roles'] },
    { role: 'link_worker', sees: [], doesNotSee: ['Users and roles', 'Audit log'] },
    { role: 'organisation_editor', sees: [], doesNotSee: ['Users and roles', 'Audit log'] },
    { role: 'analyst', sees: [], doesNotSee: ['Users and roles', 'Audit log'] },
  ];

  for (const { role, sees, doesNotSee } of expectations) {
    it(`shows ${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role.replace(/_/g, ' ').replace(/^ig /, 'IG ')} only the admin links their role allows, and the pages agree`, async () => {
      const user = await buildUser(s.db, { role });
      const page = await s.newPage();
      await signInThroughForm(page, user.email, user.password);
      const nav = page.locator('header nav');
      for (const text of sees) {
        expect(await nav.getByRole('link', { name: text, includeHidden: true }).count(), `${role} sees ${text}`).toBe(1);
      }
      for (const text of doesNotSee) {
        expect(await nav.getByRole('link', { name: text, includeHidden: true }).count(), `${role} does not see ${text}`).toBe(0);
      }
      // The link and the permission agree: a visible link opens, a missing one is refused.
      for (const [text, path] of [['Users and roles', '/admin/users'], ['Audit log', '/admin/audit']] as const) {
        const response = await page.goto(path);
        expect(response!.status(), `${role} opens ${path}`).toBe(sees.includes(text) ? 200 : 403);
        if (!sees.includes(text)) expect(await page.locator('h1').textContent()).toContain('Forbidden');
      }
      // Everyone signed in reaches their own account from the header.
      await page.goto('/');
      await page.locator('header').getByRole('link', { name: user.name }).click();
      await page.waitForURL('**/account');
      expect(await page.locator('h1').textContent()).toBe('Your account');
    });
  }

  it('shows no admin links to the public, and sends them to sign in from admin pages', async () => {
    const page = await s.newPage(375);
    await page.goto('/');
    expect(await page.locator('header').getByRole('link', { name: 'Users and roles', includeHidden: true }).count()).toBe(0);
    expect(await page.locator('header').getByRole('link', { name: 'Audit log', includeHidden: true }).count()).toBe(0);
    await page.goto('/admin/audit');
    expect(new URL(page.url()).pathname).toBe('/sign-in');
  });
});
