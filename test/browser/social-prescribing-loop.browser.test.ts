import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { signInThroughForm, startBrowserTestServer, type BrowserTestServer, expectNoSidewaysScroll } from '../support/browser.ts';
import { buildOrganisation, buildUser, signedInAs } from '../support/kit.ts';
import { buildService } from '../support/directory-factories.ts';
import { aProgrammeWithCases } from '../support/innovation.ts';
import { buildPartnership, loneliness, openCaseThroughForms, referOnward, referThroughForm } from '../support/social-prescribing.ts';

/** Screenshots for looking at the pages, when SCREENSHOT_DIR is set (scratch/ is git-ignored). */
async function snap(page: Page, name: string) {
  const dir = process.env.SCREENSHOT_DIR;
  if (!dir) return;
  const size = page.viewportSize()!;
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: size.height });
    await page.screenshot({ path: path.join(dir, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize(size);
}

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

type AxeViolation = { id: string; impact: string | null; nodes: { html: string }[] };

/**
 * The critical and serious WCAG 2.2 A and AA violations axe-core finds on the page, by rule and
 * element. One is left out: NHS.UK frontend's own script puts aria-expanded on a radio that reveals
 * a conditional question (the decline reason); that comes from the design system, not this page.
 */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> } }).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    }),
  );
  const designSystems = (v: AxeViolation, html: string) => v.id === 'aria-allowed-attr' && /class="nhsuk-radios__input"[^>]*aria-controls="conditional-/.test(html);
  return result.violations
    .filter((v) => v.impact === 'critical' || v.impact === 'serious')
    .flatMap((v) => v.nodes.filter((n) => !designSystems(v, n.html)).map((n) => `${v.id}: ${n.html}`));
}

/** The cards under "What needs you" on the home page, as their text. */
async function needsYou(page: Page): Promise<string> {
  await page.goto('/');
  await page.getByRole('heading', { name: 'What needs you' }).waitFor();
  return (await page.locator('main').textContent()) ?? '';
}

describe('the referral loop reaches an organisation with no account, in a browser', () => {
  let s: BrowserTestServer;
  let w: Awaited<ReturnType<typeof buildPartnership>>;
  let allotment: { id: string; name: string };
  let quietService: { id: string };
  beforeAll(async () => {
    s = await startBrowserTestServer({ mailServer: true });
    w = await buildPartnership(s);
    // A community group nobody can sign in for: its listing gives an email address, nothing more.
    allotment = await buildOrganisation(s.db, { name: 'Brookside Test Allotment Society' });
    await buildService(s.db, { organisationId: allotment.id, name: 'Brookside Test Growing Together', taxonomyTermIds: [loneliness], email: 'growing@example.org' });
    // And one whose listing gives no email at all.
    const quiet = await buildOrganisation(s.db, { name: 'Brookside Test Walking Group' });
    quietService = await buildService(s.db, { organisationId: quiet.id, name: 'Brookside Test Tuesday Walk', taxonomyTermIds: [loneliness], email: null });
  });
  afterAll(async () => s?.close());

  it('a link worker refers; the organisation accepts and records attendance through the emailed link; the link worker sees it', async () => {
    const gp = await signedInAs(s, w.gpStaff);
    await referThroughForm(s.db, gp, w.practice.id, { givenName: 'Tamsin', familyName: 'Brookfield', nhsNumber: '' });

    // Signing in lands on what needs the link worker: the referral to triage.
    const page = await s.newPage(1280);
    await signInThroughForm(page, w.lw.email, w.lw.password);
    expect(new URL(page.url()).pathname).toBe('/');
    await page.getByRole('heading', { name: 'What needs you' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await snap(page, 'home-link-worker');
    await page.getByRole('link', { name: /Referral to triage/ }).click();
    await page.getByRole('link', { name: 'Tamsin Brookfield' }).click();
    await page.getByLabel('Accept and open a case').check();
    await page.getByRole('button', { name: 'Save triage decision' }).click();
    await page.getByText('Referral accepted and case opened').waitFor();
    // The referrer's notes are carried onto the case.
    expect(await page.textContent('main')).toContain('Lives alone since spring.');
    const caseUrl = page.url().split('?')[0];

    // Choosing to refer: what refer and signpost mean, and where the referral will go, are said first.
    await page.getByRole('link', { name: 'Find community support for Tamsin' }).click();
    await page.getByRole('link', { name: 'Brookside Test Growing Together' }).click();
    expect(await page.textContent('main')).toContain('We email growing@example.org a secure link');
    expect(await page.textContent('main')).toContain('Nothing about them is shared');
    await page.getByLabel('Refer: send their details').check();
    await snap(page, 'connect-refer');
    const connectUrl = page.url();
    await page.goto(connectUrl.replace(/connect\/[^/?]+/, `connect/${quietService.id}`));
    expect(await page.textContent('main')).toContain('has no email address in the directory');
    await snap(page, 'connect-no-email');
    await page.goto(connectUrl);
    await page.getByLabel('Refer: send their details').check();
    await page.getByLabel('Phone number').check();
    await page.getByLabel('The person agreed today to share these details').check();
    await page.getByLabel('Notes (optional)').fill('Keen gardener; mornings suit best.');
    // No information sharing agreement covers a group nobody can sign for: refused, saying what is missing.
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('No information sharing agreement covers this').first().waitFor();
    // With the person's explicit consent recorded, it goes on that basis.
    await page.getByLabel('The person gave explicit consent to this sharing').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Referral emailed to growing@example.org').waitFor();
    const onwardUrl = page.url().split('?')[0];

    // The email, as the real SMTP server received it.
    const mail = s.smtp!.received.find((m) => m.to.includes('growing@example.org'))!;
    expect(mail.subject).toContain('Brookside Test Growing Together');
    const link = new URL(/https?:\/\/\S+\/referral\/\S+/.exec(mail.text)![0]);

    // The organisation, on a phone, with no account.
    const org = await s.newPage(375);
    await org.goto(link.pathname);
    await org.getByRole('heading', { name: 'Tamsin Brookfield' }).waitFor();
    const shown = (await org.textContent('main'))!;
    expect(shown).toContain('01632 960123');
    expect(shown).toContain('Keen gardener; mornings suit best.');
    expect(shown).toContain(w.lw.name);
    expect(shown).toContain(w.lw.email);
    for (const secret of ['27 March 1950', 'ada@example.org', 'Lives alone since spring']) expect(shown).not.toContain(secret);
    await expectNoSidewaysScroll(org);
    expect(await seriousViolations(org)).toEqual([]);
    await snap(org, 'secure-referral');
    await org.getByLabel('Yes, accept it').check();
    await org.getByRole('button', { name: 'Send answer' }).click();
    await org.getByText('The link worker can see you accepted').waitFor();
    await org.getByLabel('Attending').check();
    await org.getByRole('button', { name: 'Record attendance' }).click();
    await org.getByText('Attendance recorded.').waitFor();
    await snap(org, 'secure-referral-accepted');
    // Answered: the page offers no second answer.
    expect(await org.getByRole('button', { name: 'Send answer' }).count()).toBe(0);

    // The link worker sees it opened and answered, and the outcome on the case.
    await page.goto(onwardUrl);
    const status = (await page.locator('table', { has: page.locator('caption', { hasText: 'Secure links' }) }).textContent())!;
    expect(status).toContain('growing@example.org');
    expect(status).not.toContain('Not yet');
    expect(await seriousViolations(page)).toEqual([]);
    await snap(page, 'referral-link-status');
    await page.goto(caseUrl);
    const onward = (await page.locator('table', { has: page.locator('caption', { hasText: 'Signposting' }) }).textContent())!;
    expect(onward).toContain('Accepted');
    expect(onward).toContain('Attending');
    expect(onward).toContain('answered by link');
  });

  it('each role lands on what needs them', async () => {
    // An organisation editor with a referral waiting for an answer.
    const lw = await signedInAs(s, w.lw);
    const { caseId } = await openCaseThroughForms(s, w, lw, 'Wenna');
    const onwardId = await referOnward(s, lw, caseId, w.service.id);
    // The link worker's view of a referral still waiting: re-send, revoke, print, or record it phoned through.
    const worker = await s.newPage(1280);
    await signInThroughForm(worker, w.lw.email, w.lw.password);
    await worker.goto(`/social-prescribing/cases/${caseId}/onward/${onwardId}`);
    expect(await worker.textContent('main')).toContain('Not yet');
    await worker.getByRole('button', { name: 'Revoke the link' }).waitFor();
    await worker.getByRole('link', { name: 'Print the referral' }).waitFor();
    expect(await seriousViolations(worker)).toEqual([]);
    await snap(worker, 'referral-waiting');
    const programme = await aProgrammeWithCases(s.db, { teams: 1 });
    const editor = await s.newPage(375);
    await signInThroughForm(editor, w.editor.email, w.editor.password);
    expect(await needsYou(editor)).toContain('Referral waiting for your answer');
    await expectNoSidewaysScroll(editor);
    await snap(editor, 'home-editor');

    const manager = await s.newPage(1280);
    await signInThroughForm(manager, programme.manager.email, programme.manager.password);
    const managerHome = await needsYou(manager);
    expect(managerHome).toContain('Test Ideas Fund');
    expect(managerHome).toContain('Next:');
    await snap(manager, 'home-programme-manager');

    const admin = await s.newPage(1280);
    await signInThroughForm(admin, w.admin.email, w.admin.password);
    const adminHome = await needsYou(admin);
    expect(adminHome).toMatch(/Organisations? without an editor/);
    await snap(admin, 'home-admin');

    const analyst = await buildUser(s.db, { role: 'analyst' });
    const quiet = await s.newPage(375);
    await signInThroughForm(quiet, analyst.email, analyst.password);
    expect(await needsYou(quiet)).toContain('Nothing needs you right now.');
    await snap(quiet, 'home-nothing');
  });
});
