import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, demoEditorEmail, demoUsers, loadDemoPartnership } from '../../src/demo/demo-partnership.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { launchChromium, signInThroughForm } from '../support/browser.ts';

/*
 * An axe-core scan (WCAG 2.0, 2.1 and 2.2, levels A and AA) of every page each demo role reaches from
 * the navigation and its home page, and the key forms and the import page, on the demo partnership.
 * Any critical or serious violation fails, naming the page, the rule and the elements.
 */

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

type Violation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };

/** Same-site links on the page worth visiting: not sign-out, downloads or the API. */
async function pageLinks(page: Page, selector: string): Promise<string[]> {
  const hrefs = await page.locator(selector).evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).getAttribute('href') ?? ''));
  return hrefs.filter((h) => h.startsWith('/') && !/^\/(api|oruk)\b|\.csv|\/export\/|sign-out|#/.test(h));
}

describe('accessibility of every page each demo role reaches (axe-core, WCAG 2.2 A and AA)', () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    t = await createTestApp();
    await loadDemoPartnership(t.db);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** Scans each page once; returns "page: rule (impact): help — elements" for every serious or critical violation. */
  async function scan(page: Page, paths: string[], mustOpen: Set<string>): Promise<string[]> {
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const path of paths) {
      if (seen.has(path)) continue;
      seen.add(path);
      const response = await page.goto(path);
      // Links the role is shown must open; a key form guessed for a programme at another stage may not.
      if (mustOpen.has(path)) expect(response?.status(), path).toBeLessThan(400);
      else if ((response?.status() ?? 500) >= 400) continue;
      await page.evaluate(axeSource);
      const violations = (await page.evaluate(
        (tags) => (window as unknown as { axe: { run: (c: Document, o: object) => Promise<{ violations: unknown[] }> } }).axe.run(document, { runOnly: { type: 'tag', values: tags } }).then((r) => r.violations),
        WCAG_TAGS,
      )) as Violation[];
      for (const v of violations.filter((x) => x.impact === 'critical' || x.impact === 'serious')) {
        problems.push(`${path}: ${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`);
      }
    }
    return problems;
  }

  const firstLink = async (page: Page, path: string, pattern: RegExp) => {
    await page.goto(path);
    return (await pageLinks(page, 'main a')).find((h) => pattern.test(h));
  };

  it('finds nothing critical or serious on the public pages', async () => {
    const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const service = await firstLink(page, '/directory?text=lunch+club', /^\/directory\/services\/[0-9a-f-]{36}$/);
    expect(service).toBeDefined();
    const paths = ['/', '/directory', '/directory?text=lunch+club', service!, `${service}/report-a-problem`, '/sign-in', '/forgotten-password', '/glossary', '/api'];
    await page.goto('/');
    const shown = [...(await pageLinks(page, 'header nav a')), ...(await pageLinks(page, 'main a'))];
    expect(await scan(page, [...paths, ...shown], new Set(shown))).toEqual([]);
    await context.close();
  }, 300_000);

  const people = [...demoUsers.map((u) => ({ email: u.email, role: u.role as string })), { email: demoEditorEmail(0), role: 'organisation_editor of a community group' }];
  for (const person of people) {
    it(`finds nothing critical or serious on the pages ${/^[aeiou]/.test(person.role) ? 'an' : 'a'} ${person.role.replace(/_/g, ' ').replace(/^ig /, 'IG ')} reaches`, async () => {
      const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await signInThroughForm(page, person.email, DEMO_PASSWORD);
      await page.goto('/');
      const shown = [...(await pageLinks(page, 'header nav a')), ...(await pageLinks(page, 'main a'))];
      const paths = ['/', '/account', ...shown];
      // Key forms and the pages one step in, by role.
      if (person.role === 'partnership_admin') paths.push('/directory/import', '/admin/users/invite', '/directory/organisations/new', '/admin/outbox', '/directory/duplicates');
      if (person.role.startsWith('organisation_editor')) {
        const edit = await firstLink(page, '/directory/listings', /^\/directory\/services\/[0-9a-f-]{36}\/edit$/);
        expect(edit, 'an editor has a listing to edit').toBeDefined();
        const base = edit!.replace(/\/edit$/, '');
        paths.push('/directory/listings', edit!, `${base}/locations`, `${base}/times/new`);
      }
      if (person.role === 'link_worker') {
        const firstCase = await firstLink(page, '/social-prescribing', /^\/social-prescribing\/cases\/[0-9a-f-]{36}$/);
        paths.push('/social-prescribing', '/social-prescribing/refer', '/social-prescribing/cohorts');
        if (firstCase) paths.push(firstCase, `${firstCase}/plan`, `${firstCase}/measures`, `${firstCase}/connect`);
      }
      if (person.role === 'programme_manager') {
        paths.push('/programmes', '/programmes/new');
        await page.goto('/programmes');
        for (const programme of (await pageLinks(page, 'main a')).filter((h) => /^\/programmes\/[0-9a-f-]{36}$/.test(h))) {
          paths.push(programme, `${programme}/ideas`, `${programme}/ideas/new`, `${programme}/projects`, `${programme}/report`);
        }
      }
      expect(await scan(page, paths, new Set(shown))).toEqual([]);
      await context.close();
    }, 600_000);
  }
});
