import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { brokenErrorSummaryLinks, buildOrganisation, buildUser } from '../support/kit.ts';
import { signInThroughForm, startBrowserTestServer, type BrowserTestServer, expectNoSidewaysScroll } from '../support/browser.ts';
import { loadDemoProgramme } from '../../src/modules/innovation/demo/demo-programme.ts';

type Person = Awaited<ReturnType<typeof buildUser>>;

describe('running an innovation programme in a browser', () => {
  let s: BrowserTestServer;
  beforeAll(async () => {
    s = await startBrowserTestServer({ mailServer: true });
  });
  afterAll(async () => s?.close());

  async function as(person: Pick<Person, 'email' | 'password'>, width = 1024): Promise<Page> {
    const page = await s.newPage(width);
    await signInThroughForm(page, person.email, person.password);
    return page;
  }
  const submit = (page: Page, name: string) => page.getByRole('button', { name, exact: true }).click();
  /** The manager moves the programme on from its page. */
  async function moveStage(page: Page, programmeUrl: string, stage: string) {
    await page.goto(programmeUrl);
    await page.getByLabel('Move the programme to stage').selectOption({ label: stage });
    await submit(page, 'Change stage');
  }
  /** Chooses an organisation with the organisation picker (the accessible autocomplete): type part of its name, pick it. */
  async function chooseOrganisation(page: Page, label: string, name: string) {
    // Typed only once the script has put the autocomplete in place of the plain field.
    await page.locator('[data-organisation-picker][data-enhanced]').first().waitFor();
    await page.getByLabel(label, { exact: true }).fill(name.split(' ').slice(-2).join(' '));
    await page.getByRole('option', { name, exact: true }).click();
  }
  /** The path of the link in the last email to this address, read from the local SMTP server. */
  function emailedLink(to: string, path: string): string {
    const mail = [...s.smtp!.received].reverse().find((m) => m.to.includes(to));
    const match = mail && new RegExp(`https?://[^/\\s]+(${path}/[A-Za-z0-9_-]+)`).exec(mail.text);
    if (!match) throw new Error(`no ${path} link emailed to ${to}`);
    return match[1];
  }
  /** Adds a milestone on the project page that is open. */
  async function addMilestone(page: Page, title: string, dueOn: string) {
    await page.getByLabel('New milestone').fill(title);
    await page.getByLabel('Due date').fill(dueOn);
    await submit(page, 'Add milestone');
  }

  it('takes a programme from ideas to projects: teams, a session, a met need, cases, conflicted and unconflicted scoring, decisions stopping at the fund’s edge', async () => {
    const surgery = await buildOrganisation(s.db, { name: 'Browser Test Surgery' });
    const charity = await buildOrganisation(s.db, { name: 'Browser Test Carers Charity' });
    const council = await buildOrganisation(s.db, { name: 'Browser Test Council' });
    const manager = await buildUser(s.db, { role: 'programme_manager', organisationId: council.id, name: 'Morgan Test-Manager' });
    const nurse = await buildUser(s.db, { role: 'link_worker', organisationId: surgery.id, name: 'Sam Test-Nurse' });
    const carer = await buildUser(s.db, { role: 'organisation_editor', organisationId: charity.id, name: 'Robin Test-Carer' });
    const trustee = await buildUser(s.db, { role: 'panel_member', organisationId: charity.id, name: 'Ray Test-Panel' });
    const investor = await buildUser(s.db, { role: 'panel_member', organisationId: council.id, name: 'Alex Test-Panel' });

    // 1. The manager creates the programme and invites people from three organisations.
    const m = await as(manager);
    await m.getByRole('link', { name: 'Programmes' }).first().click();
    await m.getByRole('button', { name: 'Create a programme' }).click();
    await m.getByLabel('Programme name').fill('Browser Ideas Fund');
    await m.getByLabel('Purpose').fill('Front-line ideas for people living well at home.');
    await m.getByLabel('Fund').fill('£10,000');
    await submit(m, 'Save programme');
    await m.getByText('Programme created').waitFor();
    expect(await m.locator('[data-fund="fund"]').textContent()).toBe('£10,000.00');
    const programmeUrl = new URL(m.url()).pathname;
    await m.goto(`${programmeUrl}/participants`);
    // Alex (the council, in no team) chairs the investment team.
    for (const [person, org, role] of [[nurse, surgery, 'Participant'], [carer, charity, 'Participant'], [trustee, charity, 'Investment team (panel)'], [investor, council, 'Chair of the investment team']] as const) {
      await m.getByLabel('Full name').fill(person.name);
      await m.getByLabel('Email address').fill(person.email);
      await chooseOrganisation(m, 'Organisation they take part for', org.name);
      await m.getByLabel(role, { exact: true }).check();
      await submit(m, 'Send invitation');
      await m.getByText(`${person.name} is now taking part. We have emailed them to say so.`).waitFor();
    }
    // Someone new to Common Ground, invited by email: a bad address first, refused with a clear message.
    await m.getByLabel('Full name').fill('Jamie New-Volunteer');
    await m.getByLabel('Email address').fill('jamie.at.example.org');
    await chooseOrganisation(m, 'Organisation they take part for', charity.name);
    await m.getByLabel('Participant', { exact: true }).check();
    await submit(m, 'Send invitation');
    expect(await m.locator('.nhsuk-error-summary').textContent()).toContain('Enter an email address in the correct format');
    await m.getByLabel('Email address').fill('jamie.new-volunteer@example.org');
    await submit(m, 'Send invitation');
    await m.getByRole('heading', { name: 'Invitation sent' }).waitFor();
    expect(await m.textContent('main')).toContain('We have emailed jamie.new-volunteer@example.org a link to join Browser Ideas Fund');
    // Jamie opens the emailed link on a phone, chooses a password and lands in the programme.
    const jamie = await s.newPage(375);
    await jamie.goto(emailedLink('jamie.new-volunteer@example.org', '/invitations'));
    expect(await jamie.textContent('main')).toContain('Browser Test Carers Charity');
    await jamie.getByLabel('Choose a password').fill('walking together on tuesdays');
    await jamie.getByRole('button', { name: 'Create account' }).click();
    await jamie.getByText('You are now taking part in Browser Ideas Fund').waitFor();
    await expectNoSidewaysScroll(jamie, 375);

    // 2. Participants suggest ideas; the manager shortlists them.
    const n = await as(nurse);
    const c = await as(carer);
    for (const [page, title] of [[n, 'Falls walking group'], [c, 'Carers breathing space']] as const) {
      await page.goto(`${programmeUrl}/ideas/new`);
      await page.getByLabel('A short title for your idea').fill(title);
      await page.getByLabel('The problem').fill('A real problem people tell us about.');
      await page.getByLabel('Who benefits').fill('Older people and carers.');
      await page.getByLabel('The idea', { exact: true }).fill('Something we could try for six months.');
      await page.getByLabel('Rough cost (optional)').fill('5000');
      await page.getByLabel('How we would know it works').fill('We would count and ask.');
      await submit(page, 'Submit idea');
      await page.getByText('Thank you. Your idea has been added').waitFor();
    }
    // The author improves her idea while ideas are open.
    await n.goto(`${programmeUrl}/ideas`);
    await n.getByRole('link', { name: 'Falls walking group' }).click();
    await n.getByRole('link', { name: /Change this idea/ }).click();
    await n.getByLabel('A short title for your idea').fill('Falls walking group for over-70s');
    await n.getByLabel('Rough cost (optional)').fill('£6,000');
    await submit(n, 'Save changes');
    await n.getByText('Your changes to the idea are saved').waitFor();
    expect(await n.getByRole('heading', { level: 1 }).textContent()).toBe('Falls walking group for over-70s');
    expect(await n.textContent('main')).toContain('£6,000.00');
    await c.goto(`${programmeUrl}/ideas`);
    await c.getByRole('link', { name: 'Falls walking group for over-70s' }).click();
    expect(await c.getByRole('link', { name: /Change this idea/ }).count()).toBe(0);
    await c.getByRole('button', { name: 'Support this idea' }).click();
    await m.goto(`${programmeUrl}/ideas`);
    for (const title of ['Falls walking group for over-70s', 'Carers breathing space']) {
      await m.goto(`${programmeUrl}/ideas`);
      await m.getByRole('link', { name: title }).click();
      await submit(m, 'Shortlist');
      await m.getByText('Shortlisted', { exact: true }).first().waitFor();
    }
    // Once shortlisted, the idea can no longer be changed.
    await n.reload();
    expect(await n.getByRole('link', { name: /Change this idea/ }).count()).toBe(0);

    // 3. Teams from more than one organisation.
    await moveStage(m, programmeUrl, 'Teams forming');
    await m.getByText('The programme is now at the Teams forming stage').waitFor();
    for (const [title, members] of [['Falls walking group for over-70s', [nurse, carer]], ['Carers breathing space', [carer]]] as const) {
      await m.goto(`${programmeUrl}/teams`);
      await m.getByRole('link', { name: `form a team for ${title}` }).click();
      for (const person of members) await m.getByLabel(person.name).check();
      await submit(m, 'Form team');
      await m.getByRole('heading', { name: title, level: 1 }).waitFor();
    }
    expect(await m.textContent('main')).toContain('Browser Test Carers Charity');

    // 4. Develop together: a session with the investment team, and a need met by another organisation.
    await moveStage(m, programmeUrl, 'Development');
    await m.goto(`${programmeUrl}/sessions`);
    await m.getByLabel('Workshop').check();
    await m.getByLabel('Title').fill('From idea to test of change');
    await m.getByLabel('Date').fill('2026-03-04');
    await m.getByLabel('Start time').fill('10:00');
    await submit(m, 'Arrange session');
    await m.getByRole('link', { name: 'From idea to test of change' }).click();
    await m.getByLabel('Yes').check();
    await m.getByLabel(nurse.name).check();
    await m.getByLabel(investor.name).check();
    await m.getByLabel('Notes').fill('Teams drafted one measure each.');
    await submit(m, 'Save session record');
    await m.getByText('Held', { exact: true }).waitFor();

    await c.goto(`${programmeUrl}/needs`);
    await c.getByLabel('Team', { exact: true }).selectOption({ label: 'Carers breathing space' });
    await c.getByLabel('What the team needs').fill('Affordable dementia-awareness training');
    await submit(c, 'Post need');
    await n.goto(`${programmeUrl}/needs`);
    await n.getByText('Offer to help').click();
    await n.getByLabel('What you can offer').fill('Our practice dementia lead can train your volunteers');
    await submit(n, 'Pledge offer');
    await n.getByText('Thank you: your offer is pledged').waitFor();
    // Jamie pledges for their own organisation (the only one they may pledge for).
    await jamie.goto(`${programmeUrl}/needs`);
    await jamie.getByText('Offer to help').click();
    expect(await jamie.textContent('main')).toContain('Offered on behalf of Browser Test Carers Charity');
    await jamie.getByLabel('What you can offer').fill('Two of our volunteers have done the training already');
    await submit(jamie, 'Pledge offer');
    await jamie.getByText('Thank you: your offer is pledged').waitFor();
    expect(await jamie.textContent('main')).toContain('Jamie New-Volunteer, Browser Test Carers Charity');
    await c.goto(`${programmeUrl}/needs`);
    await c.getByRole('button', { name: /Take up this offer/ }).first().click();
    await c.getByRole('button', { name: /Mark as met/ }).click();
    await c.getByText('Met', { exact: true }).waitFor();
    await c.goto(`${programmeUrl}/needs/helped`);
    expect(await c.textContent('main')).toContain('Browser Test Surgery');
    expect(await c.locator('svg.cg-chart title').first().textContent()).toBe('Who helped whom');

    // 5. Each team makes its case.
    for (const [page, team, amount] of [[n, 'Falls walking group for over-70s', '6000'], [c, 'Carers breathing space', '£5,000.00']] as const) {
      await page.goto(`${programmeUrl}/teams`);
      await page.getByRole('link', { name: team }).click();
      await page.getByRole('link', { name: 'Write the investment case' }).click();
      await page.getByLabel('Amount requested').fill(amount);
      await page.getByLabel('Budget line 1').fill('Everything');
      await page.getByLabel('Amount for line 1').fill(amount);
      await page.getByLabel('Outcomes').fill('Fewer falls, happier carers.');
      await page.getByLabel('How it will be evaluated').fill('Count before and after.');
      await page.getByLabel('Risks').fill('Volunteers may be few.');
      await submit(page, 'Submit investment case');
      await page.getByRole('heading', { name: /Amount requested/ }).waitFor();
    }

    // A change sent after the deadline is refused with a clear message, and what was typed is kept.
    await c.goto(`${programmeUrl}/teams`);
    await c.getByRole('link', { name: 'Carers breathing space' }).click();
    await c.getByRole('link', { name: 'Change the investment case' }).click();
    await c.getByLabel('Outcomes').fill('Happier carers, fewer crises.');
    await s.db.query("update programmes set case_deadline = now() - interval '1 minute' where id = $1", [programmeUrl.split('/').pop()]);
    await submit(c, 'Submit investment case');
    const late = c.locator('.nhsuk-error-summary');
    await late.waitFor();
    expect(await late.textContent()).toContain('Cases can no longer be changed.');
    expect(await c.getByLabel('Outcomes').inputValue()).toBe('Happier carers, fewer crises.');
    expect(brokenErrorSummaryLinks(await c.content())).toEqual([]);
    await c.goto(`${programmeUrl}/cases`);
    await c.getByRole('link', { name: 'Carers breathing space' }).click();
    expect(await c.textContent('main')).toContain('Fewer falls, happier carers.');
    expect(await c.getByRole('link', { name: 'Change this case' }).count()).toBe(0);

    // 6. Investment Day: Ray takes part for the carers charity, which is in both teams: a conflict found automatically.
    await moveStage(m, programmeUrl, 'Investment Day');
    const t = await as(trustee);
    await t.goto(`${programmeUrl}/cases`);
    await t.getByRole('link', { name: 'Declare interests for Carers breathing space' }).click();
    await t.getByText('Conflict of interest: same organisation').waitFor();
    expect(await t.getByRole('button', { name: 'Save scores' }).count()).toBe(0);
    await t.goto(`${programmeUrl}/moderation`);
    expect(await t.textContent('main')).toContain('Hidden: you have a conflict of interest');
    await t.goto(`${programmeUrl}/investment-day`);
    expect(await t.textContent('main')).toContain(`Conflict: ${trustee.name}, same organisation as the team (Browser Test Carers Charity)`);

    const i = await as(investor);
    for (const team of ['Falls walking group for over-70s', 'Carers breathing space']) {
      await i.goto(`${programmeUrl}/cases`);
      await i.getByRole('link', { name: `Declare interests for ${team}` }).click();
      await i.getByLabel('No', { exact: true }).check();
      await submit(i, 'Save declaration');
      await i.getByRole('button', { name: 'Save scores' }).waitFor();
      for (const fieldset of await i.locator('.cg-score-row').all()) {
        await fieldset.getByLabel('4', { exact: true }).check();
        await fieldset.getByRole('textbox').fill('Clear and realistic.');
      }
      await submit(i, 'Save scores');
      await i.getByText('Your scores are saved').waitFor();
    }
    await i.goto(`${programmeUrl}/moderation`);
    expect(await i.textContent('main')).toContain('4.00');

    // Decisions stop at the fund's edge: £6,000 in full leaves £4,000, so £5,000 in full is refused.
    // The manager sees the scores, but only the chair records decisions.
    await m.goto(`${programmeUrl}/investment-day`);
    expect(await m.locator('tr', { hasText: 'Falls walking group for over-70s' }).textContent()).toContain('4.00');
    expect(await m.getByRole('link', { name: 'Decide Falls walking group for over-70s' }).count()).toBe(0);
    await i.goto(`${programmeUrl}/investment-day`);
    expect(await i.locator('tr', { hasText: 'Falls walking group for over-70s' }).textContent()).toContain('Complete');
    await i.getByRole('link', { name: 'Decide Falls walking group for over-70s' }).click();
    // The decision form shows the case's scores and moderation figures beside the decision.
    expect(await i.textContent('main')).toContain('Scores and moderation');
    expect(await i.locator('.cg-score-figures').textContent()).toContain('4.00 out of 5');
    await i.getByLabel('Fund in full').check();
    await i.getByLabel('Feedback for the team').fill('A clear plan with measures.');
    await submit(i, 'Save decision');
    expect(await i.locator('[data-fund="remaining"]').textContent()).toBe('£4,000.00');
    await i.getByRole('link', { name: 'Decide Carers breathing space' }).click();
    await i.getByLabel('Fund in full').check();
    await i.getByLabel('Feedback for the team').fill('We would like to fund this.');
    await submit(i, 'Save decision');
    const summary = i.locator('.nhsuk-error-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain('£5,000.00 is more than the £4,000.00 left in the fund');
    expect(await i.getByLabel('Feedback for the team').inputValue()).toBe('We would like to fund this.');
    // The summary's link takes the keyboard to the decision it is about.
    expect(brokenErrorSummaryLinks(await i.content())).toEqual([]);
    await summary.getByRole('link').first().click();
    expect(await i.evaluate(() => document.activeElement?.id)).toBe('outcome');
    await i.getByLabel('Fund in part').check();
    await i.getByLabel('Amount to fund').fill('4000');
    await submit(i, 'Save decision');
    expect(await i.locator('[data-fund="remaining"]').textContent()).toBe('£0.00');
    expect(await i.locator('[data-fund="awarded"]').textContent()).toBe('£10,000.00');

    // 8. Tests of change: the team adds and completes a milestone; the dashboard shows it.
    await moveStage(m, programmeUrl, 'Delivery');
    await n.goto(`${programmeUrl}/projects`);
    await n.getByRole('link', { name: 'Falls walking group for over-70s' }).click();
    await addMilestone(n, 'First walk', '2026-05-01');
    await n.getByRole('button', { name: /Mark done/ }).click();
    await n.getByLabel('Progress (%)').fill('25');
    await n.getByLabel('What has happened').fill('Twelve walkers joined.');
    await submit(n, 'Add update');
    await m.goto(`${programmeUrl}/projects`);
    const dashboard = await m.textContent('main');
    expect(dashboard).toContain('1 of 1 done');
    expect(dashboard).toContain('25%');
    expect(dashboard).toContain('£4,000.00');

    // 9. The report, and nothing overflows a phone screen.
    const phone = await as(manager, 375);
    for (const path of ['', '/report', '/moderation', '/investment-day', '/projects', '/needs']) {
      await phone.goto(`${programmeUrl}${path}`);
      await expectNoSidewaysScroll(phone, 375);
    }
  }, 300_000);

  it('runs the demo programme from Investment Day: the demo’s ideas, teams, session and met need, a conflicted and an unconflicted panel member, decisions at the fund’s edge, a project milestone', async () => {
    const partnership = await buildOrganisation(s.db, { name: 'Browser Demo Partnership' });
    const manager = await buildUser(s.db, { role: 'programme_manager', organisationId: partnership.id, name: 'Demo Walk Manager' });
    const id = await loadDemoProgramme(s.db, { partnershipId: partnership.id, managerUserId: manager.id, password: manager.password });
    const base = `/programmes/${id}`;
    const m = await as(manager);
    await m.goto(`${base}/report`);
    const report = await m.textContent('main');
    for (const text of ['Breathing Space', 'Steady Steps', 'Welcome Home', '1 (5 attendances)', '1 of 4', 'helped Breathing Space with Affordable dementia-awareness training']) expect(report).toContain(text);

    // Ray takes part for the carers network, in the Breathing Space team: a conflict found automatically, so its scores are hidden from him.
    const ray = await as({ email: 'ray@demo-innovation.invalid', password: manager.password });
    await ray.goto(`${base}/moderation`);
    expect(await ray.locator('tr', { hasText: 'Breathing Space' }).textContent()).toContain('Hidden: you have a conflict of interest');
    expect(await ray.locator('tr', { hasText: 'Steady Steps' }).textContent()).toMatch(/\d\.\d\d/);

    // The demo panel member chairs: decisions wait until the chair has scored too.
    const chair = await as({ email: 'panel-member@demo-innovation.invalid', password: manager.password });
    await chair.goto(`${base}/investment-day`);
    expect(await chair.locator('tr', { hasText: 'Welcome Home' }).textContent()).toContain('Waiting for Demo Panel Member');
    await chair.getByRole('link', { name: 'Decide Welcome Home' }).click();
    await chair.getByText('Scoring is not complete').waitFor();
    for (const team of ['Breathing Space', 'Steady Steps', 'Welcome Home']) {
      await chair.goto(`${base}/cases`);
      await chair.getByRole('link', { name: `Declare interests for ${team}` }).click();
      await chair.getByLabel('No', { exact: true }).check();
      await submit(chair, 'Save declaration');
      await chair.getByRole('button', { name: 'Save scores' }).waitFor();
      for (const fieldset of await chair.locator('.cg-score-row').all()) {
        await fieldset.getByLabel('4', { exact: true }).check();
        await fieldset.getByRole('textbox').fill('Scored by the chair.');
      }
      await submit(chair, 'Save scores');
      await chair.getByText('Your scores are saved').waitFor();
    }
    const decideInFull = async (team: string, feedback: string) => {
      await chair.goto(`${base}/investment-day`);
      await chair.getByRole('link', { name: `Decide ${team}` }).click();
      await chair.getByLabel('Fund in full').check();
      await chair.getByLabel('Feedback for the team').fill(feedback);
      await submit(chair, 'Save decision');
    };
    await decideInFull('Welcome Home', 'A clear plan with a measure that matters.');
    await decideInFull('Breathing Space', 'Carers asked for this.');
    expect(await chair.locator('[data-fund="remaining"]').textContent()).toBe('£10,000.00');
    await decideInFull('Steady Steps', 'We want to fund this.');
    expect(await chair.locator('.nhsuk-error-summary').textContent()).toContain('£11,500.00 is more than the £10,000.00 left in the fund');
    await chair.getByLabel('Fund in part').check();
    await chair.getByLabel('Amount to fund').fill('£10,000');
    await submit(chair, 'Save decision');
    expect(await chair.locator('[data-fund="remaining"]').textContent()).toBe('£0.00');
    expect(await chair.locator('[data-fund="awarded"]').textContent()).toBe('£50,000.00');

    await moveStage(m, base, 'Delivery');
    await m.goto(`${base}/projects`);
    await m.getByRole('link', { name: 'Steady Steps' }).click();
    await addMilestone(m, 'First walk with trained leaders', '2026-06-10');
    await m.goto(`${base}/projects`);
    expect(await m.locator('tr', { hasText: 'Steady Steps' }).textContent()).toContain('0 of 1 done');
  }, 300_000);
});
