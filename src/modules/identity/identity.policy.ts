import { isAdmin, type Actor } from '../../platform/actor.ts';

/** Inviting people, giving and removing roles, deactivating accounts, making reset links: partnership admins only. */
export function canManageUsers(actor: Actor | null | undefined): boolean {
  return isAdmin(actor);
}

/** Admins may not lock themselves out: deactivating one's own account is refused. */
export function canDeactivate(actor: Actor | null | undefined, userId: string): boolean {
  return canManageUsers(actor) && actor!.userId !== userId;
}

/** Account pages and personal API tokens are for the signed-in person themselves, through a browser session. */
export function canManageOwnAccount(actor: Actor | null | undefined): boolean {
  return !!actor && actor.via === 'session';
}
