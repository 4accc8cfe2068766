import type { Database, Queryable } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/actor.ts';
import { recordAudit, type AuditEntry } from '../../../platform/audit.ts';
import { refuse } from '../../../platform/refusal.ts';
import * as people from '../identity.repository.ts';
import { canManageOwnAccount } from '../identity.policy.ts';
import { invalidateResetLinksOf } from '../one-time-links/one-time-links.repository.ts';
import { hashPassword, verifyPassword } from '../passwords.ts';
import { hashSecret, newSecret } from '../tokens.ts';
import * as repo from './account.repository.ts';

const API_TOKEN_PREFIX = 'cg_';

function mayManage(actor: Actor) {
  if (!canManageOwnAccount(actor)) throw refuse.forbidden('Your account is managed through a browser session, not an API token.');
}

/** Changing one's own password needs the current one; every other session of the account ends. */
export async function changePassword(db: Database, actor: Actor, currentPassword: string, newPassword: string, ip: string): Promise<void> {
  mayManage(actor);
  const user = await people.findUserById(db, actor.userId);
  if (!user || !(await verifyPassword(user.passwordHash, currentPassword))) throw refuse.invalid('currentPassword', 'Your current password is not correct');
  if (currentPassword === newPassword) throw refuse.invalid('newPassword', 'Enter a new password that is different from your current one');
  const passwordHash = await hashPassword(newPassword);
  await db.transaction(async (tx) => {
    await people.updatePasswordHash(tx, user.id, passwordHash);
    await repo.deleteOtherSessionsOfUser(tx, user.id, actor.sessionId);
    await invalidateResetLinksOf(tx, user.id);
    await recordAudit(tx, { actor, action: 'password_changed', recordType: 'user', recordId: user.id, ip });
    await revokeEveryApiToken(tx, { userId: user.id, reason: 'password_changed', actor, ip });
  });
}

/** Why every API token of an account was revoked at once, as the audit log records it. */
type RevokedBecause = 'password_changed' | 'password_reset' | 'deactivated' | 'reactivated';

/**
 * Ends every API token of an account whose password has changed or been reset, or which has been
 * deactivated (or reactivated: a token left from before tokens were revoked on deactivation must
 * not come back). Each token revoked is audited with the reason. Called in the change's transaction.
 */
export async function revokeEveryApiToken(tx: Queryable, change: { userId: string; reason: RevokedBecause; actor: AuditEntry['actor']; ip: string }): Promise<void> {
  for (const token of await people.revokeApiTokensOfUser(tx, change.userId)) {
    await recordAudit(tx, {
      actor: change.actor,
      action: 'api_token_revoked',
      recordType: 'api_token',
      recordId: token.id,
      ip: change.ip,
      details: { name: token.name, hint: token.tokenHint, userId: change.userId, reason: change.reason },
    });
  }
}

export async function apiTokensOf(db: Database, actor: Actor): Promise<repo.ApiToken[]> {
  mayManage(actor);
  return repo.apiTokensOf(db, actor.userId);
}

/** Makes a personal API token. Only its hash is kept, so the token itself is shown this once. */
export async function createApiToken(db: Database, actor: Actor, name: string, ip: string): Promise<{ token: string; id: string }> {
  mayManage(actor);
  const token = newSecret(API_TOKEN_PREFIX);
  const id = await db.transaction(async (tx) => {
    const tokenId = await repo.insertApiToken(tx, { userId: actor.userId, name, tokenHash: hashSecret(token), hint: token.slice(-4) });
    await recordAudit(tx, { actor, action: 'api_token_created', recordType: 'api_token', recordId: tokenId, ip, details: { name, hint: token.slice(-4) } });
    return tokenId;
  });
  return { token, id };
}

/** Revokes one of the actor's own tokens; anyone else's (or one already revoked) is not found. */
export async function revokeApiToken(db: Database, actor: Actor, tokenId: string, ip: string): Promise<void> {
  mayManage(actor);
  await db.transaction(async (tx) => {
    const revoked = await repo.revokeApiToken(tx, actor.userId, tokenId);
    if (!revoked) throw refuse.notFound('API token');
    await recordAudit(tx, { actor, action: 'api_token_revoked', recordType: 'api_token', recordId: tokenId, ip, details: { name: revoked.name, hint: revoked.tokenHint } });
  });
}
