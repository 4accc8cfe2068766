import crypto from 'node:crypto';
import type { Queryable } from '../../../platform/db/database.ts';

export type Credential = { id: string; userId: string };

export async function findLiveSession(db: Queryable, tokenHash: string): Promise<Credential | undefined> {
  return (
    await db.query<Credential>(
      `select s.id, s.user_id as "userId" from sessions s join users u on u.id = s.user_id
        where s.token_hash = $1 and s.expires_at > now() and u.is_active`,
      [tokenHash],
    )
  )[0];
}

export async function deleteSession(db: Queryable, id: string): Promise<void> {
  await db.query('delete from sessions where id = $1', [id]);
}

export async function findLiveApiToken(db: Queryable, tokenHash: string): Promise<Credential | undefined> {
  return (
    await db.query<Credential>(
      `select t.id, t.user_id as "userId" from api_tokens t join users u on u.id = t.user_id
        where t.token_hash = $1 and t.revoked_at is null and u.is_active`,
      [tokenHash],
    )
  )[0];
}

export async function touchApiToken(db: Queryable, id: string): Promise<void> {
  await db.query(`update api_tokens set last_used_at = now() where id = $1 and (last_used_at is null or last_used_at < now() - interval '1 minute')`, [id]);
}

export async function recordSignInFailure(db: Queryable, email: string, ip: string): Promise<void> {
  await db.query('insert into sign_in_failures (id, email, ip) values ($1, $2, $3)', [crypto.randomUUID(), email.toLowerCase(), ip]);
}

export type RecentFailures = { byEmail: number; byIp: number; emailOldest: Date | null; ipOldest: Date | null };

/** How many failures there were, and when the oldest began, for the account and for the address, within the window. */
export async function recentFailures(db: Queryable, email: string, ip: string, windowMinutes: number): Promise<RecentFailures> {
  const rows = await db.query<RecentFailures>(
    `select
       count(*) filter (where email = lower($1))::int as "byEmail",
       count(*) filter (where ip = $2)::int as "byIp",
       min(created_at) filter (where email = lower($1)) as "emailOldest",
       min(created_at) filter (where ip = $2) as "ipOldest"
     from sign_in_failures
     where (email = lower($1) or ip = $2) and created_at > now() - make_interval(mins => $3::int)`,
    [email, ip, windowMinutes],
  );
  return rows[0];
}

export async function clearSignInFailures(db: Queryable, email: string): Promise<void> {
  await db.query('delete from sign_in_failures where email = lower($1)', [email]);
}
