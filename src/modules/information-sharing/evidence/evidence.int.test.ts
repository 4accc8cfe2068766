import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { createTestApp, signedInAs, type TestApp, type TestClient } from '../../../../test/support/kit.ts';
import { buildPartnership, referThroughForm } from '../../../../test/support/social-prescribing.ts';
import { buildAgreement } from '../../../../test/support/sharing.ts';
import { addDays, ukToday } from '../../../platform/dates.ts';

/** The Data Security and Protection Toolkit evidence report: page and CSV. */
describe('information sharing: evidence for the toolkit', () => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof buildPartnership>>;
  let ig: TestClient;
  const today = ukToday();

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildPartnership(t);
    ig = await signedInAs(t, w.ig);
    // One agreement whose review is overdue and which the charity has not signed; one with a DPIA.
    const overdue = await buildAgreement(t.db, {
      title: '=Evidence overdue agreement',
      parties: [{ organisationId: w.pcn.id, signatoryUserId: w.lw.id }, { organisationId: w.charity.id, signatoryUserId: w.editor.id }],
      flows: [{ flowType: 'sp_outcome_summary', from: w.pcn.id, to: w.charity.id, dataItems: ['sp.name'] }],
      startOn: addDays(today, -400),
      reviewOn: addDays(today, -3),
      signedBy: [w.pcn.id],
    });
    await t.db.query(`insert into is_dpias (agreement_id, status, risks) values ($1, 'approved', $2)`, [overdue, JSON.stringify([{ id: 'r1', description: 'Wrong recipient', likelihood: 2, severity: 3, mitigation: 'Check address', residual: 'medium' }, { id: 'r2', description: 'Lost device', likelihood: 1, severity: 2, mitigation: 'Encryption', residual: 'low' }])]);
    // The link worker reads a person's record twice (one person), audited.
    const gp = await signedInAs(t, w.gpStaff);
    const { referralId } = await referThroughForm(t.db, gp, w.practice.id, { givenName: 'Evidenca', nhsNumber: '' });
    const lw = await signedInAs(t, w.lw);
    await lw.get(`/social-prescribing/referrals/${referralId}`);
    await lw.get(`/social-prescribing/referrals/${referralId}`);
  });
  afterAll(async () => t?.close());

  it('lists agreements with signatures and reviews overdue, flows, DPIAs with residual risk, and reads of records by organisation and role', async () => {
    const page = await ig.get('/sharing/evidence');
    expect(page.statusCode).toBe(200);
    const body = page.body;
    expect(body).toContain('Reviews overdue: <strong>1</strong>');
    expect(body).toContain('Test social prescribing referrals');
    expect(body).toMatch(/Evidence overdue agreement[\s\S]*?Waiting for signatures \(1 of 2\)[\s\S]*?Test Friendship Group: <strong>not signed<\/strong>[\s\S]*?Overdue[\s\S]*?Approved[\s\S]*?Medium/);
    expect(body).toContain(`signed by ${w.lw.name}`);
    const access = body.slice(body.indexOf('id="access"')).replace(/<span class="nhsuk-table-responsive__heading"[^>]*>[^<]*<\/span>/g, '');
    expect(access).toMatch(/Test Valley <abbr[^>]*>PCN<\/abbr><\/td><td class="nhsuk-table__cell">link worker<\/td><td class="nhsuk-table__cell nhsuk-table__cell--numeric">2<\/td><td class="nhsuk-table__cell nhsuk-table__cell--numeric">1<\/td><td class="nhsuk-table__cell nhsuk-table__cell--numeric">1</);
    const [audit] = await t.db.query<{ n: number }>("select count(*)::int as n from audit_log where record_type = 'sharing_evidence_report'");
    expect(audit.n).toBe(1);

    // A period with no reads counts none; a period the wrong way round is a clear 400.
    const old = await ig.get(`/sharing/evidence?from=2020-01-01&to=2020-12-31`);
    expect(old.body).toContain('No reads of people’s records in this period');
    expect((await ig.get('/sharing/evidence?from=2026-02-30')).statusCode).toBe(400);
    const backwards = await ig.get('/sharing/evidence?from=2026-05-01&to=2026-01-01');
    expect(backwards.statusCode).toBe(400);
    expect(backwards.body).toContain('The start of the period must be on or before its end');
  });

  it('downloads as a spreadsheet-safe CSV', async () => {
    const csv = await ig.get('/sharing/evidence.csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const rows = parse(csv.body, { columns: true }) as Record<string, string>[];
    const overdue = rows.find((r) => r.section === 'agreement' && r.name.includes('Evidence overdue'))!;
    expect(overdue.name).toBe("'=Evidence overdue agreement");
    expect(overdue.date).toContain('(overdue)');
    expect(rows.find((r) => r.section === 'dpia' && r.name.includes('Evidence overdue'))!.detail).toBe('highest residual risk: Medium');
    expect(rows.filter((r) => r.section === 'flow').length).toBe(2);
    expect(rows.find((r) => r.section === 'record access')).toMatchObject({ name: 'Test Valley PCN (link_worker)', count: '2' });
  });

  it('is only for IG leads and partnership admins', async () => {
    const lw = await signedInAs(t, w.lw);
    expect((await lw.get('/sharing/evidence')).statusCode).toBe(403);
    expect((await lw.get('/sharing/evidence.csv')).statusCode).toBe(403);
  });
});
