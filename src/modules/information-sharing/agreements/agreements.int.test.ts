import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, ukToday } from '../../../platform/dates.ts';
import { brokenErrorSummaryLinks, buildOrganisation, buildUser, createTestApp, signedInAs, type TestApp, TestClient } from '../../../../test/support/kit.ts';
import { buildAgreement } from '../../../../test/support/sharing.ts';
import { sendReviewReminders } from '../reviews/reviews.service.ts';
import { setUpOrganisation } from '../demo/demo-sharing.ts';

const caldicott = Object.fromEntries(Array.from({ length: 8 }, (_v, i) => [`caldicott${i + 1}`, `Answer ${i + 1}`]));

describe('information sharing agreements', () => {
  let t: TestApp;
  let ig: TestClient;
  let pcn: { id: string; name: string };
  let charity: { id: string; name: string };
  let newcomer: { id: string; name: string };
  let pcnSignatory: Awaited<ReturnType<typeof buildUser>>;
  let charitySignatory: Awaited<ReturnType<typeof buildUser>>;
  let agreementId: string;
  beforeAll(async () => {
    t = await createTestApp();
    pcn = await buildOrganisation(t.db, { name: 'Sharing Test PCN', kind: 'pcn' });
    charity = await buildOrganisation(t.db, { name: 'Sharing Test Befrienders' });
    newcomer = await buildOrganisation(t.db, { name: 'Not Yet Set Up Group' });
    pcnSignatory = await buildUser(t.db, { role: 'organisation_editor', organisationId: pcn.id, name: 'Pat Pcn-Director' });
    charitySignatory = await buildUser(t.db, { role: 'organisation_editor', organisationId: charity.id, name: 'Chris Charity-Chair' });
    await setUpOrganisation(t.db, pcn.id, pcnSignatory.id);
    await setUpOrganisation(t.db, charity.id, charitySignatory.id);
    ig = await signedInAs(t, await buildUser(t.db, { role: 'ig_lead' }));
  });
  afterAll(async () => t.close());

  it('writes an agreement from its purpose, refuses what breaks the rules by name, and is signed by every party on the exact version', async () => {
    const blank = await ig.postForm('/sharing/agreements/new', {});
    expect(blank.statusCode).toBe(422);
    expect(blank.body).toContain('Say what the place is trying to achieve');
    expect(brokenErrorSummaryLinks(blank.body)).toEqual([]);
    const made = await ig.postForm('/sharing/agreements/new', { title: 'Befriending referrals', purpose: 'Lonely people meet a befriender within a fortnight.', benefits: 'Less loneliness', uses: ['deliver', 'evaluate'] });
    expect(made.statusCode).toBe(303);
    agreementId = /\/sharing\/agreements\/([0-9a-f-]{36})/.exec(made.headers.location as string)![1];

    // The party is chosen with the organisation picker, not a list of every organisation; without script it is a search.
    const partyForm = await ig.get(`/sharing/agreements/${agreementId}/parties/new`);
    expect(partyForm.statusCode).toBe(200);
    expect(partyForm.body).toContain('data-organisation-picker');
    expect(partyForm.body).not.toContain(`value="${pcn.id}"`);
    const parties = `/sharing/agreements/${agreementId}/parties`;
    const found = await ig.postForm(parties, { organisationIdSearch: 'sharing test', _find: 'organisationId', role: 'processor' });
    expect(found.statusCode).toBe(200);
    expect(found.body).toContain('2 organisations match “sharing test”: choose one');
    expect(found.body).toMatch(/value="processor"[^>]*checked/);
    const ambiguous = await ig.postForm(parties, { organisationIdSearch: 'sharing test', role: 'controller' });
    expect(ambiguous.statusCode).toBe(422);
    expect(ambiguous.body).toContain('More than one organisation matches “sharing test”. Choose one from the list.');
    expect(brokenErrorSummaryLinks(ambiguous.body)).toEqual([]);
    const nothing = await ig.postForm(parties, { organisationIdSearch: 'zzqx', role: 'controller' });
    expect(nothing.statusCode).toBe(422);
    expect(nothing.body).toContain('No organisation’s name contains “zzqx”');
    const blankParty = await ig.postForm(parties, { organisationIdSearch: '', role: 'controller' });
    expect(blankParty.statusCode).toBe(422);
    expect(blankParty.body).toContain('Choose an organisation to add');

    // A party that has not completed set-up is refused, naming the steps (typed by name, or chosen by id).
    // Chosen from the list after typing part of the name, the box shows the name chosen, not the words typed.
    for (const chosen of [{ organisationIdSearch: 'Not Yet Set Up' }, { organisationId: newcomer.id }, { organisationId: newcomer.id, organisationIdSearch: 'not yet' }] as Record<string, string>[]) {
      const notSetUp = await ig.postForm(parties, { ...chosen, role: 'controller' });
      expect(notSetUp.statusCode).toBe(409);
      expect(notSetUp.body).toContain('Not Yet Set Up Group cannot join an agreement until it has completed set-up. Still needed: senior signatory named');
      expect(notSetUp.body).toContain('assurance submitted (ICO registration, DSPT status');
      expect(notSetUp.body).toContain('protocol signed');
      expect(notSetUp.body).toContain('value="Not Yet Set Up Group"');
      expect(brokenErrorSummaryLinks(notSetUp.body)).toEqual([]);
    }
    expect((await ig.postForm(parties, { organisationIdSearch: pcn.name, role: 'controller' })).statusCode).toBe(303);
    expect((await ig.postForm(parties, { organisationId: charity.id, organisationIdSearch: 'befrienders', role: 'controller' })).statusCode).toBe(303);
    const again = await ig.postForm(parties, { organisationId: charity.id, role: 'controller' });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('Sharing Test Befrienders is already a party to this agreement.');
    expect(await t.db.query('select organisation_id from is_agreement_parties where agreement_id = $1', [agreementId])).toHaveLength(2);

    // Special category data without an Article 9 condition is refused by name.
    const flow = { fromOrganisationId: pcn.id, toOrganisationId: charity.id, flowType: 'sp_referral', dataItems: ['sp.name', 'sp.phone', 'sp.reasons'], identifiability: 'identifiable', frequency: 'Each referral', method: 'Through Common Ground', article6: '6(1)(e)', confidentialityBasis: 'implied_consent', optOutApplies: 'no', ...caldicott };
    const noArticle9 = await ig.postForm(`/sharing/agreements/${agreementId}/flows/new`, flow);
    expect(noArticle9.statusCode).toBe(422);
    expect(noArticle9.body).toContain('Choose an Article 9 condition: Reasons for referral (needs) is special category (health) data');
    expect(brokenErrorSummaryLinks(noArticle9.body)).toEqual([]);
    const noSchedule1 = await ig.postForm(`/sharing/agreements/${agreementId}/flows/new`, { ...flow, article9: '9(2)(h)' });
    expect(noSchedule1.body).toContain('Choose a Data Protection Act 2018 Schedule 1 condition');
    expect((await ig.postForm(`/sharing/agreements/${agreementId}/flows/new`, { ...flow, article9: '9(2)(h)', schedule1: 'sch1-p2' })).statusCode).toBe(303);

    // Incomplete: the completeness panel lists what the ICO checklist needs, and signing is refused.
    const page = await ig.get(`/sharing/agreements/${agreementId}`);
    for (const gap of ['Retention and deletion', 'Security: say how', 'Breaches', 'Dates: the start date']) expect(page.body).toContain(gap);
    const fingerprint = /name="fingerprint" value="([0-9a-f]{64})"/.exec((await (await signedInAs(t, pcnSignatory)).get(`/sharing/agreements/${agreementId}`)).body)?.[1];
    expect(fingerprint).toBeDefined();
    const pcnClient = await signedInAs(t, pcnSignatory);
    const incomplete = await pcnClient.postForm(`/sharing/agreements/${agreementId}/signatures`, { organisationId: pcn.id, fingerprint: fingerprint! });
    expect(incomplete.statusCode).toBe(409);
    expect(incomplete.body).toContain('This agreement cannot be signed or become active yet: it is incomplete. Still needed: Retention and deletion');

    const today = ukToday();
    const details = { version: '1', title: 'Befriending referrals', purpose: 'Lonely people meet a befriender within a fortnight.', benefits: 'Less loneliness', uses: ['deliver', 'evaluate'], retention: '2 years', security: 'Common Ground only', rightsRequests: 'Each party answers its own', rightsContact: 'IG team', breachProcedure: '24 hours', startOn: today, reviewOn: addDays(today, 365), endOn: addDays(today, 730) };
    const wrongDates = await ig.postForm(`/sharing/agreements/${agreementId}/edit`, { ...details, endOn: addDays(today, -1) });
    expect(wrongDates.statusCode).toBe(422);
    expect(wrongDates.body).toContain('The end date must be after the start date');
    expect((await ig.postForm(`/sharing/agreements/${agreementId}/edit`, details)).statusCode).toBe(303);
    const stale = await ig.postForm(`/sharing/agreements/${agreementId}/edit`, details);
    expect(stale.statusCode).toBe(409);

    // An old version is refused; someone who is not the signatory is refused, naming who is.
    const oldVersion = await pcnClient.postForm(`/sharing/agreements/${agreementId}/signatures`, { organisationId: pcn.id, fingerprint: fingerprint! });
    expect(oldVersion.statusCode).toBe(409);
    expect(oldVersion.body).toContain('You were signing an older version');
    const current = /name="fingerprint" value="([0-9a-f]{64})"/.exec((await pcnClient.get(`/sharing/agreements/${agreementId}`)).body)![1];
    const notSignatory = await ig.postForm(`/sharing/agreements/${agreementId}/signatures`, { organisationId: charity.id, fingerprint: current });
    expect(notSignatory.statusCode).toBe(403);
    expect(notSignatory.body).toContain('Only Sharing Test Befrienders’s senior signatory, Chris Charity-Chair, can sign for it.');
    expect(brokenErrorSummaryLinks(notSignatory.body)).toEqual([]);

    const signed = await pcnClient.postForm(`/sharing/agreements/${agreementId}/signatures`, { organisationId: pcn.id, fingerprint: current });
    expect(signed.statusCode).toBe(303);
    expect((await ig.get(`/sharing/agreements/${agreementId}`)).body).toContain('Waiting for signatures');
    const charityClient = await signedInAs(t, charitySignatory);
    expect((await charityClient.postForm(`/sharing/agreements/${agreementId}/signatures`, { organisationId: charity.id, fingerprint: current })).statusCode).toBe(303);
    const active = await ig.get(`/sharing/agreements/${agreementId}`);
    expect(active.body).toMatch(/nhsuk-tag[^>]*>\s*Active\s*</);
    expect(active.body).toContain('Used for 0 flows this quarter');

    // Any change needs signing again.
    expect((await ig.postForm(`/sharing/agreements/${agreementId}/edit`, { ...details, version: '2', security: 'Common Ground only, over TLS' })).statusCode).toBe(303);
    const changed = await ig.get(`/sharing/agreements/${agreementId}`);
    expect(changed.body).toContain('Signed an earlier version: must sign again');
    expect(changed.body).not.toMatch(/nhsuk-tag[^>]*>\s*Active\s*</);
  });

  it('publishes the register (page, JSON, CSV) of active agreements without contact details, and draws the map', async () => {
    const evil = await buildOrganisation(t.db, { name: '=HYPERLINK("http://example.org")' });
    const evilSignatory = await buildUser(t.db, { role: 'organisation_editor', organisationId: evil.id });
    await buildAgreement(t.db, { title: 'Register test agreement', parties: [{ organisationId: pcn.id, signatoryUserId: pcnSignatory.id }, { organisationId: evil.id, signatoryUserId: evilSignatory.id }], flows: [{ flowType: 'sp_referral', from: pcn.id, to: evil.id, dataItems: ['sp.name'] }] });
    const anonymous = new TestClient(t.app);
    const page = await anonymous.get('/sharing/register');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Register test agreement');
    expect(page.body).not.toContain(pcnSignatory.email);
    expect(page.body).not.toContain('Pat Pcn-Director');
    const json = (await anonymous.get('/sharing/register.json')).json();
    const entry = json.agreements.find((a: { title: string }) => a.title === 'Register test agreement');
    expect(entry.flows[0]).toMatchObject({ from: 'Sharing Test PCN', dataItems: ['Name'], identifiability: 'Identifiable' });
    expect(JSON.stringify(json)).not.toContain('@');
    expect((await anonymous.get('/api/openapi.json')).json().paths['/sharing/register.json'].get.tags).toEqual(['Information sharing']);
    const csv = await anonymous.get('/sharing/register.csv');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain(`"'=HYPERLINK(""http://example.org"")"`);
    const map = await ig.get('/sharing/map');
    expect(map.statusCode).toBe(200);
    expect(map.body).toContain('<svg role="img"');
    expect(map.body).toContain('The same flows as a table');
    expect((await anonymous.get('/sharing/map')).statusCode).toBe(302);
  });

  it('shows the IG lead every partner’s assurance and checklist; refuses a bad ICO number; 403 to others', async () => {
    const glance = await ig.get('/sharing/assurance');
    expect(glance.statusCode).toBe(200);
    expect(glance.body).toContain('Sharing Test PCN');
    expect(glance.body).toContain('Done: Protocol signed');
    const editor = await signedInAs(t, await buildUser(t.db, { role: 'organisation_editor', organisationId: newcomer.id }));
    expect((await editor.get('/sharing/assurance')).statusCode).toBe(403);
    const bad = await editor.postForm(`/sharing/organisations/${newcomer.id}`, { version: '0', icoRegistration: 'not a number' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('ICO registration number must look like ZA123456');
    const outsider = await editor.postForm(`/sharing/organisations/${newcomer.id}`, { version: '0', seniorSignatoryUserId: pcnSignatory.id });
    expect(outsider.body).toContain('The senior signatory must be someone who works for Not Yet Set Up Group');
    expect((await editor.postForm(`/sharing/organisations/${charity.id}`, { version: '1' })).statusCode).toBe(403);
  });

  it('sends review reminders 90, 30 and 0 days before the review date, once each even when two sweeps run at once', async () => {
    const today = ukToday();
    await buildAgreement(t.db, { title: 'Review reminder test', parties: [{ organisationId: pcn.id, signatoryUserId: pcnSignatory.id }, { organisationId: charity.id, signatoryUserId: charitySignatory.id }], flows: [{ from: pcn.id, to: charity.id, dataItems: ['sp.name'] }], startOn: addDays(today, -10), reviewOn: addDays(today, 90), endOn: addDays(today, 400) });
    const sentBefore = t.mailer.messages.length;
    const subjects = () => t.mailer.messages.slice(sentBefore).map((m) => m.mail.subject).filter((s) => s.includes('Review reminder test'));
    const [a, b] = await Promise.all([sendReviewReminders(t.db, t.mailer), sendReviewReminders(t.db, t.mailer)]);
    expect(a + b).toBeGreaterThanOrEqual(1);
    expect(subjects()).toEqual(['Review due in 90 days: Review reminder test', 'Review due in 90 days: Review reminder test']);
    await sendReviewReminders(t.db, t.mailer);
    expect(subjects()).toHaveLength(2);
    await sendReviewReminders(t.db, t.mailer, new Date(Date.now() + 60 * 86_400_000));
    await sendReviewReminders(t.db, t.mailer, new Date(Date.now() + 90 * 86_400_000));
    expect(subjects().slice(2)).toEqual(['Review due in 30 days: Review reminder test', 'Review due in 30 days: Review reminder test', 'Review due today: Review reminder test', 'Review due today: Review reminder test']);
  });
  it('screens for a DPIA, records risks and the DPO’s advice, and locks it while it waits for approval', async () => {
    const id = await buildAgreement(t.db, { title: 'DPIA test agreement', parties: [{ organisationId: pcn.id, signatoryUserId: pcnSignatory.id }, { organisationId: charity.id, signatoryUserId: charitySignatory.id }], flows: [{ from: pcn.id, to: charity.id, dataItems: ['sp.name'] }] });
    expect((await ig.get(`/sharing/agreements/${id}/dpia`)).body).toContain('a DPIA is not required');
    expect((await ig.postForm(`/sharing/agreements/${id}/dpia`, { version: '1', screening: ['vulnerable', 'large_scale_health'] })).statusCode).toBe(303);
    expect((await ig.get(`/sharing/agreements/${id}/dpia`)).body).toContain('Yes: a DPIA is needed');
    const notReady = await ig.postForm(`/sharing/agreements/${id}/dpia/decision`, { version: '2', decision: 'send' });
    expect(notReady.statusCode).toBe(409);
    expect(notReady.body).toContain('Still needed: at least one risk; the DPO’s advice');
    const badRisk = await ig.postForm(`/sharing/agreements/${id}/dpia/risks`, { version: '2', description: 'Details reach the wrong group', likelihood: '7', mitigation: '' });
    expect(badRisk.statusCode).toBe(422);
    expect(badRisk.body).toContain('Choose the likelihood');
    expect(badRisk.body).toContain('Say how the risk is reduced');
    expect((await ig.postForm(`/sharing/agreements/${id}/dpia/risks`, { version: '2', description: 'Details reach the wrong group', likelihood: '2', severity: '3', mitigation: 'Only to the named service', residual: 'low' })).statusCode).toBe(303);
    expect((await ig.postForm(`/sharing/agreements/${id}/dpia`, { version: '3', screening: ['vulnerable', 'large_scale_health'], dpoAdvice: 'Proceed with the mitigations.' })).statusCode).toBe(303);
    expect((await ig.get(`/sharing/agreements/${id}/dpia`)).body).toContain('Possible × Severe = 6');
    expect((await ig.postForm(`/sharing/agreements/${id}/dpia/decision`, { version: '4', decision: 'send' })).statusCode).toBe(303);
    const lockedEdit = await ig.postForm(`/sharing/agreements/${id}/dpia`, { version: '5', screening: [] });
    expect(lockedEdit.statusCode).toBe(409);
    expect(lockedEdit.body).toContain('waiting for approval and locked');
    expect((await ig.postForm(`/sharing/agreements/${id}/dpia/decision`, { version: '5', decision: 'return' })).statusCode).toBe(303);
    expect((await ig.postForm(`/sharing/agreements/${id}/dpia/decision`, { version: '6', decision: 'send' })).statusCode).toBe(303);
    expect((await ig.postForm(`/sharing/agreements/${id}/dpia/decision`, { version: '7', decision: 'approve' })).statusCode).toBe(303);
    expect((await ig.get(`/sharing/agreements/${id}/dpia`)).body).toContain('Approved (locked)');
    const reader = await signedInAs(t, pcnSignatory);
    expect((await reader.postForm(`/sharing/agreements/${id}/dpia/decision`, { version: '8', decision: 'return' })).statusCode).toBe(403);
  });
});
