import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aSignedInUser, brokenErrorSummaryLinks, buildUser, createTestApp, type TestApp, TestClient } from '../../../../test/support/kit.ts';
import { buildService } from '../../../../test/support/directory-factories.ts';
import { anEditorsOrganisation } from '../../../../test/support/directory.ts';

/** A member of the public at their own address (the app trusts X-Forwarded-For from its proxy). */
async function reportFrom(t: TestApp, address: string, serviceId: string, fields: Record<string, string>) {
  const client = new TestClient(t.app);
  const token = await client.csrfToken();
  return t.app.inject({
    method: 'POST',
    url: `/directory/services/${serviceId}/report-a-problem`,
    headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': address },
    payload: new URLSearchParams({ ...fields, _csrf: token }).toString(),
  });
}

describe('reporting a problem with a listing', () => {
  let t: TestApp;
  beforeAll(async () => {
    // The tests stand behind a proxy on this machine, which says which address each request came from.
    t = await createTestApp({ TRUSTED_PROXIES: '127.0.0.1' });
  });
  afterAll(async () => t?.close());

  it('takes a report from anyone, emails the organisation’s editors, and lists it for them to resolve', async () => {
    const { organisation, client: editor, user } = await anEditorsOrganisation(t);
    const secondEditor = await buildUser(t.db, { role: 'organisation_editor', organisationId: organisation.id });
    const service = await buildService(t.db, { organisationId: organisation.id, name: 'Riverside Knit and Natter' });
    const form = await new TestClient(t.app).get(`/directory/services/${service.id}/report-a-problem`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('What is wrong?');

    const sent = await reportFrom(t, '203.0.113.10', service.id, { reason: 'wrong_times', details: 'It now meets on Thursdays, not Tuesdays.', email: 'reporter@example.org' });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe(`/directory/services/${service.id}/report-a-problem/sent`);
    expect((await t.app.inject({ url: sent.headers.location as string })).body).toContain('Thank you for your report');

    const mails = t.mailer.outbox.filter((m) => m.subject === 'Problem reported: Riverside Knit and Natter');
    expect(mails.map((m) => m.to).sort()).toEqual([user.email, secondEditor.email].sort());
    expect(mails[0].text).toContain('It now meets on Thursdays, not Tuesdays.');
    expect(mails[0].text).toContain('The times or places are wrong');
    expect(mails[0].text).not.toContain('reporter@example.org');

    const list = await editor.get('/directory/problems');
    expect(list.body).toContain('Riverside Knit and Natter');
    const id = /href="\/directory\/problems\/([0-9a-f-]{36})"/.exec(list.body)![1];
    const show = await editor.get(`/directory/problems/${id}`);
    expect(show.body).toContain('reporter@example.org');

    const empty = await editor.postForm(`/directory/problems/${id}/resolve`, { note: '' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('Enter what you did about this report');
    expect(brokenErrorSummaryLinks(empty.body)).toEqual([]);
    const resolved = await editor.postForm(`/directory/problems/${id}/resolve`, { note: 'Changed the day to Thursday.' });
    expect(resolved.statusCode).toBe(303);
    const [row] = await t.db.query<{ status: string; resolved_by: string; resolution_note: string }>('select status, resolved_by, resolution_note from problem_reports where id = $1', [id]);
    expect(row).toEqual({ status: 'resolved', resolved_by: user.id, resolution_note: 'Changed the day to Thursday.' });
    const audit = await t.db.query<{ action: string }>(`select action from audit_log where record_type = 'problem_report' and record_id = $1 order by at`, [id]);
    expect(audit.map((a) => a.action)).toEqual(['reported', 'resolved']);
    const reply = t.mailer.outbox.find((m) => m.to === 'reporter@example.org');
    expect(reply?.text).toContain('Changed the day to Thursday.');
    expect((await editor.get(`/directory/problems/${id}`)).body).not.toContain('Mark as resolved');
  });

  it('shows open reports first; editors see only their organisations’, admins see all', async () => {
    const a = await anEditorsOrganisation(t);
    const b = await anEditorsOrganisation(t);
    const serviceA = await buildService(t.db, { organisationId: a.organisation.id, name: 'Service of A' });
    const serviceB = await buildService(t.db, { organisationId: b.organisation.id, name: 'Service of B' });
    await reportFrom(t, '203.0.113.20', serviceA.id, { reason: 'closed', details: 'First report, later resolved.' });
    await reportFrom(t, '203.0.113.20', serviceA.id, { reason: 'other', details: 'Second report, still open.' });
    await reportFrom(t, '203.0.113.20', serviceB.id, { reason: 'other', details: 'A report for B.' });
    const [first] = await t.db.query<{ id: string }>(`select id from problem_reports where details = 'First report, later resolved.'`);
    await a.client.postForm(`/directory/problems/${first.id}/resolve`, { note: 'Done.' });

    const listA = (await a.client.get('/directory/problems')).body;
    expect(listA).not.toContain('Service of B');
    expect(listA.indexOf('Second report, still open.')).toBeLessThan(listA.indexOf('First report, later resolved.'));
    expect((await a.client.get(`/directory/problems/${first.id}`)).statusCode).toBe(200);
    expect((await b.client.get(`/directory/problems/${first.id}`)).statusCode).toBe(403);
    expect((await b.client.postForm(`/directory/problems/${first.id}/resolve`, { note: 'Not mine' })).statusCode).toBe(403);

    const admin = await aSignedInUser(t, 'partnership_admin');
    const all = (await admin.client.get('/directory/problems')).body;
    expect(all).toContain('Service of A');
    expect(all).toContain('Service of B');
    const linkWorker = await aSignedInUser(t, 'link_worker');
    expect((await linkWorker.client.get('/directory/problems')).statusCode).toBe(403);
    expect((await new TestClient(t.app).get('/directory/problems')).statusCode).toBe(302);
  });

  it('emails the partnership admins when the organisation has no editors', async () => {
    const admin = await aSignedInUser(t, 'partnership_admin');
    const service = await buildService(t.db, { name: 'Orphan Listing' });
    await reportFrom(t, '203.0.113.30', service.id, { reason: 'closed', details: 'It closed last year.' });
    const to = t.mailer.outbox.filter((m) => m.subject === 'Problem reported: Orphan Listing').map((m) => m.to);
    expect(to).toContain(admin.user.email);
  });

  it.each([
    [{ reason: '', details: 'Something' }, 'Select what is wrong'],
    [{ reason: 'other', details: '' }, 'Enter what is wrong, and what it should say'],
    [{ reason: 'other', details: 'x'.repeat(2001) }, 'Details must be 2,000 characters or fewer'],
    [{ reason: 'other', details: 'Fine', email: 'not-an-email' }, 'Enter an email address in the correct format'],
  ])('shows the error summary for %j: "%s"', async (fields, message) => {
    const service = await buildService(t.db);
    const response = await reportFrom(t, `198.51.100.${Math.floor(Math.random() * 200)}`, service.id, fields);
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('nhsuk-error-summary');
    expect(response.body).toContain(message);
    expect(brokenErrorSummaryLinks(response.body)).toEqual([]);
    const count = await t.db.query('select 1 from problem_reports where service_id = $1', [service.id]);
    expect(count).toHaveLength(0);
  });

  it('refuses a report without a CSRF token, and for an unknown service', async () => {
    const service = await buildService(t.db);
    const noToken = await new TestClient(t.app).postForm(`/directory/services/${service.id}/report-a-problem`, { reason: 'other', details: 'x' }, { csrf: null });
    expect(noToken.statusCode).toBe(403);
    expect((await t.app.inject({ url: `/directory/services/${crypto.randomUUID()}/report-a-problem` })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/directory/services/nope/report-a-problem' })).statusCode).toBe(404);
  });

  it('limits anonymous reports to 5 every 10 minutes from one address, with a clear message', async () => {
    const service = await buildService(t.db);
    for (let i = 0; i < 5; i++) {
      expect((await reportFrom(t, '192.0.2.99', service.id, { reason: 'other', details: `Report ${i}` })).statusCode).toBe(303);
    }
    const limited = await reportFrom(t, '192.0.2.99', service.id, { reason: 'other', details: 'One too many' });
    expect(limited.statusCode).toBe(429);
    expect(limited.body).toContain('You have sent too many reports');
    expect(limited.body).toContain('Wait a few minutes, then try again');
    // Someone else is not held up.
    expect((await reportFrom(t, '192.0.2.100', service.id, { reason: 'other', details: 'Different person' })).statusCode).toBe(303);
  });
});
