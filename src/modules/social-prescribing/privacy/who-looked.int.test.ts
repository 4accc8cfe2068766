import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signedInAs, type TestApp, type TestClient } from '../../../../test/support/kit.ts';
import { buildPartnership, loneliness, personFields, referThroughForm } from '../../../../test/support/social-prescribing.ts';
import { addDays, ukToday } from '../../../platform/dates.ts';

/*
 * Every page or answer that shows a person's details writes an audit entry against that person
 * (record type 'sp_person'), saying what was seen, and the "who looked" page lists it.
 */
describe('social prescribing: every read of a person’s details is in their access history', () => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof buildPartnership>>;
  let lw: TestClient;
  let gp: TestClient;
  let ig: TestClient;

  type Entry = { actor_user_id: string | null; action: string; details: Record<string, unknown> };
  const entries = (personId: string) => t.db.query<Entry>("select actor_user_id, action, details from audit_log where record_type = 'sp_person' and record_id = $1 order by at, created_at", [personId]);
  const viewsOf = async (personId: string, part: string) => (await entries(personId)).filter((e) => e.action === 'viewed' && e.details.part === part);
  /** The "who looked" page, as the IG lead sees it. */
  const accessPage = async (personId: string) => (await ig.get(`/social-prescribing/people/${personId}/access`)).body;

  /** A new referral (not yet triaged) from the GP practice. */
  const refer = (givenName: string, overrides: Record<string, string> = {}) => referThroughForm(t.db, gp, w.practice.id, { givenName, familyName: `${givenName}son`, nhsNumber: '', ...overrides });
  /** A referral accepted by the first link worker: their case. */
  async function openCase(givenName: string) {
    const { referralId, personId } = await refer(givenName);
    expect((await lw.postForm(`/social-prescribing/referrals/${referralId}/triage`, { decision: 'accept' })).statusCode).toBe(303);
    const [row] = await t.db.query<{ id: string }>('select id from sp_cases where referral_id = $1', [referralId]);
    return { caseId: row.id, personId, referralId };
  }

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildPartnership(t);
    lw = await signedInAs(t, w.lw);
    gp = await signedInAs(t, w.gpStaff);
    ig = await signedInAs(t, w.ig);
  });
  afterAll(async () => t?.close());

  describe('the caseload', () => {
    let withCase: string;
    let newlyReferred: string;
    const caseloadVia = async (personId: string, via: string) => (await viewsOf(personId, 'caseload')).filter((e) => e.details.via === via);
    beforeAll(async () => {
      withCase = (await openCase('Caseloada')).personId;
      newlyReferred = (await refer('Triagea')).personId;
    });

    it('records each person on the caseload page (my cases and new referrals)', async () => {
      expect((await lw.get('/social-prescribing')).body).toContain('Caseloada Caseloadason');
      for (const personId of [withCase, newlyReferred]) {
        expect(await caseloadVia(personId, 'page')).toEqual([{ actor_user_id: w.lw.id, action: 'viewed', details: { part: 'caseload', via: 'page' } }]);
      }
      expect(await accessPage(withCase)).toContain('caseload, via page');
    });

    it('records each person on the whole team’s caseload page', async () => {
      const colleague = await signedInAs(t, w.lw2);
      expect((await colleague.get('/social-prescribing?view=team')).body).toContain('Caseloada Caseloadason');
      for (const personId of [withCase, newlyReferred]) {
        expect((await caseloadVia(personId, 'team_page')).map((e) => e.actor_user_id)).toEqual([w.lw2.id]);
      }
      expect(await accessPage(withCase)).toContain('caseload, via team page');
    });

    it('records each person in the caseload API’s answer', async () => {
      const api = await lw.get('/api/v1/social-prescribing/caseload');
      expect(api.statusCode).toBe(200);
      expect(api.json().openCases.map((c: { personId: string }) => c.personId)).toContain(withCase);
      for (const personId of [withCase, newlyReferred]) {
        expect((await caseloadVia(personId, 'api')).map((e) => e.actor_user_id)).toEqual([w.lw.id]);
      }
      expect(await accessPage(withCase)).toContain('caseload, via api');
    });
  });

  it('writes one entry per person for a caseload of hundreds, in one page view', async () => {
    const { personId } = await openCase('Manya');
    // 300 more open cases of the same person's PCN, assigned to the link worker.
    await t.db.query(
      `insert into sp_people (id, pcn_id, gp_practice_id, given_name, family_name, postcode, preferred_contact)
       select gen_random_uuid(), $1, $2, 'Bulk', 'Person ' || n, 'WY1 2AB', 'phone' from generate_series(1, 300) as n`,
      [w.pcn.id, w.practice.id],
    );
    await t.db.query(
      `insert into sp_cases (id, person_id, pcn_id, link_worker_id, opened_on, status)
       select gen_random_uuid(), id, pcn_id, $2, $3, 'active' from sp_people where given_name = 'Bulk' and pcn_id = $1`,
      [w.pcn.id, w.lw.id, ukToday()],
    );
    // A second open case of the same person: still one entry for them.
    await t.db.query(`insert into sp_cases (id, person_id, pcn_id, link_worker_id, opened_on, status) values (gen_random_uuid(), $1, $2, $3, $4, 'active')`, [personId, w.pcn.id, w.lw.id, ukToday()]);
    const [{ before }] = await t.db.query<{ before: number }>("select count(*)::int as before from audit_log where record_type = 'sp_person' and action = 'viewed' and details->>'part' = 'caseload'");
    expect((await lw.get('/social-prescribing')).statusCode).toBe(200);
    const [{ shown }] = await t.db.query<{ shown: number }>(
      `select count(distinct c.person_id)::int as shown from sp_cases c where c.status <> 'closed' and c.link_worker_id = $1`,
      [w.lw.id],
    );
    const [{ newPeople }] = await t.db.query<{ newPeople: number }>(
      `select count(distinct r.person_id)::int as "newPeople" from sp_referrals r where r.status = 'new' and r.pcn_id = $1 and r.person_id not in (select person_id from sp_cases where status <> 'closed' and link_worker_id = $2)`,
      [w.pcn.id, w.lw.id],
    );
    const [{ after }] = await t.db.query<{ after: number }>("select count(*)::int as after from audit_log where record_type = 'sp_person' and action = 'viewed' and details->>'part' = 'caseload'");
    expect(shown).toBeGreaterThan(300);
    expect(after - before).toBe(shown + newPeople);
    expect(await viewsOf(personId, 'caseload')).toHaveLength(1);
  });

  it('records the connect page, which shows the person’s name and postcode', async () => {
    const { caseId, personId } = await openCase('Connecta');
    const page = await lw.get(`/social-prescribing/cases/${caseId}/connect`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Connecta Connectason');
    expect((await viewsOf(personId, 'connect')).map((e) => [e.actor_user_id, e.details])).toEqual([[w.lw.id, { part: 'connect', caseId, fields: ['name', 'postcode'] }]]);
    expect(await accessPage(personId)).toContain('connect');
  });

  describe('possible duplicates', () => {
    const same = { familyName: 'Doubleday', nhsNumber: '9990000018', dateOfBirth: '1950-03-27', postcode: 'WY1 2AB' };
    let first: { personId: string; referralId: string };
    let second: { personId: string; referralId: string };
    const duplicateVia = async (personId: string, via: string) => (await viewsOf(personId, 'possible_duplicate')).filter((e) => e.details.via === via);
    beforeAll(async () => {
      // Referrers outside the team are never shown duplicates, so the same person can be referred twice.
      first = await refer('Dupla', same);
      second = await refer('Duplah', same);
    });

    it('records the other record shown in the person page’s “possible duplicate” panel', async () => {
      expect((await lw.get(`/social-prescribing/people/${first.personId}`)).body).toContain('There may be another record for this person');
      expect(await duplicateVia(second.personId, 'person_page')).toEqual([{ actor_user_id: w.lw.id, action: 'viewed', details: { part: 'possible_duplicate', via: 'person_page', shownWith: first.personId } }]);
      expect(await accessPage(second.personId)).toContain('possible duplicate, via person page');
    });

    it('records the other record shown in the triage page’s “possible duplicate” panel', async () => {
      expect((await lw.get(`/social-prescribing/referrals/${first.referralId}`)).body).toContain('This person may already have a record');
      expect((await duplicateVia(second.personId, 'referral_page')).map((e) => e.details)).toEqual([{ part: 'possible_duplicate', via: 'referral_page', shownWith: first.personId }]);
      expect(await accessPage(second.personId)).toContain('possible duplicate, via referral page');
    });

    it('records each record the referral form’s 409 shows', async () => {
      const refused = await lw.postForm('/social-prescribing/refer', { ...personFields({ givenName: 'Duplo', ...same }), gpPracticeId: w.practice.id, reasons: [loneliness], consentToContact: 'yes' });
      expect(refused.statusCode).toBe(409);
      expect(refused.body).toContain('Duplah Doubleday');
      for (const { personId } of [first, second]) expect((await duplicateVia(personId, 'referral_form')).map((e) => e.actor_user_id)).toEqual([w.lw.id]);
      expect(await accessPage(first.personId)).toContain('possible duplicate, via referral form');
    });

    it('records both records shown side by side on the merge page', async () => {
      expect((await lw.get(`/social-prescribing/people/${first.personId}/merge?with=${second.personId}`)).statusCode).toBe(200);
      expect((await viewsOf(first.personId, 'merge')).map((e) => e.details)).toEqual([{ part: 'merge', duplicateId: second.personId }]);
      expect((await viewsOf(second.personId, 'merge')).map((e) => e.details)).toEqual([{ part: 'merge', keepId: first.personId }]);
    });

    it('records each record the person API’s 409 shows', async () => {
      const csrf = await lw.csrfToken();
      const api = await t.app.inject({
        method: 'POST',
        url: '/api/v1/social-prescribing/people',
        headers: { cookie: [...lw.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'x-csrf-token': csrf, 'content-type': 'application/json' },
        payload: JSON.stringify({ givenName: 'Dupli', ...same, gpPracticeId: w.practice.id }),
      });
      expect(api.statusCode).toBe(409);
      expect(api.json().possibleDuplicates.map((d: { id: string }) => d.id).sort()).toEqual([first.personId, second.personId].sort());
      for (const { personId } of [first, second]) expect((await duplicateVia(personId, 'api')).map((e) => e.actor_user_id)).toEqual([w.lw.id]);
      expect(await accessPage(first.personId)).toContain('possible duplicate, via api');
    });
  });

  it('records each person on the list of records due for anonymising', async () => {
    const { caseId, personId } = await openCase('Oldclosa');
    await t.db.query("update sp_cases set status = 'closed', closed_on = $2, closed_reason = 'Goals met' where id = $1", [caseId, addDays(ukToday(), -9 * 366)]);
    expect((await ig.get('/social-prescribing/anonymise')).body).toContain('Oldclosa Oldclosason');
    expect((await viewsOf(personId, 'anonymise_list')).map((e) => e.actor_user_id)).toEqual([w.ig.id]);
    expect(await accessPage(personId)).toContain('anonymise list');
  });

  it('records the “who looked” page against the person it is about, so it appears in their access history', async () => {
    const { personId } = await refer('Lookeda');
    const page = await accessPage(personId);
    expect(await viewsOf(personId, 'access_history')).toEqual([{ actor_user_id: w.ig.id, action: 'viewed', details: { part: 'access_history', page: 1 } }]);
    expect(page).toContain('access history');
    // The audit log still records that it was read.
    expect((await t.db.query("select 1 from audit_log where record_type = 'audit_log' and actor_user_id = $1 and details->'filters'->>'recordId' = $2", [w.ig.id, personId])).length).toBeGreaterThan(0);
  });
});
