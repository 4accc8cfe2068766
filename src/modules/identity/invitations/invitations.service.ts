import type { Database, Queryable } from '../../../platform/db/database.ts';
import type { Config } from '../../../platform/config.ts';
import type { Mailer } from '../../../platform/mailer.ts';
import { roleNames, type Actor } from '../../../platform/actor.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { refuse } from '../../../platform/refusal.ts';
import * as people from '../identity.repository.ts';
import { canManageUsers } from '../identity.policy.ts';
import { linkUrl, openOneTimeLink, spendOneTimeLink, type OneTimeLink } from '../one-time-links/one-time-links.service.ts';
import { insertOneTimeLink } from '../one-time-links/one-time-links.repository.ts';
import { hashPassword } from '../passwords.ts';
import { hashSecret, newSecret } from '../tokens.ts';
import { startSession } from '../sign-in/sign-in.service.ts';
import type { InviteInput } from './invitations.schemas.ts';
import * as repo from './invitations.repository.ts';

export const INVITATION_DAYS = 7;

type Deps = { db: Database; mailer: Mailer; config: Pick<Config, 'publicUrl'> };

export type Invited =
  | { kind: 'invited'; url: string; emailed: boolean; organisationName: string }
  | { kind: 'role_added' | 'already_had_role'; userId: string; emailed: boolean; organisationName: string };

/** Whether the mail went: the mailer never throws, and keeps what it could not send in the outbox. */
async function trySend(mailer: Mailer, mail: { to: string; subject: string; text: string }): Promise<boolean> {
  return (await mailer.send(mail)).status === 'sent';
}

/** Invitations not yet accepted, for the users and roles page. */
export async function pendingInvitations(db: Database, actor: Actor): Promise<OneTimeLink[]> {
  if (!canManageUsers(actor)) throw refuse.forbidden();
  return repo.pendingInvitations(db);
}

/**
 * Invites a person to an organisation with a role. Someone who already has an account simply gets
 * the role; anyone else gets a one-time link, valid for a week, to set their name and password.
 */
export async function invite({ db, mailer, config }: Deps, actor: Actor, input: InviteInput, ip: string): Promise<Invited> {
  if (!canManageUsers(actor)) throw refuse.forbidden();
  const organisation = await people.findOrganisation(db, input.organisationId);
  if (!organisation) throw refuse.invalid('organisationId', 'Select an organisation');
  const roleName = roleNames[input.role];

  const existing = await people.findUserByEmail(db, input.email);
  if (existing) {
    const alreadyHad = await db.transaction(async (tx) => {
      if (await people.hasMembership(tx, existing.id, organisation.id, input.role)) return true;
      await people.addMembership(tx, existing.id, organisation.id, input.role);
      await recordAudit(tx, {
        actor,
        action: 'role_added',
        recordType: 'user',
        recordId: existing.id,
        ip,
        details: { organisationId: organisation.id, organisationName: organisation.name, role: input.role, via: 'invitation' },
      });
      return false;
    });
    const emailed = alreadyHad
      ? false
      : await trySend(mailer, {
          to: existing.email,
          subject: `You are now ${roleName.toLowerCase()} for ${organisation.name} on Common Ground`,
          text: `Hello ${existing.name},\n\n${actor.name} has given you the role ${roleName} for ${organisation.name} on Common Ground.\n\nSign in with your existing account: ${config.publicUrl}/sign-in\n`,
        });
    return { kind: alreadyHad ? 'already_had_role' : 'role_added', userId: existing.id, emailed, organisationName: organisation.name };
  }

  const token = newSecret();
  await db.transaction(async (tx) => {
    const id = await insertOneTimeLink(tx, {
      purpose: 'invitation',
      tokenHash: hashSecret(token),
      email: input.email,
      name: input.name,
      organisationId: organisation.id,
      role: input.role,
      createdBy: actor.userId,
      validMinutes: INVITATION_DAYS * 24 * 60,
    });
    await recordAudit(tx, {
      actor,
      action: 'invited',
      recordType: 'invitation',
      recordId: id,
      ip,
      details: { email: input.email, name: input.name, organisationId: organisation.id, organisationName: organisation.name, role: input.role },
    });
  });
  const url = linkUrl(config.publicUrl, '/invitations', token);
  const emailed = await trySend(mailer, {
    to: input.email,
    subject: `You are invited to Common Ground`,
    text:
      `Hello ${input.name},\n\n${actor.name} has invited you to join Common Ground as ${roleName} for ${organisation.name}.\n\n` +
      `To accept, open this link and choose a password. The link works once and expires in ${INVITATION_DAYS} days:\n${url}\n\n` +
      `If you were not expecting this, you can ignore this email.\n`,
  });
  return { kind: 'invited', url, emailed, organisationName: organisation.name };
}

/**
 * An invitation to make an account with no role of its own, for another module that invites people
 * into something it keeps (a programme): the one-time link, valid for a week, taking the person to
 * `returnTo` once they have set their password. The caller decides who may invite, records what the
 * invitation is for, and sends the email (through the platform mailer) with the link.
 */
export async function issueAccountInvitation(
  tx: Queryable,
  actor: Actor,
  input: { email: string; name: string; organisationId: string | null; returnTo: string; publicUrl: string },
  ip: string | undefined,
): Promise<{ url: string; days: number }> {
  const token = newSecret();
  const id = await insertOneTimeLink(tx, {
    purpose: 'invitation',
    tokenHash: hashSecret(token),
    email: input.email,
    name: input.name,
    organisationId: input.organisationId,
    role: null,
    createdBy: actor.userId,
    validMinutes: INVITATION_DAYS * 24 * 60,
    returnTo: input.returnTo,
  });
  await recordAudit(tx, { actor, action: 'invited', recordType: 'invitation', recordId: id, ip, details: { email: input.email, name: input.name, organisationId: input.organisationId, returnTo: input.returnTo } });
  return { url: linkUrl(input.publicUrl, '/invitations', token), days: INVITATION_DAYS };
}

/** The invitation a link opens; throws UnusableLink when it is unknown, spent or expired. */
export const openInvitation = (db: Database, token: string): Promise<OneTimeLink> => openOneTimeLink(db, 'invitation', token);

export type Accepted = { kind: 'account_created'; userId: string; sessionToken: string; returnTo: string | null } | { kind: 'role_added_to_existing_account'; userId: string; returnTo: string | null };

/** Accepting an invitation: the link is spent, the account made with its role, and the person signed in. */
export async function acceptInvitation(db: Database, token: string, form: { name: string; password: string }, ip: string): Promise<Accepted> {
  const link = await openInvitation(db, token);
  // Hashing is deliberately slow: do it before the transaction so the database is not held.
  const passwordHash = await hashPassword(form.password);
  return db.transaction(async (tx): Promise<Accepted> => {
    await spendOneTimeLink(tx, link);
    const details = { invitationId: link.id, organisationId: link.organisationId, organisationName: link.organisationName, role: link.role, invitedBy: link.createdBy };
    const existing = await people.findUserByEmail(tx, link.email);
    if (existing) {
      // An account made since the invitation keeps its own password; it just gains the role.
      if (link.organisationId && link.role) await people.addMembership(tx, existing.id, link.organisationId, link.role);
      await recordAudit(tx, { actor: { userId: existing.id, name: existing.name }, action: 'invitation_accepted', recordType: 'user', recordId: existing.id, ip, details });
      return { kind: 'role_added_to_existing_account', userId: existing.id, returnTo: link.returnTo };
    }
    const userId = await people.insertUser(tx, { name: form.name, email: link.email, passwordHash });
    if (link.organisationId && link.role) await people.addMembership(tx, userId, link.organisationId, link.role);
    await recordAudit(tx, { actor: { userId, name: form.name }, action: 'invitation_accepted', recordType: 'user', recordId: userId, ip, details });
    const sessionToken = await startSession(tx, userId);
    return { kind: 'account_created', userId, sessionToken, returnTo: link.returnTo };
  });
}
