/** Scenario builders for the grants module: a funder with two grants managers, a grantee with an editor, a fund. */
import { ukToday, addDays } from '../../src/platform/dates.ts';
import { buildOrganisation, buildUser, signedInAs, type TestApp, type TestClient } from './kit.ts';

export type GrantsScenario = {
  funderId: string;
  granteeId: string;
  manager: TestClient;
  secondManager: TestClient;
  editor: TestClient;
  editorUser: { id: string; email: string; name: string };
  fundId: string;
};

/** A fund of the total given (pounds), a £5,000 second-approval threshold, 10% / £1,000 late moves. */
export async function aFund(t: TestApp, total = '100000', extra: Record<string, string> = {}): Promise<GrantsScenario> {
  const funder = await buildOrganisation(t.db, { name: `Test Trust ${Math.random().toString(36).slice(2, 7)}` });
  const grantee = await buildOrganisation(t.db, { name: `Test Grantee ${Math.random().toString(36).slice(2, 7)}` });
  await t.db.query(`insert into organisation_identifiers (id, organisation_id, identifier_scheme, identifier_type, identifier) values (gen_random_uuid(), $1, 'GB-CHC', 'Charity number', '1099' || lpad((floor(random() * 999))::text, 3, '0'))`, [grantee.id]);
  const m1 = await buildUser(t.db, { role: 'grants_manager', organisationId: funder.id });
  const m2 = await buildUser(t.db, { role: 'grants_manager', organisationId: funder.id });
  const ed = await buildUser(t.db, { role: 'organisation_editor', organisationId: grantee.id });
  const manager = await signedInAs(t, m1);
  const response = await manager.postForm('/grants/funds', {
    funderOrganisationId: funder.id,
    name: 'Test community fund',
    total,
    opensOn: addDays(ukToday(), -400),
    closesOn: addDays(ukToday(), 200),
    programmes: 'Healthy Ageing',
    approvalThreshold: '5000',
    lateMovePercent: '10',
    lateMoveMax: '1000',
    endMonthsBeforeSpendOut: '6',
    ...extra,
  });
  if (response.statusCode !== 303) throw new Error(`fund not set up: ${response.statusCode} ${response.body.slice(0, 500)}`);
  const fundId = String(response.headers.location).split('/').pop()!;
  return { funderId: funder.id, granteeId: grantee.id, manager, secondManager: await signedInAs(t, m2), editor: await signedInAs(t, ed), editorUser: ed, fundId };
}

/** The award form's fields for a grant to the scenario's grantee: £10,000 over a year, ending in 30 days. */
export function grantFields(s: GrantsScenario, overrides: Record<string, string> = {}): Record<string, string> {
  const today = ukToday();
  return {
    recipientOrganisationId: s.granteeId,
    title: 'Walking groups for older people',
    description: 'Weekly led walks with tea afterwards for people over 60 living alone.',
    amount: '10000',
    awardDate: addDays(today, -335),
    plannedStart: addDays(today, -330),
    plannedEnd: addDays(today, 30),
    programme: 'Healthy Ageing',
    budgetLines: 'Staff costs: £6,000\nActivities: £3,000\nVolunteer expenses: £1,000',
    conditions: 'Reports on time.',
    locations: 'E08000035',
    classifications: 'Older people, Loneliness',
    publish: 'yes',
    ...overrides,
  };
}

export async function aGrant(t: TestApp, s: GrantsScenario, overrides: Record<string, string> = {}): Promise<string> {
  const response = await s.manager.postForm(`/grants/funds/${s.fundId}/grants`, grantFields(s, overrides));
  if (response.statusCode !== 303) throw new Error(`grant not awarded: ${response.statusCode} ${/nhsuk-error-summary[\s\S]{0,800}/.exec(response.body)?.[0]}`);
  return String(response.headers.location).split('/').pop()!;
}
