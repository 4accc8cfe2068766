import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createTestApp, type TestApp } from './test-app.ts';
import { createTestAppWithMailServer } from './kit.ts';
import type { RecordingSmtpServer } from './mail.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, headless, as root-safe and offline as this machine needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export type BrowserTestServer = TestApp & { baseUrl: string; browser: Browser; newPage(width?: number): Promise<Page>; smtp?: RecordingSmtpServer };

/**
 * The app on a real port with an empty test database, and a browser pointed at it; with
 * `mailServer`, its email goes through a real SMTP server on this machine (`smtp.received`).
 */
export async function startBrowserTestServer(options: { mailServer?: boolean } = {}): Promise<BrowserTestServer> {
  const t: TestApp & { smtp?: RecordingSmtpServer } = options.mailServer ? await createTestAppWithMailServer() : await createTestApp();
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

/**
 * Asserts the page does not scroll sideways at `width` (the viewport's width unless given). The NHS
 * header's script moves links that no longer fit into its "More" menu a moment after a resize, so
 * this waits up to 3 seconds for the page to settle before failing, naming what sticks out.
 */
export async function expectNoSidewaysScroll(page: Page, width = page.viewportSize()!.width) {
  const scrollWidth = () => page.evaluate(() => document.documentElement.scrollWidth);
  const settled = Date.now() + 3_000;
  while ((await scrollWidth()) > width && Date.now() < settled) await page.waitForTimeout(100);
  const wide = await page.evaluate(
    (w) => [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > w + 1 && !e.closest('.cg-table-scroll')).slice(0, 4).map((e) => `${e.tagName.toLowerCase()}.${e.className}`),
    width,
  );
  expect(await scrollWidth(), `${page.url()} at ${width} px: ${wide.join(', ')}`).toBeLessThanOrEqual(width);
}
