import type { AppContext } from '../../platform/http/app.ts';
import { roleNames, type Actor } from '../../platform/actor.ts';
import { recordAudit } from '../../platform/audit.ts';
import * as repo from './identity.repository.ts';
import type { InviteInput } from './identity.schemas.ts';
import { startSession } from './identity.service.ts';
import { checkOneTimeLink, linkUrl, type LinkState } from './one-time-links.ts';
import { hashPassword } from './passwords.ts';
import { hashSecret, newSecret } from './tokens.ts';

export const INVITATION_DAYS = 7;

type Deps = Pick<AppContext, 'db' | 'mailer' | 'config'>;

export type InviteResult =
  | { ok: true; kind: 'invited'; url: string; emailed: boolean; organisationName: string }
  | { ok: true; kind: 'role_added' | 'already_had_role'; userId: string; emailed: boolean; organisationName: string }
  | { ok: false; field: string; message: string };

/** Sends mail without letting a broken mail server undo a change already saved: the page says it was not sent. */
async function trySend(mailer: Deps['mailer'], mail: { to: string; subject: string; text: string }): Promise<boolean> {
  try {
    await mailer.send(mail);
    return mailer.configured;
  } catch {
    return false;
  }
}

/**
 * Invites a person to an organisation with a role. Someone who already has an account simply gets
 * the role; anyone else gets a one-time link, valid for a week, to set their name and password.
 */
export async function invite({ db, mailer, config }: Deps, actor: Actor, input: InviteInput, ip: string): Promise<InviteResult> {
  const organisation = await repo.findOrganisation(db, input.organisationId);
  if (!organisation) return { ok: false, field: 'organisationId', message: 'Select an organisation' };
  const roleName = roleNames[input.role];

  const existing = await repo.findUserByEmail(db, input.email);
  if (existing) {
    const alreadyHad = await db.transaction(async (tx) => {
      if (await repo.hasMembership(tx, existing.id, organisation.id, input.role)) return true;
      await repo.addMembership(tx, existing.id, organisation.id, input.role);
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
    return { ok: true, kind: alreadyHad ? 'already_had_role' : 'role_added', userId: existing.id, emailed, organisationName: organisation.name };
  }

  const token = newSecret();
  await db.transaction(async (tx) => {
    const id = await repo.insertOneTimeLink(tx, {
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
  return { ok: true, kind: 'invited', url, emailed, organisationName: organisation.name };
}

export const checkInvitation = (db: Deps['db'], token: string): Promise<LinkState> => checkOneTimeLink(db, 'invitation', token);

export type AcceptResult =
  | { ok: true; kind: 'account_created'; userId: string; sessionToken: string }
  | { ok: true; kind: 'role_added_to_existing_account'; userId: string }
  | { ok: false; state: 'unknown' | 'used' | 'expired' };

/** Accepting an invitation: the link is spent, the account made with its role, and the person signed in. */
export async function acceptInvitation(db: Deps['db'], token: string, form: { name: string; password: string }, ip: string): Promise<AcceptResult> {
  const checked = await checkInvitation(db, token);
  if (checked.state !== 'valid') return { ok: false, state: checked.state };
  const link = checked.link;
  // Hashing is deliberately slow: do it before the transaction so the database is not held.
  const passwordHash = await hashPassword(form.password);
  return db.transaction(async (tx): Promise<AcceptResult> => {
    if (!(await repo.consumeOneTimeLink(tx, link.id))) return { ok: false, state: 'used' };
    const details = { invitationId: link.id, organisationId: link.organisation_id, organisationName: link.organisation_name, role: link.role, invitedBy: link.created_by };
    const existing = await repo.findUserByEmail(tx, link.email);
    if (existing) {
      // An account made since the invitation keeps its own password; it just gains the role.
      if (link.organisation_id && link.role) await repo.addMembership(tx, existing.id, link.organisation_id, link.role);
      await recordAudit(tx, { actor: { userId: existing.id, name: existing.name }, action: 'invitation_accepted', recordType: 'user', recordId: existing.id, ip, details });
      return { ok: true, kind: 'role_added_to_existing_account', userId: existing.id };
    }
    const userId = await repo.insertUser(tx, { name: form.name, email: link.email, passwordHash });
    if (link.organisation_id && link.role) await repo.addMembership(tx, userId, link.organisation_id, link.role);
    await recordAudit(tx, { actor: { userId, name: form.name }, action: 'invitation_accepted', recordType: 'user', recordId: userId, ip, details });
    const sessionToken = await startSession(tx, userId);
    return { ok: true, kind: 'account_created', userId, sessionToken };
  });
}
