import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import axe from 'axe-core';
import { signInThroughForm, startBrowserTestServer, type BrowserTestServer, expectNoSidewaysScroll } from '../support/browser.ts';
import { buildOrganisation, buildUser } from '../support/kit.ts';
import { buildAgreement } from '../support/sharing.ts';
import { buildPartnership } from '../support/social-prescribing.ts';
import { nhsCheckDigit } from '../../src/modules/social-prescribing/nhs-number.ts';
import { generateDemoFiles } from '../../src/modules/insight/demo/insight-demo.repository.ts';
import { InsightStore } from '../../src/modules/insight/store/insight-store.ts';
import { createTables } from '../../src/modules/insight/store/schema.repository.ts';

async function accessible(page: Page) {
  await page.evaluate(axe.source);
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }).axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
    return result.violations.filter((v) => v.impact === 'critical' || v.impact === 'serious').map((v) => `${v.id} (${v.nodes.length}): ${JSON.stringify((v.nodes as { html: string }[]).map((n) => n.html.slice(0, 200)))}`);
  });
  expect(violations, page.url()).toEqual([]);
}

async function bothWidths(page: Page, name: string) {
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `scratch/insight-${name}-${width}.png`, fullPage: true });
    await expectNoSidewaysScroll(page);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

function nhsNumber(n: number): string {
  for (let base = 943_200_000 + n * 11; ; base++) {
    const check = nhsCheckDigit(String(base));
    if (check !== null) return `${base}${check}`;
  }
}

describe('whole-system insight in a browser', () => {
  let s: BrowserTestServer;
  let dir: string;
  let files: Record<string, string>;
  let analyst: { email: string; password: string };
  let charityName: string;

  beforeAll(async () => {
    fs.mkdirSync('scratch', { recursive: true });
    s = await startBrowserTestServer();
    const w = await buildPartnership(s);
    charityName = w.charity.name;
    analyst = await buildUser(s.db, { role: 'analyst' });
    // Loads are allowed only under an agreement: the council sends its extracts to the partnership under one; the trust has none.
    const partnership = await buildOrganisation(s.db, { name: 'Test Valley Health and Care Partnership', kind: 'partnership' });
    const council = await buildOrganisation(s.db, { name: 'Test Valley Borough Council', kind: 'council' });
    await buildOrganisation(s.db, { name: 'Test Valley Acute Trust', kind: 'nhs_trust' });
    const signatory = (organisationId: string) => buildUser(s.db, { role: 'organisation_editor', organisationId }).then((u) => ({ organisationId, signatoryUserId: u.id }));
    await buildAgreement(s.db, { title: 'Test Valley whole-system insight', parties: [await signatory(council.id), await signatory(partnership.id)], flows: [{ flowType: 'insight_load', from: council.id, to: partnership.id, dataItems: ['insight.service_use', 'insight.area'], identifiability: 'pseudonymised' }] });
    // Thirty people referred on to the friendship group last spring and summer, through social prescribing.
    const referred = Array.from({ length: 30 }, (_, i) => ({ nhs: nhsNumber(i), born: 1940 + (i % 30), received: `2025-0${3 + (i % 6)}-1${i % 9}` }));
    for (const [i, p] of referred.entries()) {
      const person = crypto.randomUUID();
      const referral = crypto.randomUUID();
      const kase = crypto.randomUUID();
      await s.db.query(`insert into sp_people (id, pcn_id, given_name, family_name, date_of_birth, nhs_number) values ($1, $2, 'Test', $3, $4, $5)`, [person, w.pcn.id, `Person-${i}`, `${p.born}-05-01`, p.nhs]);
      await s.db.query(`insert into sp_referrals (id, person_id, pcn_id, source, received_on, status) values ($1, $2, $3, 'gp', $4, 'accepted')`, [referral, person, w.pcn.id, p.received]);
      await s.db.query(`insert into sp_cases (id, person_id, referral_id, pcn_id, status, opened_on) values ($1, $2, $3, $4, 'active', $5)`, [kase, person, referral, w.pcn.id, p.received]);
      await s.db.query(`insert into sp_onward_referrals (id, case_id, person_id, kind, service_name, organisation_id, organisation_name, sent_on, status) values ($1, $2, $3, 'refer', 'Lunch club', $4, $5, $6, 'accepted')`, [crypto.randomUUID(), kase, person, w.charity.id, w.charity.name, p.received]);
    }
    // The partners' extracts, as files: a synthetic Wyndale that includes those thirty people.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'insight-browser-'));
    const scratchStore = await InsightStore.open(':memory:');
    await createTables(scratchStore);
    files = await generateDemoFiles(scratchStore, { people: 3000, events: 25_000, seed: 7, from: '2024-04-01', to: '2026-11-30' }, dir, referred.map((p) => ({ nhsNumber: p.nhs, yearOfBirth: p.born })));
    scratchStore.close();
  }, 120_000);
  afterAll(async () => {
    await s?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('loads the extracts, opens every page, hides small numbers and tests a change for a social prescribing cohort', async () => {
    const page = await s.newPage(1280);
    await signInThroughForm(page, analyst.email, analyst.password);
    await page.goto('/insight');
    await expect.poll(() => page.textContent('main')).toContain('Nothing is loaded yet');

    /** Chooses the partner with the organisation picker (the accessible autocomplete): type part of its name, pick it. */
    const choosePartner = async (name: string) => {
      await page.getByLabel('Partner organisation it comes from', { exact: true }).fill(name.split(' ').slice(-2).join(' '));
      await page.getByRole('option', { name, exact: true }).click();
    };
    // A partner no agreement covers: refused on the form, saying why, nothing loaded.
    await page.goto('/insight/loads');
    await page.getByLabel('What kind of extract is it?').selectOption('people');
    await choosePartner('Test Valley Acute Trust');
    await page.locator('input[type="file"]').setInputFiles(files.people);
    await page.getByRole('button', { name: 'Check and load' }).click();
    await expect.poll(() => page.textContent('main')).toMatch(/No information sharing agreement covers .* from Test Valley Acute Trust to Test Valley Health and Care Partnership/);
    await accessible(page);
    await bothWidths(page, 'load-refused');

    for (const kind of ['people', 'unit-costs', 'ae', 'inpatient-emergency', 'prescribing', 'home-care', 'care-home']) {
      await page.goto('/insight/loads');
      await page.getByLabel('What kind of extract is it?').selectOption(kind);
      await choosePartner('Test Valley Borough Council');
      await page.locator('input[type="file"]').setInputFiles(files[kind]);
      await page.getByRole('button', { name: 'Check and load' }).click();
      await expect.poll(() => page.textContent('main'), { timeout: 60_000, interval: 500 }).toContain('Rows loaded');
      expect(await page.textContent('main')).not.toContain('Nothing was loaded');
    }
    await page.goto('/insight/loads');
    await accessible(page);
    await bothWidths(page, 'loads');

    for (const slug of ['cost', 'concentration', 'health-and-social-care', 'deprivation', 'variation', 'last-year-of-life']) {
      const response = await page.goto(`/insight/${slug}`);
      expect(response?.status(), slug).toBe(200);
      expect(await page.locator('main h1').textContent()).toMatch(/2025-26/);
      await expect.poll(() => page.locator('main table').count()).toBeGreaterThan(0);
      await accessible(page);
      await bothWidths(page, slug);
    }
    const concentration = await page.goto('/insight/concentration');
    expect(concentration?.status()).toBe(200);
    expect(await page.textContent('main')).toMatch(/\d+\.\d% of people account for half of the health and social care cost/);
    expect(await page.locator('main svg[role="img"]').count()).toBe(1);

    // Narrow enough, figures about a handful of people are hidden in the table, the chart and the download.
    await page.goto('/insight/cost?ageBand=85%2B&locality=Cragmoor');
    expect(await page.textContent('main table')).toContain('fewer than 10');
    const download = await page.request.get('/insight/cost?ageBand=85%2B&locality=Cragmoor&format=csv');
    expect(await download.text()).toContain('fewer than 10');

    await page.goto('/insight/test-of-change');
    await page.getByLabel('People referred through social prescribing to an organisation').check();
    await page.getByLabel('Organisation people were referred to').selectOption({ label: `${charityName} (30 people)` });
    await page.getByLabel('6 months').check();
    await page.getByRole('button', { name: 'Test the change' }).click();
    const main = await page.textContent('main');
    expect(main).toContain(`People referred through social prescribing to ${charityName}`);
    expect(main).toMatch(/In the cohort\s*30/);
    expect(main).toContain('Difference in differences');
    expect(main).toContain('What social prescribing knows about the same referrals');
    expect(await page.locator('main svg[role="img"]').count()).toBe(1);
    await accessible(page);
    await bothWidths(page, 'test-of-change');
  }, 240_000);
});
