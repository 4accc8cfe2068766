import { isAdmin, organisationsWithRole, type Actor } from '../../platform/actor.ts';

/** Organisation editors keep their own organisation's listings; partnership admins any. */
export function canEditOrganisation(actor: Actor | null | undefined, organisationId: string): boolean {
  return isAdmin(actor) || organisationsWithRole(actor, 'organisation_editor').includes(organisationId);
}

/** Organisations whose listings the actor keeps: 'all' for admins. */
export function editableOrganisations(actor: Actor | null | undefined): string[] | 'all' {
  return isAdmin(actor) ? 'all' : organisationsWithRole(actor, 'organisation_editor');
}

/** Import, export of everything, duplicates and merges are for partnership admins. */
export function canManageDirectory(actor: Actor | null | undefined): boolean {
  return isAdmin(actor);
}

/** Problem reports reach the organisation's editors and the admins. */
export const canResolveProblems = canEditOrganisation;

/** New organisations join the directory through a partnership admin (editors keep their own). */
export const canCreateOrganisation = canManageDirectory;

/** A listing's history (who changed what) is for the people who keep it. */
export const canViewListingHistory = canEditOrganisation;
