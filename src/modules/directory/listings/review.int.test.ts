import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aSignedInUser, buildOrganisation, createTestApp, type TestApp, TestClient } from '../../../../test/support/kit.ts';
import { buildService } from '../../../../test/support/directory-factories.ts';
import { anEditorsOrganisation, serviceForm, versionOn } from '../../../../test/support/directory.ts';

const reviewedMonthsAgo = (t: TestApp, id: string, months: number) =>
  t.db.query(`update services set last_reviewed_at = now() - make_interval(months => $2::int) - interval '1 day' where id = $1`, [id, months]);

describe('reviewing listings and their history', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  it('shows an editor their listings with last checked dates, flags old ones, and "Still correct" marks them reviewed', async () => {
    const { organisation, client, user } = await anEditorsOrganisation(t);
    const fresh = await buildService(t.db, { organisationId: organisation.id, name: 'Fresh Walking Group' });
    const old = await buildService(t.db, { organisationId: organisation.id, name: 'Old Memory Cafe' });
    const elsewhere = await buildService(t.db, { name: 'Somebody Else’s Club' });
    await reviewedMonthsAgo(t, old.id, 7);

    const page = await client.get('/directory/listings');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Fresh Walking Group');
    expect(page.body).toContain('Old Memory Cafe');
    expect(page.body).not.toContain(elsewhere.name);
    expect(page.body.match(/May be out of date/g)).toHaveLength(1);
    expect(page.body).toContain('1 listing may be out of date');
    // The tag belongs to the old listing's row.
    const oldRow = page.body.slice(page.body.indexOf('Old Memory Cafe'), page.body.indexOf('</tr>', page.body.indexOf('Old Memory Cafe')));
    expect(oldRow).toContain('May be out of date');

    const stillCorrect = await client.postForm(`/directory/services/${old.id}/reviewed`, { returnTo: '/directory/listings' });
    expect(stillCorrect.statusCode).toBe(303);
    expect(stillCorrect.headers.location).toBe('/directory/listings?done=reviewed');
    const after = await client.get('/directory/listings?done=reviewed');
    expect(after.body).not.toContain('May be out of date');
    expect(after.body).toContain('Marked as still correct');
    const [audit] = await t.db.query<{ action: string; actor_user_id: string }>(`select action, actor_user_id from audit_log where record_id = $1 and action = 'reviewed'`, [old.id]);
    expect(audit).toEqual({ action: 'reviewed', actor_user_id: user.id });
    void fresh;
  });

  it('refuses "Still correct" without a CSRF token, from another organisation’s editor, and from anonymous people', async () => {
    const service = await buildService(t.db);
    await reviewedMonthsAgo(t, service.id, 8);
    const { client } = await anEditorsOrganisation(t);
    expect((await client.postForm(`/directory/services/${service.id}/reviewed`, {})).statusCode).toBe(403);
    const own = await aSignedInUser(t, 'organisation_editor', service.organisationId);
    expect((await own.client.postForm(`/directory/services/${service.id}/reviewed`, {}, { csrf: null })).statusCode).toBe(403);
    const anonymous = await new TestClient(t.app).postForm(`/directory/services/${service.id}/reviewed`, {});
    expect(anonymous.statusCode).toBe(302);
    const [row] = await t.db.query<{ stale: boolean }>(`select last_reviewed_at < now() - interval '6 months' as stale from services where id = $1`, [service.id]);
    expect(row.stale).toBe(true);
  });

  it('gives admins a staleness dashboard: counts, per organisation, oldest first, paged', async () => {
    const admin = await aSignedInUser(t, 'partnership_admin');
    const before = await admin.client.get('/directory/listings');
    const count = (html: string) => Number(/id="stale-count">(\d+)</.exec(html)![1]);
    const staleBefore = count(before.body);

    const oldest = await buildOrganisation(t.db, { name: 'Aaa Oldest Trust' });
    const newer = await buildOrganisation(t.db, { name: 'Zzz Newer Group' });
    const a1 = await buildService(t.db, { organisationId: oldest.id });
    const a2 = await buildService(t.db, { organisationId: oldest.id });
    const b1 = await buildService(t.db, { organisationId: newer.id });
    const closed = await buildService(t.db, { organisationId: newer.id, status: 'defunct' });
    await reviewedMonthsAgo(t, a1.id, 30);
    await reviewedMonthsAgo(t, a2.id, 9);
    await reviewedMonthsAgo(t, b1.id, 12);
    await reviewedMonthsAgo(t, closed.id, 40);

    const page = await admin.client.get('/directory/listings');
    expect(count(page.body)).toBe(staleBefore + 3);
    const oldestAt = page.body.indexOf('Aaa Oldest Trust');
    const newerAt = page.body.indexOf('Zzz Newer Group');
    expect(oldestAt).toBeGreaterThan(-1);
    expect(newerAt).toBeGreaterThan(oldestAt);
    const oldestRow = page.body.slice(oldestAt, page.body.indexOf('</tr>', oldestAt));
    expect(oldestRow.match(/nhsuk-table__cell--numeric">(\d+)</g)).toEqual(['nhsuk-table__cell--numeric">2<', 'nhsuk-table__cell--numeric">2<']);

    // Thirty more organisations with a stale listing: a second page.
    for (let i = 0; i < 30; i++) {
      const s = await buildService(t.db);
      await reviewedMonthsAgo(t, s.id, 7);
    }
    const first = await admin.client.get('/directory/listings');
    expect(first.body).toContain('href="/directory/listings?page=2"');
    const second = await admin.client.get('/directory/listings?page=2');
    expect(second.statusCode).toBe(200);
    expect(second.body).toContain('href="/directory/listings?page=1"');
    expect((await admin.client.get('/directory/listings?page=nonsense')).statusCode).toBe(200);

    // An admin can open one organisation's listings and review them.
    const one = await admin.client.get(`/directory/listings?organisation=${oldest.id}`);
    expect(one.body).toContain('Still correct');
    expect(one.body.match(/May be out of date/g)).toHaveLength(2);
  });

  it('does not show editors the dashboard or other organisations’ listings', async () => {
    const { client } = await anEditorsOrganisation(t);
    const other = await buildOrganisation(t.db);
    expect((await client.get(`/directory/listings?organisation=${other.id}`)).statusCode).toBe(403);
    expect((await client.get('/directory/listings')).body).not.toContain('stale-count');
    expect((await new TestClient(t.app).get('/directory/listings')).statusCode).toBe(302);
  });

  it('lists who changed what and when, field by field, on the service’s and organisation’s history', async () => {
    const { organisation, client, user } = await anEditorsOrganisation(t);
    const service = await buildService(t.db, { organisationId: organisation.id, name: 'Millbrook Chatter Group' });
    const form = await client.get(`/directory/services/${service.id}/edit`);
    await client.postForm(`/directory/services/${service.id}/edit`, serviceForm({ name: 'Millbrook Natter Group', freeOfCharge: 'yes', version: versionOn(form.body) }));
    await client.postForm(`/directory/services/${service.id}/times/new?location=${service.locations[0].id}`, { frequency: 'weekly', days: ['FR'], opensAt: '13:00', closesAt: '15:00' });
    await client.postForm(`/directory/services/${service.id}/reviewed`, {});

    const history = await client.get(`/directory/services/${service.id}/history`);
    expect(history.statusCode).toBe(200);
    const text = history.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toContain(`by ${user.name}`);
    expect(text).toContain('Name from Millbrook Chatter Group → to Millbrook Natter Group');
    expect(text).toContain('Opening times Added: Fridays, 13:00 to 15:00 at Test Community Centre');
    expect(text).not.toContain('Removed: Mondays and Wednesdays');
    expect(text).toContain('Checked: still correct');
    // Newest first.
    expect(text.indexOf('Checked: still correct')).toBeLessThan(text.indexOf('Name from'));

    const orgForm = await client.get(`/directory/organisations/${organisation.id}/edit`);
    await client.postForm(`/directory/organisations/${organisation.id}/edit`, { name: organisation.name, kind: 'charity', email: 'hello@example.org', version: versionOn(orgForm.body) });
    const orgHistory = await client.get(`/directory/organisations/${organisation.id}/history`);
    const orgText = orgHistory.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(orgText).toContain('Email from (blank) → to hello@example.org');
    expect(orgText).toContain('Kind of organisation from Community group → to Charity');

    const outsider = await anEditorsOrganisation(t);
    expect((await outsider.client.get(`/directory/services/${service.id}/history`)).statusCode).toBe(403);
    expect((await outsider.client.get(`/directory/organisations/${organisation.id}/history`)).statusCode).toBe(403);
    const admin = await aSignedInUser(t, 'partnership_admin');
    expect((await admin.client.get(`/directory/services/${service.id}/history`)).statusCode).toBe(200);
    expect((await admin.client.get('/directory/services/nope/history')).statusCode).toBe(404);
  });
});
