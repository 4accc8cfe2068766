import type { Database, Queryable } from '../../../platform/db/database.ts';
import type { Actor, Role } from '../../../platform/actor.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { refuse } from '../../../platform/refusal.ts';
import * as people from '../identity.repository.ts';
import { canDeactivate, canManageUsers } from '../identity.policy.ts';
import { hashPassword } from '../passwords.ts';
import { revokeEveryApiToken } from '../account/account.service.ts';
import * as repo from './members.repository.ts';
import { startSession } from '../sign-in/sign-in.service.ts';

const LAST_ADMIN = 'The partnership must keep at least one active partnership admin. Give the role to someone else first.';

function mayManage(actor: Actor) {
  if (!canManageUsers(actor)) throw refuse.forbidden();
}

async function existingUser(db: Queryable, userId: string): Promise<people.User> {
  const user = await people.findUserById(db, userId);
  if (!user) throw refuse.notFound('Account');
  return user;
}


/** Everyone who can sign in, with their roles; searched by name or email. */
export async function listUsers(db: Database, actor: Actor, search: string): Promise<repo.UserSummary[]> {
  mayManage(actor);
  return repo.listUsers(db, { search: search || undefined });
}

/** One account and its roles, for the admin page; whether this admin may deactivate it. */
export async function userForAdmin(db: Database, actor: Actor, userId: string) {
  mayManage(actor);
  const user = await existingUser(db, userId);
  return { user, memberships: await people.membershipsOf(db, userId), canDeactivate: canDeactivate(actor, userId) };
}

export async function addRole(db: Database, actor: Actor, userId: string, organisationId: string, role: Role, ip: string): Promise<void> {
  mayManage(actor);
  await existingUser(db, userId);
  const organisation = await people.findOrganisation(db, organisationId);
  if (!organisation) throw refuse.invalid('organisationId', 'Select an organisation');
  await db.transaction(async (tx) => {
    if (await people.hasMembership(tx, userId, organisationId, role)) throw refuse.invalid('role', 'They already have this role in this organisation');
    await people.addMembership(tx, userId, organisationId, role);
    await recordAudit(tx, { actor, action: 'role_added', recordType: 'user', recordId: userId, ip, details: { organisationId, organisationName: organisation.name, role } });
  });
}

export async function removeRole(db: Database, actor: Actor, userId: string, organisationId: string, role: Role, ip: string): Promise<void> {
  mayManage(actor);
  await existingUser(db, userId);
  await db.transaction(async (tx) => {
    const organisation = await people.findOrganisation(tx, organisationId);
    if (!(await repo.removeMembership(tx, userId, organisationId, role))) throw refuse.invalid('form', 'They do not have that role any more');
    // Checked after the change, inside the transaction, so two admins cannot both remove the last
    // admin: the refusal rolls the change back.
    if (role === 'partnership_admin' && (await repo.countActiveAdmins(tx)) === 0) throw refuse.invalid('form', LAST_ADMIN);
    await recordAudit(tx, { actor, action: 'role_removed', recordType: 'user', recordId: userId, ip, details: { organisationId, organisationName: organisation?.name, role } });
  });
}

/**
 * Deactivated people cannot sign in, their sessions end at once, and their API tokens are revoked,
 * so reactivating the account does not bring them back.
 */
export async function setActive(db: Database, actor: Actor, userId: string, active: boolean, ip: string): Promise<void> {
  mayManage(actor);
  if (!active && !canDeactivate(actor, userId)) throw refuse.invalid('form', 'You cannot deactivate your own account');
  await db.transaction(async (tx) => {
    const user = await existingUser(tx, userId);
    if (user.isActive === active) return;
    await repo.setUserActive(tx, userId, active);
    if (!active) {
      await people.deleteSessionsOfUser(tx, userId);
      if ((await repo.countActiveAdmins(tx)) === 0) throw refuse.invalid('form', LAST_ADMIN);
    }
    await recordAudit(tx, { actor, action: active ? 'reactivated' : 'deactivated', recordType: 'user', recordId: userId, ip, details: { email: user.email } });
    await revokeEveryApiToken(tx, { userId, reason: active ? 'reactivated' : 'deactivated', actor, ip });
  });
}

const ORGANISATIONS_PER_PAGE = 50;

/** Organisations with how many people belong to each, a page at a time. */
export async function organisationsWithMembers(db: Database, actor: Actor, search: string, page: number) {
  mayManage(actor);
  const { rows, total } = await repo.organisationsWithMemberCounts(db, { search: search || undefined, limit: ORGANISATIONS_PER_PAGE, offset: (page - 1) * ORGANISATIONS_PER_PAGE });
  return { rows, total, perPage: ORGANISATIONS_PER_PAGE };
}

/** One organisation and the people in it, each with only the roles they hold there. */
export async function organisationMembers(db: Database, actor: Actor, organisationId: string) {
  mayManage(actor);
  const organisation = await people.findOrganisation(db, organisationId);
  if (!organisation) throw refuse.notFound('Organisation');
  const users = await repo.listUsers(db, { organisationId });
  return { organisation, members: users.map((u) => ({ ...u, roles: u.memberships.filter((m) => m.organisationId === organisationId).map((m) => m.role) })) };
}

/** Creates a user who can sign in, with one role in one organisation (demo data, tests, first admin). */
export async function createUserWithMembership(
  db: Database,
  user: { name: string; email: string; password: string; organisationId: string; role: Role | null },
): Promise<string> {
  const passwordHash = await hashPassword(user.password);
  return db.transaction(async (tx) => {
    const id = await people.insertUser(tx, { name: user.name, email: user.email, passwordHash });
    // An account with no role of its own (someone taking part in a programme) has no membership.
    if (user.role) await people.addMembership(tx, id, user.organisationId, user.role);
    return id;
  });
}

/** When two organisations are merged, their people and roles move to the one that remains. */
export async function transferMemberships(tx: Queryable, fromOrganisationId: string, toOrganisationId: string): Promise<void> {
  await repo.moveMemberships(tx, fromOrganisationId, toOrganisationId);
}

export type Claimed = { kind: 'account_created'; userId: string; sessionToken: string } | { kind: 'role_added_to_existing_account'; userId: string };

/**
 * An organisation claimed by its own contact: the email address it lists in the directory was
 * proven by a link sent to it (a secure referral link), so whoever holds that address becomes an
 * editor of the organisation. A new account is made with their name and password and signed in;
 * an existing account with that address keeps its password and gains the role.
 */
export async function claimOrganisationByVerifiedEmail(
  db: Database,
  claim: { email: string; name: string; password: string; organisationId: string; via: Record<string, unknown> },
  ip: string | null,
): Promise<Claimed> {
  const organisation = await people.findOrganisation(db, claim.organisationId);
  if (!organisation) throw refuse.notFound('Organisation');
  const passwordHash = await hashPassword(claim.password);
  return db.transaction(async (tx): Promise<Claimed> => {
    const details = { organisationId: organisation.id, organisationName: organisation.name, role: 'organisation_editor', verifiedEmail: claim.email, ...claim.via };
    const existing = await people.findUserByEmail(tx, claim.email);
    if (existing) {
      if (!(await people.hasMembership(tx, existing.id, organisation.id, 'organisation_editor'))) await people.addMembership(tx, existing.id, organisation.id, 'organisation_editor');
      await recordAudit(tx, { actor: { userId: existing.id, name: existing.name }, action: 'organisation_claimed', recordType: 'user', recordId: existing.id, ip, details });
      return { kind: 'role_added_to_existing_account', userId: existing.id };
    }
    const userId = await people.insertUser(tx, { name: claim.name, email: claim.email, passwordHash });
    await people.addMembership(tx, userId, organisation.id, 'organisation_editor');
    await recordAudit(tx, { actor: { userId, name: claim.name }, action: 'organisation_claimed', recordType: 'user', recordId: userId, ip, details });
    return { kind: 'account_created', userId, sessionToken: await startSession(tx, userId) };
  });
}

/** For the admin's home page: organisations with services but nobody who can sign in for them. */
export async function organisationsWithoutEditors(db: Database, actor: Actor): Promise<number> {
  return canManageUsers(actor) ? repo.countOrganisationsWithoutEditors(db) : 0;
}
