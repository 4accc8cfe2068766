import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { signInThroughForm, startBrowserTestServer, type BrowserTestServer, expectNoSidewaysScroll } from '../support/browser.ts';
import { buildOrganisation, buildUser, signedInAs } from '../support/kit.ts';
import { buildService } from '../support/directory-factories.ts';
import { buildPartnership, loneliness, referThroughForm } from '../support/social-prescribing.ts';
import { setUpOrganisation } from '../../src/modules/information-sharing/demo/demo-sharing.ts';
import { ukToday, addDays } from '../../src/platform/dates.ts';

/** Screenshots for people to look at, when SCREENSHOTS names a folder. */
async function shoot(page: Page, name: string) {
  const dir = process.env.SCREENSHOTS;
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: path.join(dir, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1024, height: 900 });
}

async function noSidewaysScroll(page: Page) {
  await page.setViewportSize({ width: 375, height: 900 });
  await expectNoSidewaysScroll(page, 375);
  await page.setViewportSize({ width: 1024, height: 900 });
}

describe('an information sharing agreement, from purpose to the flows it allows, in a browser', () => {
  let s: BrowserTestServer;
  let w: Awaited<ReturnType<typeof buildPartnership>>;
  let walking: { id: string; name: string };
  let walkingEditor: Awaited<ReturnType<typeof buildUser>>;
  beforeAll(async () => {
    s = await startBrowserTestServer();
    w = await buildPartnership(s);
    // A second community organisation: set up for sharing, but no agreement covers referrals to it yet.
    walking = await buildOrganisation(s.db, { name: 'Test Walking Friends' });
    walkingEditor = await buildUser(s.db, { role: 'organisation_editor', organisationId: walking.id, name: 'Wren Test-Walker' });
    await buildService(s.db, { organisationId: walking.id, name: 'Test Wednesday Walks', taxonomyTermIds: [loneliness] });
    await setUpOrganisation(s.db, walking.id, walkingEditor.id);
  });
  afterAll(async () => s?.close());

  it('writes an agreement, refuses a referral until every party signs, then allows and counts it', async () => {
    // A person with an open case, ready to be referred on.
    const gp = await signedInAs(s, w.gpStaff);
    const { referralId } = await referThroughForm(s.db, gp, w.practice.id, { givenName: 'Ottoline', familyName: 'Strider', nhsNumber: '' });
    await (await signedInAs(s, w.lw)).postForm(`/social-prescribing/referrals/${referralId}/triage`, { decision: 'accept' });
    const [{ id: caseId }] = await s.db.query<{ id: string }>('select id from sp_cases where referral_id = $1', [referralId]);

    // The IG lead writes the agreement from its purpose.
    const ig = await s.newPage();
    await signInThroughForm(ig, w.ig.email, w.ig.password);
    await ig.getByRole('link', { name: 'Information sharing' }).first().click();
    await ig.getByRole('button', { name: 'Start an agreement' }).click();
    await ig.getByLabel('Title').fill('Walking for wellbeing referrals');
    await ig.getByLabel('Purpose: what is the place trying to achieve?').fill('People who are lonely get out walking with others near them, within a fortnight of asking.');
    await ig.getByLabel('Benefits: who benefits, and how?').fill('Less loneliness; more activity; the PCN knows what worked.');
    await ig.getByLabel('Deliver care and support').check();
    await ig.getByLabel('Evaluate services').check();
    await ig.getByRole('button', { name: 'Start the agreement' }).click();
    await ig.getByText('Agreement started').waitFor();
    const agreementUrl = ig.url().split('#')[0];

    for (const org of [w.pcn.name, walking.name]) {
      await ig.getByRole('link', { name: 'Add a party' }).click();
      // The organisation picker: type part of the name, choose from the suggestions.
      await ig.locator('[data-organisation-picker][data-enhanced]').first().waitFor();
      await ig.getByLabel('Organisation', { exact: true }).fill(org.split(' ').slice(0, -1).join(' '));
      await ig.getByRole('option', { name: org, exact: true }).waitFor();
      if (org === walking.name) await shoot(ig, 'party-picker-suggestions');
      await ig.getByRole('option', { name: org, exact: true }).click();
      if (org === walking.name) await shoot(ig, 'party-picker-chosen');
      await ig.getByRole('button', { name: 'Add party' }).click();
      await ig.getByText(`${org} added as a party.`).waitFor();
    }

    await ig.getByRole('link', { name: 'Add a data flow' }).click();
    await ig.getByLabel('From (sharing)').selectOption({ label: w.pcn.name });
    await ig.getByLabel('To (receiving)').selectOption({ label: walking.name });
    await ig.getByLabel('Is this one of Common Ground’s own flows?').selectOption('sp_referral');
    for (const item of ['Name', 'Phone number', 'Reasons for referral (needs) (special category)']) await ig.getByLabel(item, { exact: true }).check();
    await ig.getByLabel('Identifiable', { exact: true }).check();
    await ig.getByLabel('How often').fill('Each referral');
    await ig.getByLabel('How sent').fill('Through Common Ground');
    await ig.getByLabel('UK GDPR Article 6 lawful basis').selectOption('6(1)(e)');
    await ig.getByLabel('Common-law duty of confidentiality: how is it met?').selectOption('implied_consent');
    await ig.getByLabel('No: for individual care').check();
    for (let i = 1; i <= 8; i++) await ig.locator(`#caldicott${i}`).fill(`How flow meets principle ${i}`);
    await shoot(ig, 'flow-editor');
    // Health data without an Article 9 condition: refused by name, nothing typed is lost.
    await ig.getByRole('button', { name: 'Add the flow' }).click();
    await ig.locator('.nhsuk-error-summary').getByText('Choose an Article 9 condition').waitFor();
    expect(await ig.locator('#caldicott8').inputValue()).toBe('How flow meets principle 8');
    await ig.getByLabel('Article 9 condition (for health or other special category data)').selectOption('9(2)(h)');
    await ig.getByLabel('Data Protection Act 2018 Schedule 1 condition').selectOption('sch1-p2');
    await ig.getByRole('button', { name: 'Add the flow' }).click();
    await ig.getByText('Data flow added.').waitFor();

    // The completeness panel says what the ICO checklist still needs.
    const panel = ig.locator('#completeness');
    expect(await panel.textContent()).toContain('Retention and deletion');
    await shoot(ig, 'agreement-incomplete');
    await ig.getByRole('button', { name: 'Edit purpose, care of the data and dates' }).click();
    await ig.getByLabel('Retention and deletion').fill('Kept while the person walks with the group, then 1 year; deleted securely.');
    await ig.getByLabel('Security', { exact: true }).fill('Only through Common Ground; never by email.');
    await ig.getByLabel('People’s rights requests').fill('Each party answers requests about what it holds, within one month.');
    await ig.getByLabel('Single point of contact for rights requests').fill('Partnership information governance team');
    await ig.getByLabel('Breach procedure').fill('Tell the other party within 24 hours; the ICO within 72 where needed.');
    const today = ukToday();
    await ig.getByLabel('Start date').fill(today);
    await ig.getByLabel('Review date').fill(addDays(today, 365));
    await ig.getByLabel('End date').fill(addDays(today, 730));
    await ig.getByRole('button', { name: 'Save the agreement' }).click();
    await ig.getByText('Agreement saved').waitFor();
    expect(await panel.textContent()).toContain('Complete: every item of the checklist is answered');
    await shoot(ig, 'agreement-complete');

    // Before every party has signed, the link worker's referral is refused, saying what is missing.
    const lw = await s.newPage();
    await signInThroughForm(lw, w.lw.email, w.lw.password);
    async function refer() {
      await lw.goto(`/social-prescribing/cases/${caseId}/connect`);
      await lw.getByRole('link', { name: 'Test Wednesday Walks' }).click();
      await lw.getByLabel('Refer: send their details').check();
      for (const label of ['Name', 'Phone number', 'Reasons for referral']) {
        const box = lw.getByLabel(label, { exact: true });
        if ((await box.count()) && !(await box.isChecked())) await box.check();
      }
      await lw.getByLabel('The person agreed today to share these details').check();
      await lw.getByRole('button', { name: 'Save' }).click();
    }
    await refer();
    const refusal = lw.locator('.nhsuk-error-summary');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain(`“Walking for wellbeing referrals” is not active: it is waiting for signatures from ${w.pcn.name}, ${walking.name}`);
    expect(await s.db.query('select 1 from sp_onward_referrals where case_id = $1', [caseId])).toHaveLength(0);

    // Each party's senior signatory signs the exact version.
    for (const signatory of [w.lw, walkingEditor]) {
      const page = await s.newPage();
      await signInThroughForm(page, signatory.email, signatory.password);
      await page.goto(agreementUrl);
      await page.getByRole('button', { name: /^Sign for / }).click();
      await page.locator('.nhsuk-inset-text').getByText('Signed.').waitFor();
      await page.context().close();
    }
    await ig.goto(agreementUrl);
    expect(await ig.locator('.nhsuk-tag').first().textContent()).toContain('Active');

    // Now the referral is allowed, and the agreement counts it.
    await refer();
    await lw.getByText(/^(Referral emailed to|Saved, but)/).first().waitFor(); // sent, or kept and said so: never refused
    const [onward] = await s.db.query<{ shared_details: Record<string, unknown> }>('select shared_details from sp_onward_referrals where case_id = $1', [caseId]);
    expect(Object.keys(onward.shared_details).sort()).toEqual(['name', 'phone', 'reasons']);
    await ig.goto(agreementUrl);
    expect(await ig.locator('#usage').textContent()).toContain('Used for 1 flow this quarter');
    await ig.locator('#usage').getByRole('link', { name: 'See them in the audit log' }).click();
    expect(await ig.textContent('main')).toContain('flow allowed');

    // The map and the public register show it.
    await ig.goto('/sharing/map');
    await ig.locator('.cg-flow-map svg').waitFor();
    expect(await ig.locator('#flow-table ~ div table').textContent()).toContain('Test Walking Friends');
    await shoot(ig, 'map');
    await noSidewaysScroll(ig);
    const visitor = await s.newPage();
    await visitor.goto('/sharing/register');
    expect(await visitor.textContent('main')).toContain('Walking for wellbeing referrals');
    expect(await visitor.textContent('main')).not.toContain('Wren Test-Walker');
    await shoot(visitor, 'register');
    await noSidewaysScroll(visitor);
  });
});
