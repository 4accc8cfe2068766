import crypto from 'node:crypto';
import type { Queryable } from '../../../platform/db/database.ts';

export type ApiToken = { id: string; name: string; tokenHint: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null };

const tokenColumns = `id, name, token_hint as "tokenHint", created_at as "createdAt", last_used_at as "lastUsedAt", revoked_at as "revokedAt"`;

export async function insertApiToken(db: Queryable, token: { userId: string; name: string; tokenHash: string; hint: string }): Promise<string> {
  const id = crypto.randomUUID();
  await db.query('insert into api_tokens (id, user_id, name, token_hash, token_hint) values ($1, $2, $3, $4, $5)', [id, token.userId, token.name, token.tokenHash, token.hint]);
  return id;
}

export async function apiTokensOf(db: Queryable, userId: string): Promise<ApiToken[]> {
  return db.query<ApiToken>(`select ${tokenColumns} from api_tokens where user_id = $1 and revoked_at is null order by created_at desc`, [userId]);
}

export async function revokeApiToken(db: Queryable, userId: string, tokenId: string): Promise<ApiToken | undefined> {
  return (
    await db.query<ApiToken>(
      `update api_tokens set revoked_at = now(), updated_at = now() where id = $1 and user_id = $2 and revoked_at is null
       returning ${tokenColumns}`,
      [tokenId, userId],
    )
  )[0];
}

export async function deleteOtherSessionsOfUser(db: Queryable, userId: string, keepSessionId: string | undefined): Promise<void> {
  await db.query('delete from sessions where user_id = $1 and ($2::uuid is null or id <> $2)', [userId, keepSessionId ?? null]);
}
