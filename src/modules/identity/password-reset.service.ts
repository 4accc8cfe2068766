import type { AppContext } from '../../platform/http/app.ts';
import type { Actor } from '../../platform/actor.ts';
import { recordAudit } from '../../platform/audit.ts';
import * as repo from './identity.repository.ts';
import { startSession } from './identity.service.ts';
import { checkOneTimeLink, linkUrl, type LinkState } from './one-time-links.ts';
import { hashPassword } from './passwords.ts';
import { hashSecret, newSecret } from './tokens.ts';

export const RESET_LINK_MINUTES = 60;
/** More requests than this in a link's lifetime are quietly ignored, so nobody can flood an inbox. */
export const MAX_RESET_EMAILS_PER_HOUR = 3;

type Deps = Pick<AppContext, 'db' | 'mailer' | 'config'>;

async function makeResetLink(deps: Deps, user: repo.UserRow, actor: Actor | null, ip: string, action: string): Promise<string> {
  const token = newSecret();
  await deps.db.transaction(async (tx) => {
    const id = await repo.insertOneTimeLink(tx, {
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
  const user = await repo.findUserByEmail(deps.db, email);
  if (!user || !user.is_active) return;
  if ((await repo.countRecentResetLinks(deps.db, user.id, RESET_LINK_MINUTES)) >= MAX_RESET_EMAILS_PER_HOUR) return;
  const url = await makeResetLink(deps, user, null, ip, 'password_reset_requested');
  try {
    await deps.mailer.send({
      to: user.email,
      subject: 'Reset your Common Ground password',
      text:
        `Hello ${user.name},\n\nSomeone asked to reset the password for your Common Ground account. ` +
        `To choose a new password, open this link. It works once and expires in 1 hour:\n${url}\n\n` +
        `If it was not you, ignore this email: your password has not changed.\n`,
    });
  } catch {
    // The page must look the same either way; the link stays recorded for an admin to follow up.
  }
}

/** For when email is not set up: an admin makes the link and passes it on themselves. */
export async function createResetLinkForUser(deps: Deps, actor: Actor, userId: string, ip: string): Promise<{ url: string; user: repo.UserRow } | undefined> {
  const user = await repo.findUserById(deps.db, userId);
  if (!user) return undefined;
  return { url: await makeResetLink(deps, user, actor, ip, 'password_reset_link_created'), user };
}

export const checkResetLink = (db: Deps['db'], token: string): Promise<LinkState> => checkOneTimeLink(db, 'password_reset', token);

export type ResetResult = { ok: true; userId: string; sessionToken: string } | { ok: false; state: 'unknown' | 'used' | 'expired' };

/** Sets the new password, ends every other session and every other reset link, and signs the person in. */
export async function resetPassword(db: Deps['db'], token: string, password: string, ip: string): Promise<ResetResult> {
  const checked = await checkResetLink(db, token);
  if (checked.state !== 'valid') return { ok: false, state: checked.state };
  const link = checked.link;
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx): Promise<ResetResult> => {
    if (!(await repo.consumeOneTimeLink(tx, link.id))) return { ok: false, state: 'used' };
    const user = link.user_id ? await repo.findUserById(tx, link.user_id) : undefined;
    if (!user || !user.is_active) return { ok: false, state: 'unknown' };
    await repo.updatePasswordHash(tx, user.id, passwordHash);
    await repo.deleteSessionsOfUser(tx, user.id);
    await repo.invalidateResetLinksOf(tx, user.id);
    await recordAudit(tx, { actor: { userId: user.id, name: user.name }, action: 'password_reset', recordType: 'user', recordId: user.id, ip, details: { linkId: link.id } });
    return { ok: true, userId: user.id, sessionToken: await startSession(tx, user.id) };
  });
}
