import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createTestApp, type TestApp } from './test-app.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, headless, as root-safe and offline as this machine needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export type BrowserTestServer = TestApp & { baseUrl: string; browser: Browser; newPage(width?: number): Promise<Page> };

/** The app on a real port with an empty test database, and a browser pointed at it. */
export async function startBrowserTestServer(env: Record<string, string> = {}): Promise<BrowserTestServer> {
  const t = await createTestApp(env);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  const browser = await launchChromium();
  return {
    ...t,
    baseUrl,
    browser,
    async newPage(width = 1024) {
      const context = await browser.newContext({ baseURL: baseUrl, viewport: { width, height: 900 } });
      return context.newPage();
    },
    async close() {
      await browser.close();
      await t.close();
    },
  };
}

/** Signs in through the real form. */
export async function signInThroughForm(page: Page, email: string, password: string) {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}
