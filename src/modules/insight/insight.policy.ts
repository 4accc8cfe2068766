import { hasRole, type Actor } from '../../platform/actor.ts';

/**
 * Pseudonymised activity and cost is still personal data: only analysts (and partnership admins)
 * load it or read the figures made from it, and only suppressed figures leave the pages.
 */
export function canUseInsight(actor: Actor | null | undefined): boolean {
  return hasRole(actor, 'analyst', 'partnership_admin');
}

/** Loading and removing extracts changes what every analyst sees: the same people may do it. */
export function canLoadExtracts(actor: Actor | null | undefined): boolean {
  return hasRole(actor, 'analyst', 'partnership_admin');
}
