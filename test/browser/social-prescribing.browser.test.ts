import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { signInThroughForm, startBrowserTestServer, type BrowserTestServer } from '../support/browser.ts';
import { buildPartnership, referThroughForm, signedIn } from '../../src/modules/social-prescribing/testing/factories.ts';

/** Screenshots for people to look at (scratch/ is git-ignored); the tests assert what matters. */
async function shoot(page: Page, name: string) {
  await page.screenshot({ path: `scratch/sp/${name}-${page.viewportSize()!.width}.png`, fullPage: true });
}

async function noSidewaysScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(page.viewportSize()!.width);
}

describe('a link worker’s day, in a browser', () => {
  let s: BrowserTestServer;
  let w: Awaited<ReturnType<typeof buildPartnership>>;
  beforeAll(async () => {
    s = await startBrowserTestServer();
    w = await buildPartnership(s);
  });
  afterAll(async () => s?.close());

  it('triages, calls, refers to an organisation that accepts and reports attendance, and records an outcome measure', async () => {
    const gp = await signedIn(s, w.gpStaff);
    await referThroughForm(s.db, gp, w.practice.id, { givenName: 'Morwenna', familyName: 'Dayfield', nhsNumber: '' });

    const page = await s.newPage();
    await signInThroughForm(page, w.lw.email, w.lw.password);
    await page.getByRole('link', { name: 'Caseload' }).first().click();
    await page.getByRole('heading', { name: 'Caseload' }).waitFor();
    await shoot(page, 'caseload');

    // Triage: accept, which opens a case.
    await page.getByRole('link', { name: 'Morwenna Dayfield' }).click();
    await shoot(page, 'triage');
    await page.getByLabel('Accept and open a case').check();
    await page.getByRole('button', { name: 'Save triage decision' }).click();
    await page.getByText('Referral accepted and case opened').waitFor();
    expect(await page.textContent('main')).toContain('871731000000106');

    // A call: record the contact and a weekly wellbeing call.
    await page.getByText('Record a contact').click();
    await page.getByLabel('Phone', { exact: true }).check();
    await page.getByLabel('Spoke to them').check();
    await page.getByLabel('Duration in minutes (optional)').fill('25');
    await page.getByLabel('Notes (optional)').fill('Talked about what matters: getting out more.');
    await page.getByRole('button', { name: 'Record contact' }).click();
    await page.getByText('Contact recorded.').waitFor();
    expect(await page.textContent('main')).toContain('Talked about what matters');
    await page.getByText('Schedule a follow-up').click();
    await page.getByLabel('What to do').fill('Weekly wellbeing call');
    await page.getByLabel('Due date').fill(new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10));
    await page.getByLabel('Repeat every week until stopped').check();
    await page.getByRole('button', { name: 'Schedule follow-up' }).click();
    await page.getByText('Follow-up saved.').waitFor();
    expect(await page.textContent('main')).toContain('(every week)');
    await shoot(page, 'case');
    const caseUrl = page.url().split('?')[0];

    // Connect to community support: the directory, filtered by the referral's need.
    await page.getByRole('link', { name: 'Find community support for Morwenna' }).click();
    await page.getByRole('link', { name: 'Test Friendship Lunch Club' }).click();
    await page.getByLabel('Refer: send their details').check();
    await page.getByLabel('Phone number').check();
    await page.getByLabel('The person agreed today to share these details').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('The organisation can now see the referral').waitFor();
    expect(await page.locator('table', { has: page.locator('caption', { hasText: 'Signposting' }) }).textContent()).toContain('Waiting for an answer');

    // The community organisation accepts and, later, reports attendance.
    const editorPage = await s.newPage(375);
    await signInThroughForm(editorPage, w.editor.email, w.editor.password);
    await editorPage.goto('/social-prescribing/referrals-received');
    await shoot(editorPage, 'inbox');
    await noSidewaysScroll(editorPage);
    await editorPage.getByRole('link', { name: 'Morwenna Dayfield' }).click();
    expect(await editorPage.textContent('main')).not.toContain('Dayfield, born');
    await editorPage.getByLabel('Yes, accept it').check();
    await editorPage.getByRole('button', { name: 'Send answer' }).click();
    await editorPage.getByText('Answer sent to the link worker.').waitFor();
    await editorPage.getByLabel('Attending').check();
    await editorPage.getByRole('button', { name: 'Record attendance' }).click();
    await editorPage.getByText('Attendance recorded.').waitFor();
    await shoot(editorPage, 'inbox-item');

    await page.goto(caseUrl);
    const onward = await page.locator('table', { has: page.locator('caption', { hasText: 'Signposting' }) }).textContent();
    expect(onward).toContain('Accepted');
    expect(onward).toContain('Attending');

    // An outcome measure at the start.
    await page.getByRole('link', { name: 'Outcome measures' }).click();
    for (const [i, v] of ['4', '5', '3', '8'].entries()) await page.locator(`#a${i}`).fill(v);
    await page.getByRole('button', { name: 'Save measure' }).click();
    await page.getByText('Measure recorded.').waitFor();
    const table = await page.textContent('main table');
    expect(table).toContain('4 (Low)');
    expect(table).toContain('8 (High)');
    await shoot(page, 'measures');
  });

  it('works through an outreach cohort: load a CSV, call, and open a case for someone who needs support', async () => {
    const page = await s.newPage();
    await signInThroughForm(page, w.lw2.email, w.lw2.password);
    await page.goto('/social-prescribing/cohorts/new');
    await page.getByLabel('Name of the cohort').fill('Shielding list, spring');
    await page.getByLabel('PCN').selectOption(w.pcn.id);
    await page.locator('input[type="file"]').setInputFiles({ name: 'cohort.csv', mimeType: 'text/csv', buffer: Buffer.from('First name,Last name,Date of birth,Phone\nIsolde,Callwell,12/11/1938,01632 960777\nTobin,Callwell,1940-01-02,01632 960778\n') });
    await page.getByRole('button', { name: 'Load cohort' }).click();
    await page.getByRole('heading', { name: 'Shielding list, spring' }).waitFor();
    expect(await page.textContent('main')).toContain('0 of 2');
    await shoot(page, 'cohort');
    await page.getByRole('link', { name: 'Isolde Callwell' }).click();
    await page.getByLabel('Needs support').check();
    await page.getByRole('button', { name: 'Save call' }).click();
    await page.getByText('Call recorded.').waitFor();
    expect(await page.textContent('h1')).toContain('Isolde Callwell');
    expect(await page.textContent('main')).toContain('Opened from an outreach cohort');
  });

  it('shows the self-referral form’s error summary at 375px, focused, with nothing overflowing', async () => {
    const page = await s.newPage(375);
    await page.goto('/social-prescribing/refer-yourself');
    await page.getByRole('button', { name: 'Send' }).click();
    const summary = page.locator('.nhsuk-error-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain('Enter their first name');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('nhsuk-error-summary'))).toBe(true);
    await noSidewaysScroll(page);
    await shoot(page, 'refer-yourself-errors');
  });

  it('fits the caseload and case pages on a phone screen', async () => {
    const page = await s.newPage(375);
    await signInThroughForm(page, w.lw.email, w.lw.password);
    await page.goto('/social-prescribing');
    await noSidewaysScroll(page);
    await shoot(page, 'caseload');
    await page.getByRole('link', { name: 'Morwenna Dayfield' }).first().click();
    await noSidewaysScroll(page);
    await shoot(page, 'case');
    await page.goto('/social-prescribing/reports');
    await noSidewaysScroll(page);
    await shoot(page, 'reports');
    const wide = await s.newPage(1024);
    await signInThroughForm(wide, w.lw.email, w.lw.password);
    await wide.goto('/social-prescribing/reports');
    await shoot(wide, 'reports');
  });
});
