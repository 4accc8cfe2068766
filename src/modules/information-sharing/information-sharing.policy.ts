import { hasRole, type Actor } from '../../platform/actor.ts';

/**
 * Who may do what with information sharing. Partnership admins and information governance leads
 * write agreements, publish the protocol and see every partner's assurance; an organisation's own
 * editors and IG leads keep its assurance up to date; only the person an organisation names as
 * its senior signatory signs for it. Any signed-in member of the partnership may read agreements,
 * and anyone may read the public register.
 */

export function canManageSharing(actor: Actor | null | undefined): boolean {
  return hasRole(actor, 'partnership_admin', 'ig_lead');
}

export function canReadAgreements(actor: Actor | null | undefined): boolean {
  return !!actor && actor.memberships.length > 0;
}

export function canEditAssurance(actor: Actor | null | undefined, organisationId: string): boolean {
  if (canManageSharing(actor)) return true;
  return !!actor && actor.memberships.some((m) => m.organisationId === organisationId && (m.role === 'organisation_editor' || m.role === 'ig_lead'));
}

/** Signing (the protocol or an agreement) for an organisation: only its named senior signatory. */
export function canSignFor(actor: Actor | null | undefined, signatoryUserId: string | null): boolean {
  return !!actor && !!signatoryUserId && actor.userId === signatoryUserId;
}

/** A senior signatory must work for the organisation they sign for. */
export function canBeSignatory(user: { memberships: { organisationId: string }[] }, organisationId: string): boolean {
  return user.memberships.some((m) => m.organisationId === organisationId);
}
