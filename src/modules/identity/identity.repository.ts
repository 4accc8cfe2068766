/** People, their roles and their sessions: the tables every identity feature reads and writes. */
import crypto from 'node:crypto';
import type { Queryable } from '../../platform/db/database.ts';
import type { Membership, Role } from '../../platform/actor.ts';

export type User = { id: string; name: string; email: string; passwordHash: string | null; isActive: boolean; createdAt: Date };

const userColumns = `id, name, email, password_hash as "passwordHash", is_active as "isActive", created_at as "createdAt"`;

export async function findUserByEmail(db: Queryable, email: string): Promise<User | undefined> {
  return (await db.query<User>(`select ${userColumns} from users where lower(email) = lower($1)`, [email]))[0];
}

export async function findUserById(db: Queryable, id: string): Promise<User | undefined> {
  return (await db.query<User>(`select ${userColumns} from users where id = $1`, [id]))[0];
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

export async function hasMembership(db: Queryable, userId: string, organisationId: string, role: Role): Promise<boolean> {
  const rows = await db.query('select 1 from memberships where user_id = $1 and organisation_id = $2 and role = $3', [userId, organisationId, role]);
  return rows.length > 0;
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

export async function deleteSessionsOfUser(db: Queryable, userId: string): Promise<void> {
  await db.query('delete from sessions where user_id = $1', [userId]);
}

export type RevokedApiToken = { id: string; name: string; tokenHint: string };

/** Revokes every live API token of a person; returns those it revoked. */
export async function revokeApiTokensOfUser(db: Queryable, userId: string): Promise<RevokedApiToken[]> {
  return db.query<RevokedApiToken>(
    `update api_tokens set revoked_at = now(), updated_at = now() where user_id = $1 and revoked_at is null
     returning id, name, token_hint as "tokenHint"`,
    [userId],
  );
}

// ——— Organisations (a platform table; read only here) ———

export type OrganisationChoice = { id: string; name: string };

export async function findOrganisation(db: Queryable, id: string): Promise<OrganisationChoice | undefined> {
  return (await db.query<OrganisationChoice>('select id, name from organisations where id = $1 and merged_into_id is null', [id]))[0];
}

