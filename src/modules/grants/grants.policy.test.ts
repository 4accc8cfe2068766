import { describe, expect, it } from 'vitest';
import { roles, type Actor, type Role } from '../../platform/actor.ts';
import { actsForGrantee, canImportOpenData, canManageFund, canSeeGrant, canSetUpFunds, canSignFor, canUseGrants } from './grants.policy.ts';

const FUNDER = 'funder-org';
const GRANTEE = 'grantee-org';
const OTHER = 'other-org';
const someone = (...held: [Role, string][]): Actor => ({
  userId: 'u',
  name: 'Test Person',
  email: 'person@test.common-ground.invalid',
  via: 'session',
  memberships: held.map(([role, organisationId]) => ({ organisationId, organisationName: organisationId, role })),
});
const grant = { funderOrganisationId: FUNDER, recipientOrganisationId: GRANTEE, stage: 'in_delivery' };

describe('who may do what with grants: every role, in the funder, the grantee and another organisation', () => {
  // [role, organisation] → [use grants pages, set up funds, manage this fund, act for the grantee, see the grant, sign for funder, sign for grantee, import 360Giving]
  const table: [Role, string, boolean[]][] = [];
  const expected: Record<Role, Record<string, boolean[]>> = {
    partnership_admin: { [FUNDER]: [true, true, true, false, true, true, false, true], [GRANTEE]: [true, true, true, false, true, true, false, true], [OTHER]: [true, true, true, false, true, true, false, true] },
    grants_manager: { [FUNDER]: [true, true, true, false, true, true, false, true], [GRANTEE]: [true, true, false, false, false, false, false, true], [OTHER]: [true, true, false, false, false, false, false, true] },
    organisation_editor: { [FUNDER]: [true, false, false, false, false, false, false, false], [GRANTEE]: [true, false, false, true, true, false, true, false], [OTHER]: [true, false, false, false, false, false, false, false] },
    link_worker: {}, programme_manager: {}, panel_member: {}, analyst: {}, ig_lead: {},
  };
  for (const role of roles) for (const org of [FUNDER, GRANTEE, OTHER]) table.push([role, org, expected[role][org] ?? [false, false, false, false, false, false, false, false]]);

  it.each(table)('%s in %s', (role, org, answers) => {
    const actor = someone([role, org]);
    expect([
      canUseGrants(actor),
      canSetUpFunds(actor),
      canManageFund(actor, grant),
      actsForGrantee(actor, grant),
      canSeeGrant(actor, grant),
      canSignFor(actor, grant, 'funder'),
      canSignFor(actor, grant, 'grantee'),
      canImportOpenData(actor),
    ]).toEqual(answers);
  });

  it('nobody signed in may do nothing', () => {
    expect([canUseGrants(null), canSetUpFunds(null), canManageFund(null, grant), actsForGrantee(null, grant), canSeeGrant(null, grant), canImportOpenData(null)]).toEqual([false, false, false, false, false, false]);
  });
});
