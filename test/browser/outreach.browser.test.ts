import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import axe from 'axe-core';
import { signInThroughForm, startBrowserTestServer, type BrowserTestServer, expectNoSidewaysScroll } from '../support/browser.ts';
import { buildOrganisation } from '../support/kit.ts';
import { aLocation, buildService } from '../support/directory-factories.ts';
import { buildPartnership } from '../support/social-prescribing.ts';
import { needs } from '../../src/modules/directory/index.ts';

const practicalHelp = needs.find((n) => n.code === 'practical-help-at-home')!.id;
const loneliness = needs.find((n) => n.code === 'loneliness')!.id;

/** axe-core's WCAG 2.2 A and AA rules on the page as it is: no critical or serious violation. */
async function accessible(page: Page) {
  await page.evaluate(axe.source);
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }).axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
    return result.violations.filter((v) => v.impact === 'critical' || v.impact === 'serious').map((v) => `${v.id} (${v.nodes.length})`);
  });
  expect(violations, page.url()).toEqual([]);
}

/** Both widths, for the people who look at the pictures: scratch/ is not committed. */
async function screenshots(page: Page, name: string) {
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 900 });
    await expectNoSidewaysScroll(page);
    await page.screenshot({ path: `scratch/outreach-${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

describe('two link workers share a shielding list, in a browser', () => {
  let s: BrowserTestServer;
  let w: Awaited<ReturnType<typeof buildPartnership>>;
  beforeAll(async () => {
    s = await startBrowserTestServer();
    w = await buildPartnership(s);
    // Postcodes the directory knows, and two mutual aid groups: one round the corner, one across town.
    await s.db.query(`insert into postcodes (postcode, latitude, longitude) values ('WY1 1AA', 53.70, -1.90), ('WY1 4QT', 53.701, -1.899), ('WY3 8LP', 53.74, -1.84) on conflict (postcode) do nothing`);
    const near = await buildOrganisation(s.db, { name: 'Millbrook Mutual Aid' });
    const far = await buildOrganisation(s.db, { name: 'Top Town Mutual Aid' });
    await buildService(s.db, { organisationId: far.id, name: 'Top Town shopping and prescriptions', taxonomyTermIds: [practicalHelp], minimumAge: null, locations: [aLocation({ postalCode: 'WY3 8LP', latitude: 53.74, longitude: -1.84 })] });
    await buildService(s.db, { organisationId: near.id, name: 'Millbrook shopping and prescriptions', taxonomyTermIds: [practicalHelp], minimumAge: null, locations: [aLocation({ postalCode: 'WY1 4QT', latitude: 53.701, longitude: -1.899 })] });
    await buildService(s.db, { organisationId: near.id, name: 'Millbrook telephone befriending', taxonomyTermIds: [loneliness], minimumAge: null });
  });
  afterAll(async () => s?.close());

  it('shares the list half each, records needs, refers to the nearest mutual aid, books a weekly call, and each sees their own calls due', async () => {
    // The lead loads the shielding list and shares it out between the two of them.
    const lead = await s.newPage(1280);
    await signInThroughForm(lead, w.lw.email, w.lw.password);
    await lead.goto('/social-prescribing/cohorts/new');
    await lead.getByLabel('Name of the cohort').fill('Shielding list, March');
    await lead.getByLabel('PCN').selectOption(w.pcn.id);
    const rows = ['Winifred,Ackroyd,1938-04-02,01632 960401,WY1 4QT', 'Cyril,Bottomley,1941-07-19,01632 960402,WY1 1AA', 'Elsie,Crabtree,1936-01-30,01632 960403,WY1 1AA', 'Wilfred,Dobson,1944-09-09,01632 960404,WY3 8LP'];
    await lead.locator('input[type="file"]').setInputFiles({ name: 'shielding.csv', mimeType: 'text/csv', buffer: Buffer.from(`First name,Last name,Date of birth,Phone,Postcode\n${rows.join('\n')}\n`) });
    await lead.getByRole('button', { name: 'Load cohort' }).click();
    await lead.getByRole('heading', { name: 'Shielding list, March' }).waitFor();
    const cohortUrl = lead.url();
    await lead.getByText('Share out the cohort between link workers').click();
    await lead.getByLabel('Lee Test-Linkworker').check();
    await lead.getByLabel('Sam Test-Colleague').check();
    await lead.getByRole('button', { name: 'Share out' }).click();
    await lead.getByText('Shared out: 2 to Lee Test-Linkworker, 2 to Sam Test-Colleague.').waitFor();
    const calling = await lead.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.textContent!.replace(/\s+/g, ' ')));
    expect(calling[0]).toContain('Lee Test-Linkworker');
    expect(calling[3]).toContain('Sam Test-Colleague');
    // Phone numbers are links to call.
    expect(await lead.getByRole('link', { name: '01632 960401' }).getAttribute('href')).toBe('tel:01632960401');
    await accessible(lead);
    await screenshots(lead, 'cohort-list');

    // Lee calls Winifred: she needs shopping and someone to talk to.
    await lead.getByRole('link', { name: 'Winifred Ackroyd' }).click();
    await lead.getByLabel('Needs support').check();
    await lead.getByLabel('Shopping', { exact: true }).check();
    await lead.getByLabel('Someone to talk to').check();
    await lead.getByLabel('Notes (optional)').fill('Shielding alone; son in Leeds. Would like a regular chat.');
    await lead.getByLabel('Give them a weekly wellbeing call').check();
    await accessible(lead);
    await screenshots(lead, 'call-form');
    await lead.getByRole('button', { name: 'Save call' }).click();
    // Back in the list where she was: at the next person.
    await lead.getByText('Call to Winifred Ackroyd recorded. A case was opened').waitFor();
    expect(new URL(lead.url()).pathname).toBe(new URL(cohortUrl).pathname);
    expect(new URL(lead.url()).hash).toMatch(/^#member-/);
    expect(await lead.locator(new URL(lead.url()).hash).textContent()).toContain('Cyril Bottomley');

    // From the need to the nearest mutual aid, and a referral.
    await lead.getByRole('link', { name: 'Everyone', exact: true }).click();
    await lead.getByRole('link', { name: 'Winifred Ackroyd' }).click();
    const history = await lead.locator('#history + table').textContent();
    expect(history).toContain('Needs support');
    expect(history).toContain('Shopping, Someone to talk to');
    expect(await lead.textContent('main')).toContain('Every week; next on');
    await screenshots(lead, 'person-after-call');
    await lead.getByRole('link', { name: /^Shopping: practical help at home services nearest WY1 4QT/ }).click();
    await lead.waitForURL(/\/connect\?need=/);
    await lead.locator('.cg-result h3').first().waitFor();
    const results = await lead.locator('.cg-result h3').allTextContents();
    expect(results[0]).toContain('Millbrook shopping and prescriptions');
    expect(results.findIndex((r) => r.includes('Top Town'))).toBeGreaterThan(0);
    await lead.getByRole('link', { name: 'Millbrook shopping and prescriptions' }).click();
    await lead.getByLabel('Refer: send their details').check();
    await lead.getByLabel('Phone number').check();
    await lead.getByLabel('The person agreed today to share these details').check();
    // A mutual aid group has signed no information sharing agreement: the referral goes on the person's explicit consent.
    await lead.getByLabel('The person gave explicit consent to this sharing').check();
    await lead.getByRole('button', { name: 'Save' }).click();
    await lead.locator('.nhsuk-inset-text').waitFor();
    const [referral] = await s.db.query<{ service_name: string; kind: string }>("select service_name, kind from sp_onward_referrals where service_name = 'Millbrook shopping and prescriptions'");
    expect(referral).toEqual({ service_name: 'Millbrook shopping and prescriptions', kind: 'refer' });

    // Progress, by worker: a chart with its table.
    await lead.goto(`${new URL(cohortUrl).pathname}/progress`);
    expect(await lead.locator('main svg[role="img"]').count()).toBe(1);
    const table = await lead.locator('main table').textContent();
    expect(table).toContain('Lee Test-Linkworker');
    await accessible(lead);
    await screenshots(lead, 'progress');

    // Sam sees only their own calls due.
    const colleague = await s.newPage(375);
    await signInThroughForm(colleague, w.lw2.email, w.lw2.password);
    await colleague.goto('/social-prescribing/cohorts');
    await colleague.getByRole('link', { name: 'Your calls due' }).click();
    await colleague.waitForURL(/\/calls-due$/);
    const due = await colleague.locator('main').textContent();
    expect(due).toContain('2 calls due');
    expect(due).toContain('Elsie Crabtree');
    expect(due).toContain('Wilfred Dobson');
    expect(due).not.toContain('Winifred Ackroyd');
    expect(due).not.toContain('Cyril Bottomley');
    await expectNoSidewaysScroll(colleague);
    await accessible(colleague);
    await colleague.screenshot({ path: 'scratch/outreach-calls-due-375.png', fullPage: true });

    // Lee is off tomorrow: the lead gives Cyril to Sam from the list, and Sam has him to call.
    await lead.goto(cohortUrl);
    await lead.getByLabel('Choose Cyril Bottomley').check();
    await lead.getByLabel('Give the people ticked to').selectOption({ label: 'Sam Test-Colleague' });
    await lead.getByRole('button', { name: 'Assign the people ticked' }).click();
    await lead.getByText('1 person given to Sam Test-Colleague.').waitFor();
    await colleague.reload();
    expect(await colleague.locator('main').textContent()).toContain('Cyril Bottomley');
  });
});
