import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, ukToday } from '../../src/platform/dates.ts';
import { buildOrganisation, buildUser } from '../support/factories.ts';
import { signInThroughForm, startBrowserTestServer, type BrowserTestServer, expectNoSidewaysScroll } from '../support/browser.ts';
import { pdfText } from '../support/pdf-text.ts';

/** Submits the form holding the button, and waits for the page it leads to. */
async function press(page: Page, name: string | RegExp) {
  await Promise.all([page.waitForLoadState('load'), page.waitForNavigation(), page.getByRole('button', { name }).first().click()]);
}

describe('a grant from award to signed closure, in a browser', () => {
  let s: BrowserTestServer;
  beforeAll(async () => {
    s = await startBrowserTestServer();
  });
  afterAll(async () => s?.close());

  it('award, tranches, a spend return, a late reallocation, the final report, the letter’s comments and both signatures, closed', async () => {
    const funder = await buildOrganisation(s.db, { name: 'Fernbrook Legacy Trust' });
    const grantee = await buildOrganisation(s.db, { name: 'Hollins Walking Club' });
    await s.db.query(`insert into organisation_identifiers (id, organisation_id, identifier_scheme, identifier_type, identifier) values (gen_random_uuid(), $1, 'GB-CHC', 'Charity number', '1098765')`, [grantee.id]);
    const m1 = await buildUser(s.db, { role: 'grants_manager', organisationId: funder.id, name: 'Morgan Fund' });
    const m2 = await buildUser(s.db, { role: 'grants_manager', organisationId: funder.id, name: 'Robin Second' });
    const ed = await buildUser(s.db, { role: 'organisation_editor', organisationId: grantee.id, name: 'Ellis Walker' });
    const manager = await s.newPage();
    await signInThroughForm(manager, m1.email, m1.password);

    // A fund under the trust, spending out in six months.
    await manager.goto('/grants');
    await manager.getByRole('button', { name: 'Set up a fund' }).click();
    await manager.locator('[data-organisation-picker][data-enhanced]').first().waitFor();
    await manager.getByLabel('Funder').fill('Fernbrook Legacy');
    await manager.getByRole('option', { name: 'Fernbrook Legacy Trust' }).click();
    await manager.getByLabel('Fund name').fill('Final programmes');
    await manager.getByLabel('Total').fill('£100,000');
    await manager.getByLabel('Opens').fill(addDays(ukToday(), -400));
    await manager.getByLabel('Closes').fill(addDays(ukToday(), 90));
    await manager.getByLabel('Grant programmes').fill('Healthy Ageing');
    await manager.getByLabel('Spend-out date').fill(addDays(ukToday(), 183));
    await manager.getByLabel('Second approval needed for payments above').fill('5000');
    await manager.getByLabel('… and no more than').fill('1000');
    await press(manager, 'Set up fund');
    expect(await manager.locator('h1').textContent()).toBe('Final programmes');

    // The award.
    await manager.getByRole('button', { name: 'Award a grant' }).click();
    await manager.locator('[data-organisation-picker][data-enhanced]').first().waitFor();
    await manager.getByLabel('Recipient organisation').fill('Hollins Walking');
    await manager.getByRole('option', { name: 'Hollins Walking Club' }).click();
    await manager.getByLabel('Title').fill('Walking groups for older people');
    await manager.getByLabel('Description').fill('Weekly led walks with tea afterwards for people over 60 living alone.');
    await manager.getByLabel('Amount').fill('10,000');
    await manager.getByLabel('Award date').fill(addDays(ukToday(), -335));
    await manager.getByLabel('Planned start').fill(addDays(ukToday(), -330));
    await manager.getByLabel('Planned end').fill(addDays(ukToday(), 30));
    await manager.getByLabel('Budget lines').fill('Staff costs: £6,000\nActivities: £3,000\nVolunteer expenses: £1,000');
    await manager.getByLabel('Where the people helped live').fill('E08000035');
    await manager.getByLabel('Classifications (optional)').fill('Older people');
    await press(manager, 'Award grant');
    expect(await manager.locator('h1').textContent()).toBe('Walking groups for older people');
    const grantPath = new URL(manager.url()).pathname;

    // Tranches that must add up; the first, above the threshold, needs a second manager.
    await manager.getByLabel('Payment schedule').fill(`${addDays(ukToday(), -300)}, £6,000, on signing\n${addDays(ukToday(), 20)}, £3,000`);
    await press(manager, 'Save schedule');
    expect(await manager.locator('.nhsuk-error-summary').textContent()).toContain('The tranches add up to £9,000.00, not the £10,000.00 awarded');
    await manager.getByLabel('Payment schedule').fill(`${addDays(ukToday(), -300)}, £6,000, on signing\n${addDays(ukToday(), 20)}, £4,000, on receipt of the final report`);
    await press(manager, 'Save schedule');
    await press(manager, 'Release');
    expect(await manager.textContent('main')).toContain('waiting for a second grants manager');
    const second = await s.newPage();
    await signInThroughForm(second, m2.email, m2.password);
    await second.goto(grantPath);
    await press(second, 'Approve');
    await manager.goto(grantPath);
    await manager.getByLabel('Payment reference').fill('BACS-0001');
    await press(manager, 'Record payment');
    expect(await manager.textContent('main')).toContain('Payment recorded, reference BACS-0001');

    // A spend return and a final report are scheduled.
    for (const [kind, due] of [['Spend return', 3], ['Final report', 25]] as const) {
      await manager.getByText('Schedule a report').click();
      await manager.getByLabel('Kind').selectOption({ label: kind });
      await manager.getByLabel('Due date').fill(addDays(ukToday(), due));
      await press(manager, 'Schedule report');
    }

    // The grantee's editor submits the spend return and asks for a small late move, on a phone.
    const editor = await s.newPage(375);
    await signInThroughForm(editor, ed.email, ed.password);
    await editor.goto(grantPath);
    await editor.getByLabel('What happened, what changed, and what you learned').fill('Walks every week; 40 people came.');
    await editor.locator('input[name^="spend-"]').nth(0).fill('3000');
    await editor.locator('input[name^="spend-"]').nth(1).fill('1500');
    await editor.locator('input[name^="spend-"]').nth(2).fill('100');
    await press(editor, 'Submit report');
    expect(await editor.locator('[data-variance]').textContent()).toBe('£5,400.00');
    await expectNoSidewaysScroll(editor, 375);
    await editor.getByText('Ask to move money between budget lines').click();
    await editor.getByLabel('From').selectOption({ label: 'Volunteer expenses (£1,000.00)' });
    await editor.getByLabel('To').selectOption({ label: 'Activities (£3,000.00)' });
    await editor.locator('#amount').fill('500');
    await editor.locator('#reason').fill('Fewer journeys; more sessions instead');
    await press(editor, 'Ask to move money');

    await manager.goto(grantPath);
    expect(await manager.textContent('main')).toContain('A small late move: within the fund’s limits, you can approve it alone.');
    await manager.getByLabel('Approve').check();
    await manager.locator('[id^=decisionReason-]').fill('Within the late-move limits');
    await press(manager, 'Save decision');
    expect(await manager.textContent('main')).toContain('Change approved');
    await press(manager, 'Release');
    await manager.getByLabel('Payment reference').fill('BACS-0002');
    await press(manager, 'Record payment');

    // The final report, accepted; the checklist; the letter drafted from the template.
    await editor.goto(grantPath);
    await editor.getByLabel('What happened, what changed, and what you learned').fill('All walks delivered; 120 people took part.');
    await editor.locator('input[name^="spend-"]').nth(0).fill('6000');
    await editor.locator('input[name^="spend-"]').nth(1).fill('3500');
    await editor.locator('input[name^="spend-"]').nth(2).fill('500');
    await press(editor, 'Submit report');
    await manager.goto(grantPath);
    await press(manager, 'Accept final report');
    await manager.getByLabel('The final report has been reviewed').check();
    await manager.getByLabel('Spend is reconciled with what was paid').check();
    await manager.getByLabel('Closure meeting or call: notes').fill('Call held; nothing outstanding.');
    await manager.getByLabel('Intellectual property: who owns what was made').fill('The walk maps belong to the club.');
    await press(manager, 'Save checklist');
    await press(manager, 'Draft the closure letter');
    expect(await manager.locator('[data-letter]').textContent()).toContain('The walk maps belong to the club.');

    // The grantee comments with suggested wording; the funder takes it in as version 2.
    await editor.goto(grantPath);
    await editor.getByLabel('Comment on version 1').fill('Please let the trust share the maps.');
    await editor.getByLabel('Suggested wording (optional)').fill('The walk maps belong to the club, which lets the trust share them.');
    await press(editor, 'Add comment');
    await manager.goto(grantPath);
    expect(await manager.textContent('main')).toContain('Please let the trust share the maps.');
    await manager.getByText('Edit the letter').click();
    const body = await manager.locator('#body').inputValue();
    await manager.locator('#body').fill(body.replace('The walk maps belong to the club.', 'The walk maps belong to the club, which lets the trust share them.'));
    await manager.getByLabel('What changed').fill('Took in the club’s wording');
    await press(manager, 'Save as a new version');

    // Both sign version 2; then the grant closes.
    await manager.getByLabel('Your full name').fill('Morgan Fund');
    await manager.getByLabel('Your role').fill('Grants manager');
    await press(manager, 'Sign the letter');
    await editor.goto(grantPath);
    await editor.getByLabel('Your full name').fill('Ellis Walker');
    await editor.getByLabel('Your role').fill('Chair');
    await press(editor, 'Sign the letter');
    const signatures = await editor.locator('[data-signatures]').textContent();
    expect(signatures).toContain('signed by Morgan Fund, Grants manager');
    expect(signatures).toContain('signed by Ellis Walker, Chair');
    await manager.goto(grantPath);
    await press(manager, 'Close the grant');
    expect(await manager.locator('[data-stage]').textContent()).toBe('Closed');

    const pdf = await manager.request.get(`${grantPath}/letter.pdf`);
    const text = pdfText(Buffer.from(await pdf.body()));
    expect(text).toContain('Signed: Morgan Fund, Grants manager');
    expect(text).toContain('Signed: Ellis Walker, Chair');
    expect(text).toContain('which lets the trust share them');
  });
});
