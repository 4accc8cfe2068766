import type { Database } from '../../../platform/db/database.ts';
import type { Config } from '../../../platform/config.ts';
import type { Mailer } from '../../../platform/mailer.ts';
import type { Actor } from '../../../platform/actor.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { refuse } from '../../../platform/refusal.ts';
import * as people from '../identity.repository.ts';
import { canManageUsers } from '../identity.policy.ts';
import * as links from '../one-time-links/one-time-links.repository.ts';
import { linkUrl, openOneTimeLink, spendOneTimeLink, UnusableLink, type OneTimeLink } from '../one-time-links/one-time-links.service.ts';
import { hashPassword } from '../passwords.ts';
import { hashSecret, newSecret } from '../tokens.ts';
import { startSession } from '../sign-in/sign-in.service.ts';
import { revokeEveryApiToken } from '../account/account.service.ts';

export const RESET_LINK_MINUTES = 60;
/** More requests than this in a link's lifetime are quietly ignored, so nobody can flood an inbox. */
const MAX_RESET_EMAILS_PER_HOUR = 3;

type Deps = { db: Database; mailer: Mailer; config: Pick<Config, 'publicUrl'> };

async function makeResetLink(deps: Deps, user: people.User, actor: Actor | null, ip: string, action: string): Promise<string> {
  const token = newSecret();
  await deps.db.transaction(async (tx) => {
    const id = await links.insertOneTimeLink(tx, {
      purpose: 'password_reset',
      tokenHash: hashSecret(token),
      email: user.email,
      userId: user.id,
      createdBy: actor?.userId ?? null,
      validMinutes: RESET_LINK_MINUTES,
    });
    await recordAudit(tx, { actor, action, recordType: 'user', recordId: user.id, ip, details: { linkId: id } });
  });
  return linkUrl(deps.config.publicUrl, '/reset-password', token);
}

/**
 * Someone says they have forgotten their password. Whatever the answer, the page they see is the
 * same, so it cannot be used to find out who has an account.
 */
export async function requestPasswordReset(deps: Deps, email: string, ip: string): Promise<void> {
  const user = await people.findUserByEmail(deps.db, email);
  if (!user || !user.isActive) return;
  if ((await links.countRecentResetLinks(deps.db, user.id, RESET_LINK_MINUTES)) >= MAX_RESET_EMAILS_PER_HOUR) return;
  const url = await makeResetLink(deps, user, null, ip, 'password_reset_requested');
  // The page looks the same whether or not it went; what was not sent waits in the outbox.
  await deps.mailer.send({
    to: user.email,
    subject: 'Reset your Common Ground password',
    text:
      `Hello ${user.name},\n\nSomeone asked to reset the password for your Common Ground account. ` +
      `To choose a new password, open this link. It works once and expires in 1 hour:\n${url}\n\n` +
      `If it was not you, ignore this email: your password has not changed.\n`,
  });
}

/** For when email is not set up: an admin makes the link and passes it on themselves. */
export async function createResetLinkForUser(deps: Deps, actor: Actor, userId: string, ip: string): Promise<{ url: string; user: people.User }> {
  if (!canManageUsers(actor)) throw refuse.forbidden();
  const user = await people.findUserById(deps.db, userId);
  if (!user) throw refuse.notFound('Account');
  return { url: await makeResetLink(deps, user, actor, ip, 'password_reset_link_created'), user };
}

/** The reset a link opens; throws UnusableLink when it is unknown, spent or expired. */
export const openResetLink = (db: Database, token: string): Promise<OneTimeLink> => openOneTimeLink(db, 'password_reset', token);

/** Sets the new password, ends every other session, API token and reset link, and signs the person in. */
export async function resetPassword(db: Database, token: string, password: string, ip: string): Promise<{ userId: string; sessionToken: string }> {
  const link = await openResetLink(db, token);
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    await spendOneTimeLink(tx, link);
    const user = link.userId ? await people.findUserById(tx, link.userId) : undefined;
    if (!user || !user.isActive) throw new UnusableLink('password_reset', 'unknown');
    await people.updatePasswordHash(tx, user.id, passwordHash);
    await people.deleteSessionsOfUser(tx, user.id);
    await links.invalidateResetLinksOf(tx, user.id);
    const actor = { userId: user.id, name: user.name };
    await recordAudit(tx, { actor, action: 'password_reset', recordType: 'user', recordId: user.id, ip, details: { linkId: link.id } });
    await revokeEveryApiToken(tx, { userId: user.id, reason: 'password_reset', actor, ip });
    return { userId: user.id, sessionToken: await startSession(tx, user.id) };
  });
}
