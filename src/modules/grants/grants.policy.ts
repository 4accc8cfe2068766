import { hasRole, isAdmin, organisationsWithRole, type Actor } from '../../platform/actor.ts';

/**
 * Who may do what with grants. Partnership admins can do everything; grants managers act for the
 * funder organisation they belong to; a grantee's organisation editors see and act on their own
 * organisation's grants only; the public sees only published 360Giving data.
 */

/** A fund, as far as the rules need it. */
export type FundRef = { funderOrganisationId: string };
/** A grant, as far as the rules need it. */
export type GrantRef = FundRef & { recipientOrganisationId: string; stage: string };

/** Reaches the grants pages at all: managers, admins, and editors (for their own grants). */
export function canUseGrants(actor: Actor | null | undefined): boolean {
  return hasRole(actor, 'partnership_admin', 'grants_manager', 'organisation_editor');
}

/** Sets up funds (for their own funder organisation). */
export function canSetUpFunds(actor: Actor | null | undefined): boolean {
  return hasRole(actor, 'partnership_admin', 'grants_manager');
}

/** Runs this fund: awards, payments, approvals, closure. */
export function canManageFund(actor: Actor | null | undefined, fund: FundRef): boolean {
  return isAdmin(actor) || organisationsWithRole(actor, 'grants_manager').includes(fund.funderOrganisationId);
}

/** Acts for the grantee: submits reports, asks for changes, comments on and signs the letter. */
export function actsForGrantee(actor: Actor | null | undefined, grant: GrantRef): boolean {
  return organisationsWithRole(actor, 'organisation_editor').includes(grant.recipientOrganisationId);
}

export function canSeeGrant(actor: Actor | null | undefined, grant: GrantRef): boolean {
  return canManageFund(actor, grant) || actsForGrantee(actor, grant);
}

/** Signs the closure letter for a party: the funder's managers, the grantee's editors. */
export function canSignFor(actor: Actor | null | undefined, grant: GrantRef, party: 'funder' | 'grantee'): boolean {
  return party === 'funder' ? canManageFund(actor, grant) : actsForGrantee(actor, grant);
}

/** Reads other funders' 360Giving data and imports it. */
export function canImportOpenData(actor: Actor | null | undefined): boolean {
  return hasRole(actor, 'partnership_admin', 'grants_manager');
}
