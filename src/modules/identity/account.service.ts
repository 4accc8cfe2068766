import type { Database } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { recordAudit } from '../../platform/audit.ts';
import * as repo from './identity.repository.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { hashSecret, newSecret } from './tokens.ts';

export const API_TOKEN_PREFIX = 'cg_';

export type Outcome = { ok: true } | { ok: false; field: string; message: string };

/** Changing one's own password needs the current one; every other session of the account ends. */
export async function changePassword(db: Database, actor: Actor, currentPassword: string, newPassword: string, ip: string): Promise<Outcome> {
  const user = await repo.findUserById(db, actor.userId);
  if (!user || !(await verifyPassword(user.password_hash, currentPassword))) {
    return { ok: false, field: 'currentPassword', message: 'Your current password is not correct' };
  }
  if (currentPassword === newPassword) return { ok: false, field: 'newPassword', message: 'Enter a new password that is different from your current one' };
  const passwordHash = await hashPassword(newPassword);
  await db.transaction(async (tx) => {
    await repo.updatePasswordHash(tx, user.id, passwordHash);
    await repo.deleteOtherSessionsOfUser(tx, user.id, actor.sessionId);
    await repo.invalidateResetLinksOf(tx, user.id);
    await recordAudit(tx, { actor, action: 'password_changed', recordType: 'user', recordId: user.id, ip });
  });
  return { ok: true };
}

export const apiTokensOf = (db: Database, actor: Actor) => repo.apiTokensOf(db, actor.userId);

/** Makes a personal API token. Only its hash is kept, so the token itself is shown this once. */
export async function createApiToken(db: Database, actor: Actor, name: string, ip: string): Promise<{ token: string; id: string }> {
  const token = newSecret(API_TOKEN_PREFIX);
  const id = await db.transaction(async (tx) => {
    const tokenId = await repo.insertApiToken(tx, { userId: actor.userId, name, tokenHash: hashSecret(token), hint: token.slice(-4) });
    await recordAudit(tx, { actor, action: 'api_token_created', recordType: 'api_token', recordId: tokenId, ip, details: { name, hint: token.slice(-4) } });
    return tokenId;
  });
  return { token, id };
}

export async function revokeApiToken(db: Database, actor: Actor, tokenId: string, ip: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const revoked = await repo.revokeApiToken(tx, actor.userId, tokenId);
    if (!revoked) return false;
    await recordAudit(tx, { actor, action: 'api_token_revoked', recordType: 'api_token', recordId: tokenId, ip, details: { name: revoked.name, hint: revoked.token_hint } });
    return true;
  });
}
