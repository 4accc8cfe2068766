import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokenErrorSummaryLinks, buildOrganisation, buildUser, createTestApp, signedInAs, type TestApp, TestClient } from '../../../../test/support/kit.ts';

describe('partnership admins managing people and roles', () => {
  let t: TestApp;
  let admin: TestClient;
  let adminUser: Awaited<ReturnType<typeof buildUser>>;
  beforeAll(async () => {
    t = await createTestApp();
    adminUser = await buildUser(t.db, { role: 'partnership_admin', name: 'Ada Admin' });
    admin = await signedInAs(t, adminUser);
  });
  afterAll(async () => t.close());

  it('lists users with their organisations and roles, and searches them', async () => {
    const org = await buildOrganisation(t.db, { name: 'Northgate Primary Care Network' });
    const worker = await buildUser(t.db, { role: 'link_worker', organisationId: org.id, name: 'Lindsay Listed' });
    const list = await admin.get('/admin/users');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Lindsay Listed');
    expect(list.body).toContain('Link worker, Northgate Primary Care Network');
    const searched = await admin.get('/admin/users?q=lindsay');
    expect(searched.body).toContain(`/admin/users/${worker.id}`);
    expect(searched.body).not.toContain('Ada Admin</a>');
  });

  it('adds and removes a role, each audited', async () => {
    const user = await buildUser(t.db, { role: 'link_worker' });
    const org = await buildOrganisation(t.db, { name: 'Eastfield Carers Group' });
    const added = await admin.postForm(`/admin/users/${user.id}/roles`, { organisationId: org.id, role: 'organisation_editor' });
    expect(added.statusCode).toBe(303);
    const page = await admin.get(added.headers.location as string);
    expect(page.body).toContain('Role added.');
    expect(page.body).toContain('Eastfield Carers Group');

    const duplicate = await admin.postForm(`/admin/users/${user.id}/roles`, { organisationId: org.id, role: 'organisation_editor' });
    expect(duplicate.statusCode).toBe(422);
    expect(duplicate.body).toContain('They already have this role in this organisation');

    const removed = await admin.postForm(`/admin/users/${user.id}/roles/remove`, { organisationId: org.id, role: 'organisation_editor' });
    expect(removed.statusCode).toBe(303);
    const roles = await t.db.query<{ role: string }>('select role from memberships where user_id = $1', [user.id]);
    expect(roles.map((r) => r.role)).toEqual(['link_worker']);
    const audit = await t.db.query<{ action: string; actor_user_id: string; details: { role: string; organisationName: string } }>(
      `select action, actor_user_id, details from audit_log where record_id = $1 and action like 'role_%' order by at`,
      [user.id],
    );
    expect(audit.map((a) => a.action)).toEqual(['role_added', 'role_removed']);
    expect(audit[0]).toMatchObject({ actor_user_id: adminUser.id, details: { role: 'organisation_editor', organisationName: 'Eastfield Carers Group' } });
  });

  it('shows an account with its status, creation date and roles, and says why a role cannot be removed twice', async () => {
    const org = await buildOrganisation(t.db, { name: 'Meadow Lane Allotments' });
    const user = await buildUser(t.db, { role: 'analyst', organisationId: org.id, name: 'Pat Page' });
    const page = await admin.get(`/admin/users/${user.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Pat Page');
    expect(page.body).toContain('Active');
    expect(page.body).toMatch(/Account created\s*<\/dt>\s*<dd[^>]*>\s*\d{1,2} \w+ \d{4}/);
    expect(page.body).toContain('Meadow Lane Allotments');
    expect(brokenErrorSummaryLinks(page.body)).toEqual([]);

    expect((await admin.postForm(`/admin/users/${user.id}/roles/remove`, { organisationId: org.id, role: 'analyst' })).statusCode).toBe(303);
    const again = await admin.postForm(`/admin/users/${user.id}/roles/remove`, { organisationId: org.id, role: 'analyst' });
    expect(again.statusCode).toBe(422);
    expect(again.body).toContain('They do not have that role any more');
    expect(again.body).toContain('href="#memberships"');
    expect(brokenErrorSummaryLinks(again.body)).toEqual([]);
    const tampered = await admin.postForm(`/admin/users/${user.id}/roles/remove`, { organisationId: 'x', role: 'emperor' });
    expect(tampered.statusCode).toBe(422);
    expect(tampered.body.match(/Choose a role to remove/g)?.length).toBeGreaterThan(0);
    expect(brokenErrorSummaryLinks(tampered.body)).toEqual([]);
  });

  it('explains bad role choices instead of failing', async () => {
    const user = await buildUser(t.db, { role: 'analyst' });
    const bad = await admin.postForm(`/admin/users/${user.id}/roles`, { organisationId: '', role: '' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Select an organisation');
    expect(bad.body).toContain('Select a role');
    const merged = await buildOrganisation(t.db);
    const into = await buildOrganisation(t.db);
    await t.db.query('update organisations set merged_into_id = $2 where id = $1', [merged.id, into.id]);
    const toMerged = await admin.postForm(`/admin/users/${user.id}/roles`, { organisationId: merged.id, role: 'analyst' });
    expect(toMerged.statusCode).toBe(422);
    expect((await admin.get(`/admin/users/${user.id}`)).body).not.toContain(merged.name);
  });

  it('deactivates an account, ending its sessions and API tokens, and reactivates it', async () => {
    const user = await buildUser(t.db, { role: 'link_worker' });
    const theirs = await signedInAs(t, user);
    const made = await theirs.postForm('/account/api-tokens', { name: 'Script' });
    const token = /(cg_[A-Za-z0-9_-]+)/.exec(made.body)![1];
    expect((await t.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);

    const off = await admin.postForm(`/admin/users/${user.id}/deactivate`, {});
    expect(off.statusCode).toBe(303);
    expect((await admin.get(off.headers.location as string)).body).toContain('Account deactivated');
    expect((await t.db.query('select 1 from sessions where user_id = $1', [user.id])).length).toBe(0);
    expect((await theirs.get('/account')).statusCode).toBe(302);
    expect((await t.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401);
    expect((await new TestClient(t.app).postForm('/sign-in', { email: user.email, password: user.password })).statusCode).toBe(401);

    const on = await admin.postForm(`/admin/users/${user.id}/reactivate`, {});
    expect(on.statusCode).toBe(303);
    await new TestClient(t.app).signIn(user.email, user.password);
    const audit = await t.db.query<{ action: string }>(`select action from audit_log where record_id = $1 and action in ('deactivated', 'reactivated') order by at`, [user.id]);
    expect(audit.map((a) => a.action)).toEqual(['deactivated', 'reactivated']);
  });

  it('does not bring old API tokens back when an account is reactivated, and audits their revocation', async () => {
    const user = await buildUser(t.db, { role: 'link_worker' });
    // Signed in afresh each time: deactivation ends the account's sessions.
    const tokenMade = async (name: string) => /(cg_[A-Za-z0-9_-]+)/.exec((await (await signedInAs(t, user)).postForm('/account/api-tokens', { name })).body)![1];
    const me = (token: string) => t.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    const first = await tokenMade('Before deactivation');
    expect((await admin.postForm(`/admin/users/${user.id}/deactivate`, {})).statusCode).toBe(303);
    expect((await admin.postForm(`/admin/users/${user.id}/reactivate`, {})).statusCode).toBe(303);
    expect((await me(first)).statusCode).toBe(401);

    // An account deactivated before tokens were revoked on deactivation: its live tokens end on reactivation.
    const second = await tokenMade('Left live');
    await t.db.query('update users set is_active = false where id = $1', [user.id]);
    expect((await admin.postForm(`/admin/users/${user.id}/reactivate`, {})).statusCode).toBe(303);
    expect((await me(second)).statusCode).toBe(401);

    const audit = await t.db.query<{ actor_user_id: string; details: { reason: string; name: string } }>(
      `select a.actor_user_id, a.details from audit_log a join api_tokens k on k.id::text = a.record_id
        where k.user_id = $1 and a.action = 'api_token_revoked' order by a.at`,
      [user.id],
    );
    expect(audit.map((a) => [a.actor_user_id, a.details.name, a.details.reason])).toEqual([
      [adminUser.id, 'Before deactivation', 'deactivated'],
      [adminUser.id, 'Left live', 'reactivated'],
    ]);
  });

  it('keeps at least one active partnership admin and stops admins deactivating themselves', async () => {
    const t2 = await createTestApp();
    try {
      const only = await buildUser(t2.db, { role: 'partnership_admin' });
      const client = await signedInAs(t2, only);
      const self = await client.postForm(`/admin/users/${only.id}/deactivate`, {});
      expect(self.statusCode).toBe(422);
      expect(self.body).toContain('You cannot deactivate your own account');
      expect(brokenErrorSummaryLinks(self.body)).toEqual([]);
      const lastRole = await client.postForm(`/admin/users/${only.id}/roles/remove`, { organisationId: only.organisationId, role: 'partnership_admin' });
      expect(lastRole.statusCode).toBe(422);
      expect(lastRole.body).toContain('at least one active partnership admin');
      expect((await t2.db.query(`select 1 from memberships where user_id = $1 and role = 'partnership_admin'`, [only.id])).length).toBe(1);
      expect((await t2.db.query(`select 1 from audit_log where action = 'role_removed'`)).length).toBe(0);
    } finally {
      await t2.close();
    }
  });

  it('lists organisations with member counts and each organisation’s members, linking to the directory to edit', async () => {
    const org = await buildOrganisation(t.db, { name: 'Zed Valley Walking Group' });
    const a = await buildUser(t.db, { role: 'organisation_editor', organisationId: org.id, name: 'Walker One' });
    await buildUser(t.db, { role: 'organisation_editor', organisationId: org.id, name: 'Walker Two' });
    await t.db.query(`insert into memberships (id, user_id, organisation_id, role) values (gen_random_uuid(), $1, $2, 'link_worker')`, [a.id, org.id]);
    const list = await admin.get('/admin/organisations?q=zed+valley');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Zed Valley Walking Group');
    expect(list.body).toMatch(/2 members/);
    expect(list.body).toContain(`/directory/organisations/${org.id}/edit`);
    expect(list.body).toContain('/directory/organisations/new');
    const members = await admin.get(`/admin/organisations/${org.id}/members`);
    expect(members.body).toContain('Walker One');
    expect(members.body).toContain('Link worker, Organisation editor');
    expect(members.body).toContain(`/admin/users/invite?organisationId=${org.id}`);
  });

  it('answers 404 for unknown or malformed ids', async () => {
    for (const url of ['/admin/users/not-a-uuid', `/admin/users/${crypto.randomUUID()}`, '/admin/organisations/nope/members', `/admin/organisations/${crypto.randomUUID()}/members`]) {
      expect((await admin.get(url)).statusCode).toBe(404);
    }
    expect((await admin.postForm('/admin/users/not-a-uuid/deactivate', {})).statusCode).toBe(404);
    expect((await admin.postForm(`/admin/users/${crypto.randomUUID()}/roles`, { organisationId: crypto.randomUUID(), role: 'analyst' })).statusCode).toBe(404);
  });

  it('refuses everyone but partnership admins (403 page) and sends anonymous people to sign in', async () => {
    const target = await buildUser(t.db, { role: 'analyst' });
    for (const role of ['ig_lead', 'organisation_editor', 'analyst'] as const) {
      const user = await buildUser(t.db, { role });
      const client = await signedInAs(t, user);
      for (const url of ['/admin/users', `/admin/users/${target.id}`, '/admin/organisations', `/admin/organisations/${target.organisationId}/members`]) {
        const r = await client.get(url);
        expect(r.statusCode, `${role} ${url}`).toBe(403);
        expect(r.body).toContain('Forbidden');
      }
      expect((await client.postForm(`/admin/users/${target.id}/deactivate`, {})).statusCode).toBe(403);
      expect((await client.postForm(`/admin/users/${target.id}/roles`, { organisationId: target.organisationId, role: 'partnership_admin' })).statusCode).toBe(403);
    }
    expect((await t.db.query(`select 1 from memberships where user_id = $1 and role = 'partnership_admin'`, [target.id])).length).toBe(0);
    const anonymous = await new TestClient(t.app).get('/admin/organisations');
    expect(anonymous.statusCode).toBe(302);
    expect(anonymous.headers.location).toContain('/sign-in?returnTo=');
    const noCsrf = await admin.postForm(`/admin/users/${target.id}/deactivate`, {}, { csrf: null });
    expect(noCsrf.statusCode).toBe(403);
    expect((await t.db.query<{ is_active: boolean }>('select is_active from users where id = $1', [target.id]))[0].is_active).toBe(true);
  });
});
