import { hasRole, isAdmin, organisationsWithRole, type Actor } from '../../platform/actor.ts';

/*
 * Who may see what. A person's record belongs to their PCN: only that PCN's link worker team
 * and partnership admins see it. A receiving organisation's editors see only the referrals sent
 * to it, and only the details the person agreed to share. Information governance leads review
 * access and answer subject access requests.
 */

type MaybeActor = Actor | null | undefined;

/** The PCNs whose caseload the actor works in, or 'all' for partnership admins. */
export function caseloadScope(actor: MaybeActor): string[] | 'all' {
  if (isAdmin(actor)) return 'all';
  return organisationsWithRole(actor, 'link_worker');
}

export function canUseCaseload(actor: MaybeActor): boolean {
  return hasRole(actor, 'link_worker', 'partnership_admin');
}

/** A person, case or cohort of this PCN: its link worker team, or a partnership admin. */
export function canSeePcn(actor: MaybeActor, pcnId: string): boolean {
  const scope = caseloadScope(actor);
  return scope === 'all' || scope.includes(pcnId);
}

/** Anyone working for an organisation can refer someone (GP practices and other organisations). */
export function canRefer(actor: MaybeActor): boolean {
  return !!actor && actor.memberships.length > 0;
}

/** Organisations whose referral inbox the actor answers. */
export function inboxOrganisations(actor: MaybeActor): string[] {
  return organisationsWithRole(actor, 'organisation_editor');
}

/** The referrals received page: editors of an organisation. */
export function canUseInbox(actor: MaybeActor): boolean {
  return inboxOrganisations(actor).length > 0;
}

export function canAnswerForOrganisation(actor: MaybeActor, organisationId: string): boolean {
  return inboxOrganisations(actor).includes(organisationId);
}

/** Two records of the same person are merged by their PCN's link worker team, or an admin. */
export function canMergePeople(actor: MaybeActor, pcnId: string): boolean {
  return canSeePcn(actor, pcnId);
}

export function canReviewAccess(actor: MaybeActor): boolean {
  return hasRole(actor, 'ig_lead', 'partnership_admin');
}

/** Subject access exports: the information governance lead, admins, and the person's own team. */
export function canExportPerson(actor: MaybeActor, pcnId: string): boolean {
  return canReviewAccess(actor) || canSeePcn(actor, pcnId);
}

export function canAnonymise(actor: MaybeActor): boolean {
  return canReviewAccess(actor);
}

export function canManageMeasures(actor: MaybeActor): boolean {
  return isAdmin(actor);
}

/** Reports are counts, not people: admins and analysts for the partnership, link workers for their PCN. */
export function reportScope(actor: MaybeActor): string[] | 'all' {
  if (hasRole(actor, 'partnership_admin', 'analyst', 'programme_manager')) return 'all';
  return organisationsWithRole(actor, 'link_worker');
}

export function canSeeReports(actor: MaybeActor): boolean {
  const scope = reportScope(actor);
  return scope === 'all' || scope.length > 0;
}

/** A report of one PCN: anyone whose report scope covers it. */
export function canSeeReportOf(actor: MaybeActor, pcnId: string): boolean {
  const scope = reportScope(actor);
  return scope === 'all' || scope.includes(pcnId);
}
