import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signedInAs, type TestApp, type TestClient } from '../../../../test/support/kit.ts';
import { buildPartnership, postMultipart } from '../../../../test/support/social-prescribing.ts';
import { addDays, ukToday } from '../../../platform/dates.ts';

describe('social prescribing: loading an outreach cohort file', () => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof buildPartnership>>;
  let lw: TestClient;
  beforeAll(async () => {
    t = await createTestApp();
    w = await buildPartnership(t);
    lw = await signedInAs(t, w.lw);
  });
  afterAll(async () => t?.close());

  const upload = (name: string, content: string) => postMultipart(lw, '/social-prescribing/cohorts/new', { name, pcnId: w.pcn.id }, { name: 'file', filename: 'cohort.csv', content, type: 'text/csv' });

  it('refuses a file with a NUL character, naming the row, and loads nothing', async () => {
    const withNul = 'First name,Last name,Phone\nAlma,Cohortson,01632 960001\nBe\u0000rt,Cohortson,01632 960002\nCora,Cohortson,01632\u0000960003\n';
    const refused = await upload('List with a NUL', withNul);
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Row 3: the row has a NUL character');
    expect(refused.body).toContain('Row 4: the row has a NUL character');
    expect(refused.body).not.toContain('Row 2:');
    expect(await t.db.query("select 1 from sp_cohorts where name = 'List with a NUL'")).toHaveLength(0);

    const inHeader = await upload('Header with a NUL', 'First name,Last name\u0000\nAlma,Cohortson\n');
    expect(inHeader.statusCode).toBe(422);
    expect(inHeader.body).toContain('Row 1: the row has a NUL character');

    // The same file without the NUL loads.
    const fixed = await upload('List with a NUL', withNul.replace(/\u0000/g, ''));
    expect(fixed.statusCode).toBe(303);
    expect(await t.db.query("select 1 from sp_cohort_members m join sp_cohorts c on c.id = m.cohort_id where c.name = 'List with a NUL'")).toHaveLength(3);
  });
});

describe('social prescribing: an outreach cohort shared between two link workers', () => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof buildPartnership>>;
  let lw: TestClient;
  let colleague: TestClient;
  beforeAll(async () => {
    t = await createTestApp();
    w = await buildPartnership(t);
    lw = await signedInAs(t, w.lw);
    colleague = await signedInAs(t, w.lw2);
  });
  afterAll(async () => t?.close());

  /** Loads a cohort of people named after the list and returns its id and its people in list order. */
  async function loadCohort(name: string, people: number) {
    const rows = Array.from({ length: people }, (_, i) => `Person${i + 1},${name.replace(/\W/g, '')},01632 9601${String(i).padStart(2, '0')},WY1 1AA`);
    const created = await postMultipart(lw, '/social-prescribing/cohorts/new', { name, pcnId: w.pcn.id }, { name: 'file', filename: 'c.csv', content: `First name,Last name,Phone,Postcode\n${rows.join('\n')}\n`, type: 'text/csv' });
    expect(created.statusCode).toBe(303);
    const url = created.headers.location as string;
    const cohortId = url.split('/').pop()!;
    const members = await t.db.query<{ id: string; given_name: string; version: number }>('select id, given_name, version from sp_cohort_members where cohort_id = $1 order by row_number', [cohortId]);
    return { url, cohortId, members };
  }
  const versionOf = async (memberId: string) => (await t.db.query<{ version: number }>('select version from sp_cohort_members where id = $1', [memberId]))[0].version;
  const assignedTo = async (cohortId: string) => t.db.query<{ assigned_to: string | null }>('select assigned_to from sp_cohort_members where cohort_id = $1 order by row_number', [cohortId]);

  it('loads a cohort CSV all or nothing, records calls as contacts, and opens a case once for “needs support”', async () => {
    const broken = 'First name,Last name,Date of birth,NHS number,Phone\nAlma,Cohortson,31/02/1940,,01632 960001\nBert,Cohortson,1941-05-06,9990000019,01632 960002\n';
    const refused = await postMultipart(lw, '/social-prescribing/cohorts/new', { name: 'Shielding list', pcnId: w.pcn.id }, { name: 'file', filename: 'c.csv', content: broken, type: 'text/csv' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Row 2: date of birth “31/02/1940” is not a real date');
    expect(refused.body).toContain('Row 3: NHS number “9990000019” is not valid');
    expect((await t.db.query("select 1 from sp_cohorts where name = 'Shielding list'")).length).toBe(0);
    const good = 'First name,Last name,Date of birth,NHS number,Phone,Postcode\nAlma,Cohortson,28/02/1940,,01632 960001,WY2 1AA\nBert,Cohortson,1941-05-06,9990000026,01632 960002,\n';
    const other = await postMultipart(await signedInAs(t, w.otherLw), '/social-prescribing/cohorts/new', { name: 'Shielding list', pcnId: w.pcn.id }, { name: 'file', filename: 'c.csv', content: good, type: 'text/csv' });
    expect(other.statusCode).toBe(403);
    const created = await postMultipart(lw, '/social-prescribing/cohorts/new', { name: 'Shielding list', pcnId: w.pcn.id }, { name: 'file', filename: 'c.csv', content: good, type: 'text/csv' });
    expect(created.statusCode).toBe(303);
    const cohortUrl = created.headers.location as string;
    const list = await colleague.get(cohortUrl);
    expect(list.body).toContain('Alma Cohortson'); // shared with the team
    expect(list.body).toContain('href="tel:01632960001"');
    const members = await t.db.query<{ id: string; given_name: string }>("select m.id, m.given_name from sp_cohort_members m join sp_cohorts c on c.id = m.cohort_id where c.name = 'Shielding list' order by row_number");
    const alma = members.find((m) => m.given_name === 'Alma')!;
    const bert = members.find((m) => m.given_name === 'Bert')!;
    expect((await lw.postForm(`/social-prescribing/cohort-members/${alma.id}/call`, { outcome: 'no_answer', version: '1' })).statusCode).toBe(303);
    expect((await lw.get(cohortUrl)).body).toContain('No answer – try again');
    const needs = await colleague.postForm(`/social-prescribing/cohort-members/${bert.id}/call?show=to_call&page=1`, { outcome: 'needs_support', needs: ['shopping', 'someone_to_talk_to'], notes: 'Shopping on Fridays.', version: '1' });
    expect(needs.statusCode).toBe(303);
    // Back to the list, not away to the case.
    expect(needs.headers.location).toMatch(/^\/social-prescribing\/cohorts\/[0-9a-f-]+(\?[^#]*)?#people$/);
    const [opened] = await t.db.query<{ link_worker_id: string; status: string; referral_id: string | null }>('select c.link_worker_id, c.status, c.referral_id from sp_cases c join sp_cohort_members m on m.case_id = c.id where m.id = $1', [bert.id]);
    expect(opened).toEqual({ link_worker_id: w.lw2.id, status: 'active', referral_id: null });
    const contacts = await t.db.query<{ outcome: string; notes: string | null }>('select outcome, notes from sp_contacts where cohort_member_id = any($1::uuid[]) order by outcome', [[alma.id, bert.id]]);
    expect(contacts.map((c) => c.outcome)).toEqual(['attempted', 'made']);
    expect(contacts[1].notes).toBe('Needs: Shopping, Someone to talk to. Shopping on Fridays.');
    // A later call does not open a second case; an old form is refused, not saved over it.
    expect((await colleague.postForm(`/social-prescribing/cohort-members/${bert.id}/call`, { outcome: 'needs_support', needs: ['food'], version: '2' })).statusCode).toBe(303);
    expect(await t.db.query('select 1 from sp_cases c join sp_cohort_members m on m.person_id = c.person_id where m.id = $1', [bert.id])).toHaveLength(1);
    expect((await colleague.postForm(`/social-prescribing/cohort-members/${bert.id}/call`, { outcome: 'declined', version: '2' })).statusCode).toBe(409);
    expect((await lw.get(cohortUrl)).body).toContain('1 of 2');

    // The full history, with outcomes and needs; each need one step from the nearest services.
    const page = await lw.get(`/social-prescribing/cohort-members/${bert.id}`);
    expect(page.body).toContain('Collecting medicines'); // a choice on the form
    const history = page.body.slice(page.body.indexOf('id="history"'));
    expect(history.match(/<tr class="nhsuk-table__row">/g)).toHaveLength(2);
    expect(history).toContain('Shopping, Someone to talk to');
    expect(history).toContain('Sam Test-Colleague');
    const food = '6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b1008';
    expect(page.body).toContain(`/social-prescribing/cases/`);
    expect(page.body).toContain(`/connect?need=${food}`);
  });

  it('shares a cohort out evenly, shows who is calling whom, and lists each worker’s own calls due', async () => {
    const { url, cohortId, members } = await loadCohort('Shared list', 6);
    const shared = await lw.postForm(`/social-prescribing/cohorts/${cohortId}/share-out`, { workers: [w.lw.id, w.lw2.id] });
    expect(shared.statusCode).toBe(303);
    expect((await assignedTo(cohortId)).map((r) => r.assigned_to)).toEqual([w.lw.id, w.lw.id, w.lw.id, w.lw2.id, w.lw2.id, w.lw2.id]);
    expect((await lw.get(shared.headers.location as string)).body).toContain('Shared out: 3 to Lee Test-Linkworker, 3 to Sam Test-Colleague.');
    const mine = await colleague.get(`${url}?worker=${w.lw2.id}`);
    expect(mine.body).toContain('Person4 Sharedlist');
    expect(mine.body).not.toContain('Person1 Sharedlist');

    // Reassigning one by one, and back in bulk.
    const one = await lw.postForm(`/social-prescribing/cohort-members/${members[0].id}/assign`, { assignee: w.lw2.id, version: String(await versionOf(members[0].id)) });
    expect(one.statusCode).toBe(303);
    const bulk = await lw.postForm(`/social-prescribing/cohorts/${cohortId}/assign?show=all&page=1`, { members: [members[0].id, members[5].id], assignee: w.lw.id });
    expect(bulk.statusCode).toBe(303);
    expect(bulk.headers.location).toBe(`/social-prescribing/cohorts/${cohortId}?show=all#people`);
    expect((await assignedTo(cohortId)).map((r) => r.assigned_to)).toEqual([w.lw.id, w.lw.id, w.lw.id, w.lw2.id, w.lw2.id, w.lw.id]);

    // A weekly wellbeing call: due again in seven days, not before.
    const call = await colleague.postForm(`/social-prescribing/cohort-members/${members[3].id}/call?show=to_call&next=${members[4].id}`, { outcome: 'no_needs', needs: ['someone_to_talk_to'], weekly: 'yes', version: String(await versionOf(members[3].id)) });
    expect(call.headers.location).toBe(`/social-prescribing/cohorts/${cohortId}?#member-${members[4].id}`.replace('?#', '#'));
    const [{ next_call_on: next }] = await t.db.query<{ next_call_on: string }>('select next_call_on from sp_cohort_members where id = $1', [members[3].id]);
    expect(next).toBe(addDays(ukToday(), 7));
    const { callsDueFor } = await import('../index.ts');
    const actor = { userId: w.lw2.id, name: w.lw2.name, memberships: [{ organisationId: w.pcn.id, role: 'link_worker' as const }] } as never;
    expect(await callsDueFor(t.db, actor)).toEqual({ count: 1, href: '/social-prescribing/calls-due' });
    expect((await callsDueFor(t.db, actor, { now: new Date(Date.now() + 8 * 86_400_000) })).count).toBe(2);
    const dueBody = (await colleague.get('/social-prescribing/calls-due')).body;
    const due = { body: dueBody.slice(dueBody.indexOf('<table')) };
    expect(dueBody).toContain('Call to Person4 Sharedlist recorded. Next wellbeing call:');
    expect(due.body).toContain('Person5 Sharedlist');
    expect(due.body).not.toContain('Person4 Sharedlist'); // called, next call in a week
    expect(due.body).not.toContain('Person1 Sharedlist'); // someone else's

    const progress = await lw.get(`/social-prescribing/cohorts/${cohortId}/progress`);
    expect(progress.statusCode).toBe(200);
    expect(progress.body).toContain('<svg');
    expect(progress.body).toContain('role="img"');
    const table = progress.body.slice(progress.body.indexOf('<table'));
    expect(table).toMatch(/Sam Test-Colleague<\/a>[\s\S]*?Not called yet <\/span><span class="cg-cell">1</);
    const audit = await t.db.query<{ action: string }>("select action from audit_log where record_type = 'sp_cohort' and record_id = $1 order by id", [cohortId]);
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['shared_out', 'assigned', 'viewed', 'call_recorded']));
  });

  it('refuses bad assignments and calls with a clear message, changing nothing', async () => {
    const { cohortId, members } = await loadCohort('Refusals list', 2);
    const elsewhere = await loadCohort('Another list', 1);
    const before = await assignedTo(cohortId);

    // Not a link worker of this PCN: another PCN's, a GP practice's editor, an invented id.
    for (const someone of [w.otherLw.id, w.gpStaff.id, '00000000-0000-4000-8000-000000000000']) {
      const r = await lw.postForm(`/social-prescribing/cohorts/${cohortId}/assign`, { members: [members[0].id], assignee: someone });
      expect(r.statusCode).toBe(422);
      expect(r.body).toContain('the person chosen is not one');
      expect(r.body).toContain('href="#assignee"');
    }
    const shareToOutsider = await lw.postForm(`/social-prescribing/cohorts/${cohortId}/share-out`, { workers: [w.lw.id, w.otherLw.id] });
    expect(shareToOutsider.statusCode).toBe(422);
    expect(shareToOutsider.body).toContain('someone chosen is not one');
    // Someone from another cohort cannot be reassigned through this one.
    const crossed = await lw.postForm(`/social-prescribing/cohorts/${cohortId}/assign`, { members: [members[0].id, elsewhere.members[0].id], assignee: w.lw2.id });
    expect(crossed.statusCode).toBe(422);
    expect(crossed.body).toContain('Some of the people chosen are not in this cohort');
    const nobody = await lw.postForm(`/social-prescribing/cohorts/${cohortId}/assign`, { assignee: w.lw2.id });
    expect(nobody.statusCode).toBe(422);
    expect(nobody.body).toContain('Select the people to assign');
    expect(await assignedTo(cohortId)).toEqual(before);
    expect(await assignedTo(elsewhere.cohortId)).toEqual([{ assigned_to: null }]);
    const reassignOutsider = await lw.postForm(`/social-prescribing/cohort-members/${members[0].id}/assign`, { assignee: w.otherLw.id, version: '1' });
    expect(reassignOutsider.statusCode).toBe(422);

    // Calls: an outcome or a need that is not a choice, needs support without needs.
    const badOutcome = await lw.postForm(`/social-prescribing/cohort-members/${members[0].id}/call`, { outcome: 'maybe', notes: 'Kept', version: '1' });
    expect(badOutcome.statusCode).toBe(422);
    expect(badOutcome.body).toContain('Select the outcome of the call');
    expect(badOutcome.body).toContain('Kept</textarea>');
    const badNeed = await lw.postForm(`/social-prescribing/cohort-members/${members[0].id}/call`, { outcome: 'needs_support', needs: ['unicorns'], version: '1' });
    expect(badNeed.statusCode).toBe(422);
    expect(badNeed.body).toContain('Choose needs from the list');
    const noNeeds = await lw.postForm(`/social-prescribing/cohort-members/${members[0].id}/call`, { outcome: 'needs_support', version: '1' });
    expect(noNeeds.statusCode).toBe(422);
    expect(noNeeds.body).toContain('Select what they need help with');
    expect(noNeeds.body).toContain('href="#needs"');

    // Two workers save the same person: the second is told, and what they typed is kept.
    expect((await lw.postForm(`/social-prescribing/cohort-members/${members[1].id}/call`, { outcome: 'no_needs', version: '1' })).statusCode).toBe(303);
    const stale = await colleague.postForm(`/social-prescribing/cohort-members/${members[1].id}/call`, { outcome: 'needs_support', needs: ['food'], notes: 'Wants a food parcel', version: '1' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else changed this person’s call record');
    expect(stale.body).toContain('Wants a food parcel</textarea>');
    expect(await t.db.query('select 1 from sp_cohort_calls where member_id = $1', [members[1].id])).toHaveLength(1);
    const staleAssign = await colleague.postForm(`/social-prescribing/cohort-members/${members[1].id}/assign`, { assignee: w.lw2.id, version: '1' });
    expect(staleAssign.statusCode).toBe(409);

    // Outside the team, or no such person: refused, never a 500.
    const outsider = await signedInAs(t, w.otherLw);
    expect((await outsider.get(`/social-prescribing/cohort-members/${members[0].id}`)).statusCode).toBe(403);
    expect((await outsider.postForm(`/social-prescribing/cohorts/${cohortId}/assign`, { members: [members[0].id], assignee: w.otherLw.id })).statusCode).toBe(403);
    expect((await lw.get('/social-prescribing/cohort-members/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await lw.get('/social-prescribing/cohort-members/not-an-id')).statusCode).toBe(404);
    expect((await lw.get(`/social-prescribing/cohorts/${cohortId}?show=nonsense&page=-3&worker=x`)).statusCode).toBe(200);

    // Everyone has a worker: sharing out again says what to do instead.
    await lw.postForm(`/social-prescribing/cohorts/${cohortId}/assign`, { members: members.map((m) => m.id), assignee: w.lw.id });
    const again = await lw.postForm(`/social-prescribing/cohorts/${cohortId}/share-out`, { workers: [w.lw2.id] });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('Everyone in this cohort already has a link worker');
  });
});
