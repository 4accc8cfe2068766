import { hasRole, type Actor } from '../../platform/actor.ts';

/**
 * The outbox holds the full text of every email Common Ground did not send, which may be about a
 * person (a GP summary), so only partnership admins read it.
 */
export function canReadOutbox(actor: Actor | null | undefined): boolean {
  return hasRole(actor, 'partnership_admin');
}

/** Recording that a message was sent another way (by phone, by hand, from their own mailbox). */
export function canMarkSentAnotherWay(actor: Actor | null | undefined): boolean {
  return hasRole(actor, 'partnership_admin');
}
