import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, ukToday } from '../../../platform/dates.ts';
import type { Actor } from '../../../platform/actor.ts';
import { createTestApp, type TestApp } from '../../../../test/support/kit.ts';
import { testEngine } from '../../../../test/support/test-database.ts';
import { aFund, aGrant } from '../../../../test/support/grants.ts';
import { threeSixtyGivingErrors } from '../../../../test/support/three-sixty-giving.ts';
import { csvColumns, type GrantJson } from './three-sixty-giving.ts';
import { importOpenData } from './open-data.service.ts';

type Package = { grants: Record<string, unknown>[] } & Record<string, unknown>;

describe(`360Giving out and in (${testEngine})`, () => {
  let t: TestApp;
  let grantId: string;
  let s: Awaited<ReturnType<typeof aFund>>;
  beforeAll(async () => {
    t = await createTestApp();
    s = await aFund(t);
    grantId = await aGrant(t, s, { description: 'Walks for people over 60. Contact walks@example.org to join.' });
    await aGrant(t, s, { title: 'Not for publication', publish: 'no', amount: '1000', budgetLines: 'Staff: £1,000' });
    // A paid tranche, to appear as a disbursement.
    await s.manager.postForm(`/grants/${grantId}/schedule`, { schedule: `${addDays(ukToday(), -300)}, £4,000\n${addDays(ukToday(), 10)}, £6,000` });
    const [first] = await t.db.query<{ id: string }>('select id from grant_tranches where grant_id = $1 and position = 0', [grantId]);
    await s.manager.postForm(`/grants/${grantId}/tranches/${first.id}/release`, {});
    await s.manager.postForm(`/grants/${grantId}/tranches/${first.id}/paid`, { paidOn: addDays(ukToday(), -1), paymentReference: 'BACS-1' });
  });
  afterAll(async () => t.close());

  it('publishes only grants marked for publication, valid against the official 1.4.3 schema, with what the Data Quality Tool looks for', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/grants/360giving.json' });
    expect(response.statusCode).toBe(200);
    const pkg = response.json<Package>();
    expect(threeSixtyGivingErrors(pkg)).toEqual([]);
    // The validator does find faults: a grant missing its required fields.
    expect(threeSixtyGivingErrors({ grants: [{ id: '360G-x-1' }] }).length).toBeGreaterThan(0);
    expect(pkg.grants.map((g) => g.title)).toEqual(['Walking groups for older people']);
    const g = pkg.grants[0] as unknown as GrantJson;
    expect(g.id).toMatch(/^360G-cgwyndale-[A-Z0-9-]+$/);
    expect(g.currency).toBe('GBP');
    expect(g.amountAwarded).toBe(10000);
    expect(g.recipientOrganization[0].id).toMatch(/^GB-CHC-\d{6,7}$/);
    expect(g.recipientOrganization[0].charityNumber).toMatch(/^\d{6,7}$/);
    expect(g.fundingOrganization).toHaveLength(1);
    expect(g.fundingOrganization[0].id).toMatch(/^360G-cgwyndale-org-/);
    expect(g.plannedDates[0]).toMatchObject({ duration: 12 });
    expect(g.plannedDates[0].startDate <= g.plannedDates[0].endDate).toBe(true);
    expect(g.grantProgramme[0]).toEqual({ code: 'healthy-ageing', title: 'Healthy Ageing' });
    expect(g.beneficiaryLocation?.[0]).toMatchObject({ geoCode: 'E08000035', geoCodeType: 'MD' });
    expect(g.disbursementTransaction).toHaveLength(1);
    expect(g.disbursementTransaction?.[0]).toMatchObject({ value: 4000, currency: 'GBP', transactionDate: addDays(ukToday(), -1) });
    expect(g.description).not.toMatch(/@/);
    expect(g.title).not.toEqual(g.description);
    expect(new Date(g.dateModified).toString()).not.toBe('Invalid Date');
    expect(g.dataSource).toMatch(/\/api\/v1\/grants\/360giving\.json$/);
    expect(g.awardDate <= ukToday()).toBe(true);
  });

  it('gives the same grants in the spreadsheet layout with the standard’s column titles, spreadsheet-safe', async () => {
    await t.db.query(`update grants set description = '=HYPERLINK("http://example.org")' where id = $1`, [grantId]);
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/grants/360giving.csv' });
    expect(response.headers['content-type']).toContain('text/csv');
    const rows = parse(response.body, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0])).toEqual([...csvColumns]);
    expect(rows).toHaveLength(1);
    expect(rows[0]['Amount Awarded']).toBe('10000');
    expect(rows[0]['Planned Dates:Duration (months)']).toBe('12');
    expect(rows[0]['Beneficiary Location:Geographic Code']).toBe('E08000035');
    expect(rows[0].Description.startsWith("'=")).toBe(true);
  });

  it('reads another funder’s file, matching recipients by charity number; a file with broken rows is refused whole, naming them', async () => {
    const [{ identifier }] = await t.db.query<{ identifier: string }>(`select identifier from organisation_identifiers where organisation_id = $1`, [s.granteeId]);
    const good = {
      grants: [
        { id: '360G-other-1', title: 'Lunch club', description: 'A weekly lunch club.', currency: 'GBP', amountAwarded: 5000, awardDate: '2025-04-01', recipientOrganization: [{ id: `GB-CHC-${identifier}`, name: 'Them', charityNumber: identifier }], fundingOrganization: [{ id: 'GB-CHC-1099001', name: 'Northern Rivers Foundation' }], beneficiaryLocation: [{ geoCode: 'E08000035', geoCodeType: 'MD' }] },
      ],
    };
    const broken = `Identifier,Title,Description,Amount Awarded,Award Date,Funding Org:Identifier,Funding Org:Name\n360G-x-1,Fine,Ok,100,2025-01-01,GB-CHC-1,Fund\n360G-x-2,Bad amount,Ok,"£1,000",2025-01-01,GB-CHC-1,Fund\n360G-x-3,Bad date,Ok,100,2025-02-30,GB-CHC-1,Fund\n`;
    const [user] = await t.db.query<{ id: string; name: string; email: string }>(`select u.id, u.name, u.email from users u join memberships m on m.user_id = u.id where m.organisation_id = $1 and m.role = 'grants_manager' limit 1`, [s.funderId]);
    const actor: Actor = { userId: user.id, name: user.name, email: user.email, via: 'session', memberships: [{ organisationId: s.funderId, organisationName: 'Funder', role: 'grants_manager' }] };
    await expect(importOpenData(t.db, actor, { name: 'broken.csv', content: Buffer.from(broken) }, '127.0.0.1')).rejects.toThrow(
      /2 of 3 grants have problems, so nothing was imported\. Row 3: Amount Awarded “£1,000” is not an amount.*Row 4: Award Date “2025-02-30” is not a real date/,
    );
    expect((await t.db.query<{ n: number }>('select count(*)::int as n from external_grants'))[0].n).toBe(0);
    const result = await importOpenData(t.db, actor, { name: 'good.json', content: Buffer.from(JSON.stringify(good)) }, '127.0.0.1');
    expect(result).toEqual({ imported: 1, matched: 1 });
    const routes = await t.app.inject({ method: 'GET', url: '/grants/open-data?geoCode=E08000035', headers: { cookie: [...s.manager.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    expect(routes.body).toContain('Northern Rivers Foundation');
  });

  it('shows grants matched to a directory organisation on its public page, and filters funding routes by the recipients’ size', async () => {
    const [{ identifier }] = await t.db.query<{ identifier: string }>(`select identifier from organisation_identifiers where organisation_id = $1`, [s.granteeId]);
    const grant = (n: number, funder: string, income: number | undefined, extra: Record<string, unknown> = {}) => ({
      id: `360G-size-${n}`, title: `Befriending phone calls ${n}`, description: 'Weekly calls.', currency: 'GBP', amountAwarded: 2500 + n, awardDate: `2025-0${n}-10`,
      recipientOrganization: [{ id: `GB-CHC-${identifier}`, name: 'Them', charityNumber: identifier }],
      fundingOrganization: [{ id: `GB-CHC-10990${n}0`, name: funder }], grantProgramme: [{ title: 'Connected Lives' }],
      beneficiaryLocation: [{ geoCode: 'E08000035', geoCodeType: 'MD' }],
      ...(income === undefined ? {} : { additional_data: { recipientOrgInfos: [{ latestIncome: income }] } }), ...extra,
    });
    const [user] = await t.db.query<{ id: string; name: string; email: string }>(`select u.id, u.name, u.email from users u join memberships m on m.user_id = u.id where m.organisation_id = $1 and m.role = 'grants_manager' limit 1`, [s.funderId]);
    const actor: Actor = { userId: user.id, name: user.name, email: user.email, via: 'session', memberships: [{ organisationId: s.funderId, organisationName: 'Funder', role: 'grants_manager' }] };
    const pkg = { grants: [grant(2, 'Small Steps Trust', 8000), grant(3, 'Big Lottery Partners', 2_500_000), grant(4, 'Quiet Fund', undefined, { recipientOrganization: [{ id: 'GB-CHC-999', name: 'Not in the directory' }] })] };
    expect(await importOpenData(t.db, actor, { name: 'sizes.json', content: Buffer.from(JSON.stringify(pkg)) }, '127.0.0.1')).toEqual({ imported: 3, matched: 2 });

    const [saved] = await t.db.query<Record<string, unknown>>(`select geo_codes, classifications, company_number, recipient_latest_income_pence::int as income, matched_organisation_id from external_grants where identifier = '360G-size-2'`);
    expect(saved).toEqual({ geo_codes: ['E08000035'], classifications: [], company_number: null, income: 800000, matched_organisation_id: s.granteeId });

    // Public: no sign-in needed to see an organisation's grants received.
    const page = await t.app.inject({ method: 'GET', url: `/directory/organisations/${s.granteeId}` });
    expect(page.statusCode).toBe(200);
    const received = page.body.slice(page.body.indexOf('Grants received'));
    expect(received).toContain('Befriending phone calls 3');
    expect(received).toContain('Big Lottery Partners');
    expect(received).toContain('Connected Lives');
    expect(received).toContain('£2,503');
    expect(received).toContain('10 March 2025');
    expect(received).toContain('Northern Rivers Foundation'); // the earlier import's match
    expect(received).not.toContain('Quiet Fund');
    expect(received.indexOf('Befriending phone calls 3')).toBeLessThan(received.indexOf('Befriending phone calls 2')); // newest first

    const cookie = [...s.manager.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const micro = await t.app.inject({ method: 'GET', url: '/grants/open-data?size=micro', headers: { cookie } });
    expect(micro.body).toContain('Small Steps Trust');
    expect(micro.body).not.toContain('Big Lottery Partners');
    expect(micro.body).not.toContain('Quiet Fund'); // no income given: not in any band
    const large = await t.app.inject({ method: 'GET', url: '/grants/open-data?size=large', headers: { cookie } });
    expect(large.body).toContain('Big Lottery Partners');
    expect(large.body).not.toContain('Small Steps Trust');
    const any = await t.app.inject({ method: 'GET', url: '/grants/open-data', headers: { cookie } });
    expect(any.body).toContain('Quiet Fund');
    expect((await t.app.inject({ method: 'GET', url: '/grants/open-data?size=enormous', headers: { cookie } })).statusCode).toBe(400);

    // A size that is not an amount is a broken row: refused whole, nothing saved.
    const bad = { grants: [grant(5, 'Odd Fund', undefined, { additional_data: { recipientOrgInfos: [{ latestIncome: '£12k' }] } })] };
    await expect(importOpenData(t.db, actor, { name: 'bad.json', content: Buffer.from(JSON.stringify(bad)) }, '127.0.0.1')).rejects.toThrow(/Grant 1: Recipient Org:Latest Income “£12k” is not an amount/);
    expect((await t.db.query('select 1 from external_grants where funder_name = $1', ['Odd Fund'])).length).toBe(0);
  });
});
