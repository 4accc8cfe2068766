import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInThroughForm, startBrowserTestServer, type BrowserTestServer, expectNoSidewaysScroll } from '../support/browser.ts';
import { signedInAs } from '../support/kit.ts';
import { buildPartnership, referThroughForm } from '../support/social-prescribing.ts';

describe('a link worker’s day, in a browser', () => {
  let s: BrowserTestServer;
  let w: Awaited<ReturnType<typeof buildPartnership>>;
  beforeAll(async () => {
    s = await startBrowserTestServer();
    w = await buildPartnership(s);
  });
  afterAll(async () => s?.close());

  it('triages, calls, refers to an organisation that accepts and reports attendance, measures outcomes, closes and tells the GP', async () => {
    await s.db.query('update organisations set email = $2 where id = $1', [w.practice.id, 'surgery@example.org']);
    const gp = await signedInAs(s, w.gpStaff);
    await referThroughForm(s.db, gp, w.practice.id, { givenName: 'Morwenna', familyName: 'Dayfield', nhsNumber: '' });

    const page = await s.newPage();
    await signInThroughForm(page, w.lw.email, w.lw.password);
    await page.getByRole('link', { name: 'Caseload' }).first().click();
    await page.getByRole('heading', { name: 'Caseload' }).waitFor();

    // Triage: accept, which opens a case.
    await page.getByRole('link', { name: 'Morwenna Dayfield' }).click();
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
    const caseUrl = page.url().split('?')[0];

    // Connect to community support: the directory, filtered by the referral's need.
    await page.getByRole('link', { name: 'Find community support for Morwenna' }).click();
    await page.getByRole('link', { name: 'Test Friendship Lunch Club' }).click();
    await page.getByLabel('Refer: send their details').check();
    await page.getByLabel('Phone number').check();
    await page.getByLabel('The person agreed today to share these details').check();
    await page.getByRole('button', { name: 'Save' }).click();
    // Email is off here: the link worker is told it was NOT sent, and the case never says it was.
    await page.getByText('was NOT sent').waitFor();
    await page.goto(caseUrl);
    expect(await page.locator('table', { has: page.locator('caption', { hasText: 'Signposting' }) }).textContent()).toContain('Not sent yet');

    // The community organisation accepts and, later, reports attendance.
    const editorPage = await s.newPage(375);
    await signInThroughForm(editorPage, w.editor.email, w.editor.password);
    await editorPage.goto('/social-prescribing/referrals-received');
    await expectNoSidewaysScroll(editorPage);
    await editorPage.getByRole('link', { name: 'Morwenna Dayfield' }).click();
    expect(await editorPage.textContent('main')).not.toContain('Dayfield, born');
    await editorPage.getByLabel('Yes, accept it').check();
    await editorPage.getByRole('button', { name: 'Send answer' }).click();
    await editorPage.getByText('Answer sent to the link worker.').waitFor();
    await editorPage.getByLabel('Attending').check();
    await editorPage.getByRole('button', { name: 'Record attendance' }).click();
    await editorPage.getByText('Attendance recorded.').waitFor();

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

    // At the end: the measures again, the person's consent to tell their GP, and the case closes.
    await page.getByLabel('End', { exact: true }).check();
    for (const [i, v] of ['7', '7', '6', '4'].entries()) await page.locator(`#a${i}`).fill(v);
    await page.getByRole('button', { name: 'Save measure' }).click();
    await page.getByText('Measure recorded.').waitFor();
    expect(await page.textContent('main table')).toContain('7 (High)');
    await page.goto(caseUrl);
    await page.getByLabel('Case status').selectOption({ label: 'Closed' });
    await page.getByLabel('Reason for closing (if closing)').fill('Goals met: goes to the lunch club each week');
    await page.getByRole('button', { name: 'Save status' }).click();
    await page.getByText('Case status saved.').waitFor();
    // Closing stops the weekly call, and nothing goes to the GP without consent.
    expect(await page.textContent('main')).toContain('No follow-ups scheduled');
    expect(await page.textContent('#gp-summary + div')).toContain('has not agreed to share their outcomes with their GP');
    await page.getByRole('link', { name: 'record their consent' }).click();
    await page.getByLabel('To share outcomes with their GP').check();
    await page.getByLabel('Yes', { exact: true }).check();
    await page.getByRole('button', { name: 'Record consent' }).click();
    await page.getByText('Consent recorded.').waitFor();
    await page.goto(caseUrl);
    const summary = await page.textContent('.cg-gp-summary');
    for (const text of ['Life satisfaction: start 4 (low), end 7 (high)', 'Test Friendship Lunch Club (Test Friendship Group)', 'accepted; attendance: attending', 'Reason for closing: Goals met']) expect(summary).toContain(text);
    expect(await page.textContent('main')).toContain('GP Connect and MESH');
    await page.getByRole('button', { name: 'Email the summary to the practice' }).click();
    await page.getByText('The outcome summary was not emailed: email is not set up').waitFor();
    expect(s.mailer.outbox.at(-1)).toMatchObject({ to: 'surgery@example.org', subject: expect.stringContaining('Morwenna Dayfield') });
    // She sends it through the practice's own route instead, and records that she did.
    await page.getByRole('button', { name: 'Record that I sent it another way' }).click();
    await page.getByText('Recorded that you sent the outcome summary to the GP practice.').waitFor();
    await page.setViewportSize({ width: 375, height: 900 });
    await expectNoSidewaysScroll(page);
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
    await page.getByRole('link', { name: 'Isolde Callwell' }).click();
    await page.getByLabel('Needs support').check();
    await page.getByLabel('Shopping', { exact: true }).check();
    await page.getByRole('button', { name: 'Save call' }).click();
    await page.getByText('Call to Isolde Callwell recorded. A case was opened').waitFor();
    await page.getByRole('link', { name: 'Everyone', exact: true }).click();
    await page.getByRole('link', { name: 'case', exact: true }).click();
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
    await page.locator('.nhsuk-error-summary:focus').waitFor({ timeout: 5_000 }); // the NHS frontend's script focuses it once it has run
    await expectNoSidewaysScroll(page);
  });

  it('fits every page on a phone screen: tables become lists, nothing scrolls sideways', async () => {
    const page = await s.newPage(375);
    await signInThroughForm(page, w.lw.email, w.lw.password);
    const [someone] = await s.db.query<{ case_id: string; person_id: string }>("select c.id as case_id, c.person_id from sp_cases c join sp_people p on p.id = c.person_id where p.given_name = 'Morwenna'");
    const [cohort] = await s.db.query<{ id: string }>('select id from sp_cohorts limit 1');
    const pages = {
      caseload: '/social-prescribing',
      case: `/social-prescribing/cases/${someone.case_id}`,
      measures: `/social-prescribing/cases/${someone.case_id}/measures`,
      plan: `/social-prescribing/cases/${someone.case_id}/plan`,
      person: `/social-prescribing/people/${someone.person_id}`,
      cohorts: '/social-prescribing/cohorts',
      cohort: `/social-prescribing/cohorts/${cohort.id}`,
      reports: '/social-prescribing/reports',
    };
    for (const [name, url] of Object.entries(pages)) {
      await page.goto(url);
      await expectNoSidewaysScroll(page);
      // No table is wider than the screen, and none scrolls inside a box.
      const wide = await page.evaluate(() => [...document.querySelectorAll('main table')].filter((t) => t.getBoundingClientRect().right > window.innerWidth || (t.parentElement && t.parentElement.scrollWidth > t.parentElement.clientWidth)).length);
      expect(wide, name).toBe(0);
    }
  });
});
