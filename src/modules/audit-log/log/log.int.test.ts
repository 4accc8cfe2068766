import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit } from '../../../platform/audit.ts';
import { buildUser } from '../../../../test/support/factories.ts';
import { createTestApp, TestClient, type TestApp } from '../../../../test/support/test-app.ts';

describe('the audit log', () => {
  let t: TestApp;
  let admin: TestClient;
  let adminUser: Awaited<ReturnType<typeof buildUser>>;
  let actorA: { userId: string; name: string };
  beforeAll(async () => {
    t = await createTestApp();
    adminUser = await buildUser(t.db, { role: 'partnership_admin' });
    admin = new TestClient(t.app);
    await admin.signIn(adminUser.email, adminUser.password);
    const a = await buildUser(t.db, { role: 'organisation_editor', name: 'Quinn Auditee' });
    actorA = { userId: a.id, name: a.name };
    // 120 entries by one person across two days, UK time, plus one with text a spreadsheet would run.
    // A second apart, so "newest first" has one right answer (the clock may not tick between inserts).
    for (let i = 0; i < 120; i++) {
      await t.db.query(
        `insert into audit_log (id, at, actor_user_id, actor_name, action, record_type, record_id, ip, details)
         values (gen_random_uuid(), now() - make_interval(secs => $1::int), $2, $3, $4, 'service', $5, '192.0.2.1', $6::jsonb)`,
        [600 - i, actorA.userId, actorA.name, i % 2 ? 'updated' : 'created', `svc-${i}`, JSON.stringify({ n: i })],
      );
    }
    // Two entries at known times in British Summer Time: 01:30 on 10 June and 00:30 on 11 June, UK time.
    for (const [at, id] of [['2026-06-10T00:30:00Z', 'dated-1'], ['2026-06-10T23:30:00Z', 'dated-2']]) {
      await t.db.query(`insert into audit_log (id, at, action, record_type, record_id) values (gen_random_uuid(), $1, 'created', 'grant', $2)`, [at, id]);
    }
  });
  afterAll(async () => t.close());

  it('refuses any UPDATE or DELETE: it is append-only', async () => {
    await recordAudit(t.db, { actor: null, action: 'tested', recordType: 'thing', recordId: 'fixed' });
    await expect(t.db.query(`update audit_log set action = 'tampered' where record_id = 'fixed'`)).rejects.toThrow(/append-only/);
    await expect(t.db.query(`delete from audit_log where record_id = 'fixed'`)).rejects.toThrow(/append-only/);
    expect((await t.db.query<{ action: string }>(`select action from audit_log where record_id = 'fixed'`))[0].action).toBe('tested');
  });

  it('shows the newest first, 50 a page, with NHS pagination, and records that it was viewed', async () => {
    const page1 = await admin.get(`/admin/audit?userId=${actorA.userId}`);
    expect(page1.statusCode).toBe(200);
    expect(page1.body).toContain('Showing 1 to 50 of 120 entries');
    expect(page1.body).toContain('nhsuk-pagination');
    expect(page1.body.indexOf('svc-119')).toBeGreaterThan(0);
    expect(page1.body.indexOf('svc-119')).toBeLessThan(page1.body.indexOf('svc-118'));
    expect(page1.body).not.toContain('svc-69<');
    const page3 = await admin.get(`/admin/audit?userId=${actorA.userId}&page=3`);
    expect(page3.body).toContain('Showing 101 to 120 of 120 entries');
    expect(page3.body).toContain('>svc-2<');
    const viewed = await t.db.query<{ details: { filters: Record<string, string>; page: number } }>(
      `select details from audit_log where action = 'viewed' and record_type = 'audit_log' and actor_user_id = $1 order by at`,
      [adminUser.id],
    );
    expect(viewed.at(-1)!.details).toMatchObject({ filters: { userId: actorA.userId }, page: 3 });
  });

  it("offers as filter choices exactly the people, actions and record types in the log", async () => {
    const page = await admin.get('/admin/audit');
    const options = (name: string) => {
      const select = new RegExp(`<select[^>]*name="${name}"[^>]*>([\\s\\S]*?)</select>`).exec(page.body)?.[1] ?? '';
      return [...select.matchAll(/<option value="([^"]+)"/g)].map((m) => m[1]);
    };
    expect(options('userId')).toContain(actorA.userId);
    expect(options('action')).toEqual(expect.arrayContaining(['created', 'updated', 'tested']));
    expect(options('recordType')).toEqual(expect.arrayContaining(['grant', 'service', 'thing']));
    const inLog = await t.db.query<{ v: string }>('select distinct action as v from audit_log order by 1');
    expect(options('action')).toEqual(inLog.map((r) => r.v));
  });

  it('filters by action, record type and id, and by dates in UK time', async () => {
    const byRecord = await admin.get('/admin/audit?recordType=service&recordId=svc-7');
    expect(byRecord.body).toContain('Showing 1 to 1 of 1 entry');
    const byAction = await admin.get(`/admin/audit?userId=${actorA.userId}&action=created`);
    expect(byAction.body).toContain('of 60 entries');
    const tenth = await admin.get('/admin/audit?recordType=grant&from=2026-06-10&to=2026-06-10');
    expect(tenth.body).toContain('of 1 entry');
    expect(tenth.body).toContain('>dated-1<');
    const eleventh = await admin.get('/admin/audit?recordType=grant&from=2026-06-11');
    expect(eleventh.body).toContain('>dated-2<');
    expect(eleventh.body).not.toContain('>dated-1<');
    const before = await admin.get('/admin/audit?recordType=grant&to=2026-06-09');
    expect(before.body).toContain('No entries match');
  });

  it('redisplays the filters with the error summary for bad input, never a 500', async () => {
    const reversed = await admin.get('/admin/audit?from=2026-03-10&to=2026-03-01');
    expect(reversed.statusCode).toBe(422);
    expect(reversed.body).toContain('nhsuk-error-summary');
    expect(reversed.body).toContain('The to date must be the same as or after the from date');
    expect(reversed.body).toContain('value="2026-03-10"');
    for (const query of ['from=2026-02-30', 'to=yesterday', 'userId=not-a-uuid', 'page=-1', `recordId=${'x'.repeat(300)}`]) {
      const r = await admin.get(`/admin/audit?${query}`);
      expect(r.statusCode, query).toBe(422);
      expect(r.body).toContain('nhsuk-error-summary');
    }
    expect((await admin.get('/admin/audit.csv?from=2026-13-01')).statusCode).toBe(422);
  });

  it('exports the filtered log as CSV, with formulas defused, and records the export', async () => {
    await recordAudit(t.db, { actor: { userId: actorA.userId, name: '=HYPERLINK("http://example.org")' }, action: 'renamed', recordType: 'service', recordId: 'svc-x', ip: '192.0.2.1', details: { why: 'test, with "quotes"' } });
    const response = await admin.get(`/admin/audit.csv?userId=${actorA.userId}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    expect(response.headers['content-disposition']).toMatch(/attachment; filename="audit-log-\d{4}-\d{2}-\d{2}\.csv"/);
    const rows = parse(response.body, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0])).toEqual(['at', 'actor', 'actor id', 'action', 'record type', 'record id', 'ip', 'details']);
    expect(rows).toHaveLength(121);
    expect(rows[0]).toMatchObject({ actor: `'=HYPERLINK("http://example.org")`, action: 'renamed', 'record id': 'svc-x' });
    expect(JSON.parse(rows[0].details)).toEqual({ why: 'test, with "quotes"' });
    expect(rows[1]).toMatchObject({ actor: 'Quinn Auditee', 'actor id': actorA.userId, action: 'updated', 'record type': 'service', 'record id': 'svc-119', ip: '192.0.2.1' });
    expect(new Date(rows[1].at).toISOString()).toBe(rows[1].at);
    const exported = await t.db.query(`select 1 from audit_log where action = 'exported' and actor_user_id = $1 and details->'filters'->>'userId' = $2`, [adminUser.id, actorA.userId]);
    expect(exported).toHaveLength(1);
  });

  it('defuses a formula in the address column too (entries written behind an untrusted proxy may hold one)', async () => {
    await recordAudit(t.db, { actor: { userId: actorA.userId, name: actorA.name }, action: 'signed_in', recordType: 'user', recordId: 'ip-test', ip: '=cmd|"/c calc"!A1' });
    const rows = parse((await admin.get('/admin/audit.csv?recordId=ip-test')).body, { columns: true }) as Record<string, string>[];
    expect(rows[0].ip).toBe(`'=cmd|"/c calc"!A1`);
  });

  it('tells browsers and proxies not to keep what a signed-in person saw', async () => {
    expect((await admin.get('/admin/audit')).headers['cache-control']).toBe('no-store');
    expect((await new TestClient(t.app).get('/directory')).headers['cache-control']).not.toBe('no-store');
  });

  it('is open to information governance leads, 403 to other roles, and sends anonymous people to sign in', async () => {
    const ig = await buildUser(t.db, { role: 'ig_lead' });
    const igClient = new TestClient(t.app);
    await igClient.signIn(ig.email, ig.password);
    expect((await igClient.get('/admin/audit')).statusCode).toBe(200);
    expect((await igClient.get('/admin/audit.csv')).statusCode).toBe(200);
    for (const role of ['analyst', 'link_worker', 'organisation_editor', 'programme_manager', 'panel_member'] as const) {
      const user = await buildUser(t.db, { role });
      const client = new TestClient(t.app);
      await client.signIn(user.email, user.password);
      const page = await client.get('/admin/audit');
      expect(page.statusCode, role).toBe(403);
      expect(page.headers['content-type']).toContain('text/html');
      expect((await client.get('/admin/audit.csv')).statusCode).toBe(403);
    }
    const anonymous = await new TestClient(t.app).get('/admin/audit.csv');
    expect(anonymous.statusCode).toBe(302);
    expect(anonymous.headers.location).toBe('/sign-in?returnTo=%2Fadmin%2Faudit.csv');
  });

  it('answers GET /api/v1/audit with the same filters: 401 anonymous, 403 without the role, 400 for bad filters', async () => {
    const ig = await buildUser(t.db, { role: 'ig_lead' });
    const igClient = new TestClient(t.app);
    await igClient.signIn(ig.email, ig.password);
    const made = await igClient.postForm('/account/api-tokens', { name: 'Review script' });
    const token = /(cg_[A-Za-z0-9_-]{43})/.exec(made.body)![1];
    const auth = { authorization: `Bearer ${token}` };

    const page = await t.app.inject({ url: `/api/v1/audit?userId=${actorA.userId}&action=created&page=2`, headers: auth });
    expect(page.statusCode).toBe(200);
    const body = page.json();
    expect(body).toMatchObject({ page: 2, pageSize: 50, total: 60 });
    expect(body.items).toHaveLength(10);
    expect(body.items[0]).toMatchObject({ actorUserId: actorA.userId, actorName: 'Quinn Auditee', action: 'created', recordType: 'service', ip: '192.0.2.1' });
    expect(new Date(body.items[0].at).getTime()).toBeGreaterThanOrEqual(new Date(body.items[1].at).getTime());
    const viaApi = await t.db.query(`select 1 from audit_log where action = 'viewed' and actor_user_id = $1 and details->>'via' = 'api'`, [ig.id]);
    expect(viaApi).toHaveLength(1);

    const bad = await t.app.inject({ url: '/api/v1/audit?from=2026-03-10&to=2026-03-01', headers: auth });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(bad.json().errors)).toContain('to date');
    expect((await t.app.inject({ url: '/api/v1/audit?userId=nope', headers: auth })).statusCode).toBe(400);

    const anonymous = await t.app.inject({ url: '/api/v1/audit' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['content-type']).toContain('application/problem+json');
    const analyst = await buildUser(t.db, { role: 'analyst' });
    const analystClient = new TestClient(t.app);
    await analystClient.signIn(analyst.email, analyst.password);
    const analystToken = /(cg_[A-Za-z0-9_-]{43})/.exec((await analystClient.postForm('/account/api-tokens', { name: 'x' })).body)![1];
    const forbidden = await t.app.inject({ url: '/api/v1/audit', headers: { authorization: `Bearer ${analystToken}` } });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.headers['content-type']).toContain('application/problem+json');
  });
});
