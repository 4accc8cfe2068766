import type { Database } from '../../platform/db/database.ts';
import { type Actor, type Role } from '../../platform/actor.ts';
import { recordAudit } from '../../platform/audit.ts';
import * as repo from './identity.repository.ts';

export type Refusal = { ok: false; field: string; message: string };
export type Outcome = { ok: true } | Refusal;

const LAST_ADMIN = 'The partnership must keep at least one active partnership admin. Give the role to someone else first.';

export async function userForAdmin(db: Database, userId: string) {
  const user = await repo.findUserById(db, userId);
  if (!user) return undefined;
  return { user, memberships: await repo.membershipsOf(db, userId) };
}

export async function addRole(db: Database, actor: Actor, userId: string, organisationId: string, role: Role, ip: string): Promise<Outcome> {
  const organisation = await repo.findOrganisation(db, organisationId);
  if (!organisation) return { ok: false, field: 'organisationId', message: 'Select an organisation' };
  return db.transaction(async (tx): Promise<Outcome> => {
    if (await repo.hasMembership(tx, userId, organisationId, role)) return { ok: false, field: 'role', message: 'They already have this role in this organisation' };
    await repo.addMembership(tx, userId, organisationId, role);
    await recordAudit(tx, { actor, action: 'role_added', recordType: 'user', recordId: userId, ip, details: { organisationId, organisationName: organisation.name, role } });
    return { ok: true };
  });
}

export async function removeRole(db: Database, actor: Actor, userId: string, organisationId: string, role: Role, ip: string): Promise<Outcome> {
  return db.transaction(async (tx): Promise<Outcome> => {
    const organisation = await repo.findOrganisation(tx, organisationId);
    if (!(await repo.removeMembership(tx, userId, organisationId, role))) return { ok: false, field: 'form', message: 'They do not have that role any more' };
    // Checked after the change, inside the transaction, so two admins cannot both remove the last admin.
    if (role === 'partnership_admin' && (await repo.countActiveAdmins(tx)) === 0) throw new LastAdminError();
    await recordAudit(tx, { actor, action: 'role_removed', recordType: 'user', recordId: userId, ip, details: { organisationId, organisationName: organisation?.name, role } });
    return { ok: true };
  }).catch(refuseLastAdmin);
}

/** Deactivated people cannot sign in, their sessions end at once, and their API tokens stop working. */
export async function setActive(db: Database, actor: Actor, userId: string, active: boolean, ip: string): Promise<Outcome> {
  if (!active && actor.userId === userId) return { ok: false, field: 'form', message: 'You cannot deactivate your own account' };
  return db.transaction(async (tx): Promise<Outcome> => {
    const user = await repo.findUserById(tx, userId);
    if (!user) return { ok: false, field: 'form', message: 'Account not found' };
    if (user.is_active === active) return { ok: true };
    await repo.setUserActive(tx, userId, active);
    if (!active) {
      await repo.deleteSessionsOfUser(tx, userId);
      if ((await repo.countActiveAdmins(tx)) === 0) throw new LastAdminError();
    }
    await recordAudit(tx, { actor, action: active ? 'reactivated' : 'deactivated', recordType: 'user', recordId: userId, ip, details: { email: user.email } });
    return { ok: true };
  }).catch(refuseLastAdmin);
}

class LastAdminError extends Error {}

// Throwing rolls the transaction back; the person sees why.
function refuseLastAdmin(error: unknown): Refusal {
  if (error instanceof LastAdminError) return { ok: false, field: 'form', message: LAST_ADMIN };
  throw error;
}
