import crypto from 'node:crypto';
import type { Queryable } from '../../platform/db/database.ts';
import type { Membership, Role } from '../../platform/http/actor.ts';

export type UserRow = { id: string; name: string; email: string; password_hash: string | null; is_active: boolean; created_at: Date };

export async function findUserByEmail(db: Queryable, email: string): Promise<UserRow | undefined> {
  return (await db.query<UserRow>('select * from users where lower(email) = lower($1)', [email]))[0];
}

export async function findUserById(db: Queryable, id: string): Promise<UserRow | undefined> {
  return (await db.query<UserRow>('select * from users where id = $1', [id]))[0];
}

export async function insertUser(db: Queryable, user: { name: string; email: string; passwordHash: string | null }): Promise<string> {
  const id = crypto.randomUUID();
  await db.query('insert into users (id, name, email, password_hash) values ($1, $2, $3, $4)', [id, user.name, user.email, user.passwordHash]);
  return id;
}

export async function updatePasswordHash(db: Queryable, userId: string, passwordHash: string): Promise<void> {
  await db.query('update users set password_hash = $2, updated_at = now() where id = $1', [userId, passwordHash]);
}

export async function addMembership(db: Queryable, userId: string, organisationId: string, role: Role): Promise<void> {
  await db.query(
    `insert into memberships (id, user_id, organisation_id, role) values ($1, $2, $3, $4)
     on conflict (user_id, organisation_id, role) do nothing`,
    [crypto.randomUUID(), userId, organisationId, role],
  );
}

export async function membershipsOf(db: Queryable, userId: string): Promise<Membership[]> {
  return db.query<Membership>(
    `select m.organisation_id as "organisationId", o.name as "organisationName", m.role
       from memberships m join organisations o on o.id = m.organisation_id
      where m.user_id = $1 order by o.name, m.role`,
    [userId],
  );
}

export async function insertSession(db: Queryable, userId: string, tokenHash: string, expiresAt: Date): Promise<string> {
  const id = crypto.randomUUID();
  await db.query('insert into sessions (id, token_hash, user_id, expires_at) values ($1, $2, $3, $4)', [id, tokenHash, userId, expiresAt]);
  return id;
}

export async function findLiveSession(db: Queryable, tokenHash: string): Promise<{ id: string; user_id: string } | undefined> {
  return (
    await db.query<{ id: string; user_id: string }>(
      `select s.id, s.user_id from sessions s join users u on u.id = s.user_id
        where s.token_hash = $1 and s.expires_at > now() and u.is_active`,
      [tokenHash],
    )
  )[0];
}

export async function deleteSession(db: Queryable, id: string): Promise<void> {
  await db.query('delete from sessions where id = $1', [id]);
}

export async function deleteSessionsOfUser(db: Queryable, userId: string): Promise<void> {
  await db.query('delete from sessions where user_id = $1', [userId]);
}

export async function findLiveApiToken(db: Queryable, tokenHash: string): Promise<{ id: string; user_id: string } | undefined> {
  return (
    await db.query<{ id: string; user_id: string }>(
      `select t.id, t.user_id from api_tokens t join users u on u.id = t.user_id
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

/** When the most recent failures began, for the account and for the address, within the window. */
export async function recentFailures(
  db: Queryable,
  email: string,
  ip: string,
  windowMinutes: number,
): Promise<{ byEmail: number; byIp: number; emailOldest: Date | null; ipOldest: Date | null }> {
  const rows = await db.query<{ by_email: number; by_ip: number; email_oldest: Date | null; ip_oldest: Date | null }>(
    `select
       count(*) filter (where email = lower($1))::int as by_email,
       count(*) filter (where ip = $2)::int as by_ip,
       min(created_at) filter (where email = lower($1)) as email_oldest,
       min(created_at) filter (where ip = $2) as ip_oldest
     from sign_in_failures
     where (email = lower($1) or ip = $2) and created_at > now() - make_interval(mins => $3::int)`,
    [email, ip, windowMinutes],
  );
  const r = rows[0];
  return { byEmail: r.by_email, byIp: r.by_ip, emailOldest: r.email_oldest, ipOldest: r.ip_oldest };
}

export async function clearSignInFailures(db: Queryable, email: string): Promise<void> {
  await db.query('delete from sign_in_failures where email = lower($1)', [email]);
}
