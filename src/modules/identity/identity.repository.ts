import crypto from 'node:crypto';
import type { Queryable } from '../../platform/db/database.ts';
import type { Membership, Role } from '../../platform/actor.ts';

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

// ——— People and their roles (admin pages) ———

export type UserSummary = { id: string; name: string; email: string; is_active: boolean; created_at: Date; memberships: Membership[] };

const membershipsJson = `coalesce((
  select json_agg(json_build_object('organisationId', o.id, 'organisationName', o.name, 'role', m.role) order by o.name, m.role)
    from memberships m join organisations o on o.id = m.organisation_id where m.user_id = u.id), '[]'::json)`;

export async function listUsers(db: Queryable, filter: { search?: string; organisationId?: string } = {}): Promise<UserSummary[]> {
  return db.query<UserSummary>(
    `select u.id, u.name, u.email, u.is_active, u.created_at, ${membershipsJson} as memberships
       from users u
      where ($1::text is null or u.name ilike '%' || $1 || '%' or u.email ilike '%' || $1 || '%')
        and ($2::uuid is null or exists (select 1 from memberships m where m.user_id = u.id and m.organisation_id = $2))
      order by lower(u.name), u.email`,
    [filter.search ?? null, filter.organisationId ?? null],
  );
}

export async function setUserActive(db: Queryable, userId: string, active: boolean): Promise<void> {
  await db.query('update users set is_active = $2, updated_at = now() where id = $1', [userId, active]);
}

export async function removeMembership(db: Queryable, userId: string, organisationId: string, role: Role): Promise<boolean> {
  const rows = await db.query('delete from memberships where user_id = $1 and organisation_id = $2 and role = $3 returning id', [userId, organisationId, role]);
  return rows.length > 0;
}

export async function hasMembership(db: Queryable, userId: string, organisationId: string, role: Role): Promise<boolean> {
  const rows = await db.query('select 1 from memberships where user_id = $1 and organisation_id = $2 and role = $3', [userId, organisationId, role]);
  return rows.length > 0;
}

/** Active accounts holding the partnership admin role, so the last one cannot be removed. */
export async function countActiveAdmins(db: Queryable): Promise<number> {
  const rows = await db.query<{ n: number }>(
    `select count(distinct u.id)::int as n from users u join memberships m on m.user_id = u.id
      where u.is_active and m.role = 'partnership_admin'`,
  );
  return rows[0].n;
}

export async function deleteOtherSessionsOfUser(db: Queryable, userId: string, keepSessionId: string | undefined): Promise<void> {
  await db.query('delete from sessions where user_id = $1 and ($2::uuid is null or id <> $2)', [userId, keepSessionId ?? null]);
}

// ——— Organisations (a platform table; read only here) ———

export type OrganisationChoice = { id: string; name: string };

export async function organisationChoices(db: Queryable): Promise<OrganisationChoice[]> {
  return db.query<OrganisationChoice>('select id, name from organisations where merged_into_id is null order by lower(name)');
}

export async function findOrganisation(db: Queryable, id: string): Promise<OrganisationChoice | undefined> {
  return (await db.query<OrganisationChoice>('select id, name from organisations where id = $1 and merged_into_id is null', [id]))[0];
}

export type OrganisationWithMembers = { id: string; name: string; members: number };

export async function organisationsWithMemberCounts(
  db: Queryable,
  filter: { search?: string; limit: number; offset: number },
): Promise<{ rows: OrganisationWithMembers[]; total: number }> {
  const params = [filter.search ?? null];
  const where = `o.merged_into_id is null and ($1::text is null or o.name ilike '%' || $1 || '%')`;
  const rows = await db.query<OrganisationWithMembers>(
    `select o.id, o.name, (select count(distinct m.user_id)::int from memberships m where m.organisation_id = o.id) as members
       from organisations o where ${where}
      order by lower(o.name) limit $2 offset $3`,
    [...params, filter.limit, filter.offset],
  );
  const total = (await db.query<{ n: number }>(`select count(*)::int as n from organisations o where ${where}`, params))[0].n;
  return { rows, total };
}

// ——— One-time links: invitations and password resets ———

export type OneTimeLinkRow = {
  id: string;
  purpose: 'invitation' | 'password_reset';
  email: string;
  name: string | null;
  organisation_id: string | null;
  organisation_name: string | null;
  role: Role | null;
  user_id: string | null;
  created_by: string | null;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
  expired: boolean;
};

export async function insertOneTimeLink(
  db: Queryable,
  link: { purpose: 'invitation' | 'password_reset'; tokenHash: string; email: string; name?: string | null; organisationId?: string | null; role?: Role | null; userId?: string | null; createdBy?: string | null; validMinutes: number },
): Promise<string> {
  const id = crypto.randomUUID();
  await db.query(
    `insert into one_time_links (id, purpose, token_hash, email, name, organisation_id, role, user_id, created_by, expires_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, now() + make_interval(mins => $10::int))`,
    [id, link.purpose, link.tokenHash, link.email, link.name ?? null, link.organisationId ?? null, link.role ?? null, link.userId ?? null, link.createdBy ?? null, link.validMinutes],
  );
  return id;
}

const linkColumns = `l.id, l.purpose, l.email, l.name, l.organisation_id, o.name as organisation_name, l.role, l.user_id, l.created_by,
  l.created_at, l.expires_at, l.used_at, l.expires_at <= now() as expired`;

export async function findOneTimeLink(db: Queryable, purpose: OneTimeLinkRow['purpose'], tokenHash: string): Promise<OneTimeLinkRow | undefined> {
  return (
    await db.query<OneTimeLinkRow>(
      `select ${linkColumns} from one_time_links l left join organisations o on o.id = l.organisation_id
        where l.purpose = $1 and l.token_hash = $2`,
      [purpose, tokenHash],
    )
  )[0];
}

/** Marks a link used if it still can be: the one step that makes each link single-use under races. */
export async function consumeOneTimeLink(db: Queryable, id: string): Promise<boolean> {
  const rows = await db.query('update one_time_links set used_at = now(), updated_at = now() where id = $1 and used_at is null and expires_at > now() returning id', [id]);
  return rows.length > 0;
}

export async function invalidateResetLinksOf(db: Queryable, userId: string): Promise<void> {
  await db.query(`update one_time_links set used_at = now(), updated_at = now() where purpose = 'password_reset' and user_id = $1 and used_at is null`, [userId]);
}

export async function countRecentResetLinks(db: Queryable, userId: string, minutes: number): Promise<number> {
  const rows = await db.query<{ n: number }>(
    `select count(*)::int as n from one_time_links where purpose = 'password_reset' and user_id = $1 and created_at > now() - make_interval(mins => $2::int)`,
    [userId, minutes],
  );
  return rows[0].n;
}

export async function pendingInvitations(db: Queryable): Promise<OneTimeLinkRow[]> {
  return db.query<OneTimeLinkRow>(
    `select ${linkColumns} from one_time_links l left join organisations o on o.id = l.organisation_id
      where l.purpose = 'invitation' and l.used_at is null and l.expires_at > now()
        and not exists (select 1 from users u where lower(u.email) = lower(l.email))
      order by l.created_at desc`,
  );
}

// ——— Personal API tokens ———

export type ApiTokenRow = { id: string; name: string; token_hint: string; created_at: Date; last_used_at: Date | null; revoked_at: Date | null };

export async function insertApiToken(db: Queryable, token: { userId: string; name: string; tokenHash: string; hint: string }): Promise<string> {
  const id = crypto.randomUUID();
  await db.query('insert into api_tokens (id, user_id, name, token_hash, token_hint) values ($1, $2, $3, $4, $5)', [id, token.userId, token.name, token.tokenHash, token.hint]);
  return id;
}

export async function apiTokensOf(db: Queryable, userId: string): Promise<ApiTokenRow[]> {
  return db.query<ApiTokenRow>(
    'select id, name, token_hint, created_at, last_used_at, revoked_at from api_tokens where user_id = $1 and revoked_at is null order by created_at desc',
    [userId],
  );
}

export async function revokeApiToken(db: Queryable, userId: string, tokenId: string): Promise<ApiTokenRow | undefined> {
  return (
    await db.query<ApiTokenRow>(
      `update api_tokens set revoked_at = now(), updated_at = now() where id = $1 and user_id = $2 and revoked_at is null
       returning id, name, token_hint, created_at, last_used_at, revoked_at`,
      [tokenId, userId],
    )
  )[0];
}
