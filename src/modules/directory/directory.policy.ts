import { isAdmin, organisationsWithRole, type Actor } from '../../platform/actor.ts';

/*
 * Who may do what in the directory. Finding services, the ORUK feed and reporting a problem are
 * public; keeping listings is for the organisation's editors and partnership admins.
 */

/** Organisation editors keep their own organisation's listings; partnership admins any. */
export function canEditOrganisation(actor: Actor | null | undefined, organisationId: string): boolean {
  return isAdmin(actor) || organisationsWithRole(actor, 'organisation_editor').includes(organisationId);
}

/** Organisations whose listings the actor keeps: 'all' for admins. */
export function editableOrganisations(actor: Actor | null | undefined): string[] | 'all' {
  return isAdmin(actor) ? 'all' : organisationsWithRole(actor, 'organisation_editor');
}

/** Someone who keeps any listings (an editor of some organisation, or an admin): the Your listings and Problem reports links. */
export function keepsListings(actor: Actor | null | undefined): boolean {
  const editable = editableOrganisations(actor);
  return editable === 'all' || editable.length > 0;
}

/** Import, export of everything, duplicates and merges are for partnership admins. */
export function canManageDirectory(actor: Actor | null | undefined): boolean {
  return isAdmin(actor);
}

/** Problem reports reach the organisation's editors and the admins. */
export function canResolveProblems(actor: Actor | null | undefined, organisationId: string): boolean {
  return canEditOrganisation(actor, organisationId);
}

/** The problem reports inbox: for people who keep listings. */
export function canSeeProblemReports(actor: Actor | null | undefined): boolean {
  return keepsListings(actor);
}

/** New organisations join the directory through a partnership admin (editors keep their own). */
export function canCreateOrganisation(actor: Actor | null | undefined): boolean {
  return canManageDirectory(actor);
}

/** A listing's history (who changed what) is for the people who keep it. */
export function canViewListingHistory(actor: Actor | null | undefined, organisationId: string): boolean {
  return canEditOrganisation(actor, organisationId);
}

/** The partnership-wide staleness dashboard, and any one organisation's listings, are for admins. */
export function canSeeAllListings(actor: Actor | null | undefined): boolean {
  return canManageDirectory(actor);
}
