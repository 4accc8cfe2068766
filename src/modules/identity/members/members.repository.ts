import type { Queryable } from '../../../platform/db/database.ts';
import { empty, sql, whereAll } from '../../../platform/db/sql.ts';
import type { Membership, Role } from '../../../platform/actor.ts';

export type UserSummary = { id: string; name: string; email: string; isActive: boolean; createdAt: Date; memberships: Membership[] };

const membershipsJson = `coalesce((
  select json_agg(json_build_object('organisationId', o.id, 'organisationName', o.name, 'role', m.role) order by o.name, m.role)
    from memberships m join organisations o on o.id = m.organisation_id where m.user_id = u.id), '[]'::json)`;

export async function listUsers(db: Queryable, filter: { search?: string; organisationId?: string } = {}): Promise<UserSummary[]> {
  return db.query<UserSummary>(
    `select u.id, u.name, u.email, u.is_active as "isActive", u.created_at as "createdAt", ${membershipsJson} as memberships
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

/** Active accounts holding the partnership admin role, so the last one cannot be removed. */
export async function countActiveAdmins(db: Queryable): Promise<number> {
  const rows = await db.query<{ n: number }>(
    `select count(distinct u.id)::int as n from users u join memberships m on m.user_id = u.id
      where u.is_active and m.role = 'partnership_admin'`,
  );
  return rows[0].n;
}

/** When two organisations are merged, their people and roles move to the one that remains. */
export async function moveMemberships(tx: Queryable, fromOrganisationId: string, toOrganisationId: string): Promise<void> {
  await tx.query(
    `insert into memberships (id, user_id, organisation_id, role)
     select gen_random_uuid(), user_id, $2, role from memberships where organisation_id = $1
     on conflict (user_id, organisation_id, role) do nothing`,
    [fromOrganisationId, toOrganisationId],
  );
  await tx.query('delete from memberships where organisation_id = $1', [fromOrganisationId]);
}

export type OrganisationWithMembers = { id: string; name: string; members: number };

export async function organisationsWithMemberCounts(
  db: Queryable,
  filter: { search?: string; limit: number; offset: number },
): Promise<{ rows: OrganisationWithMembers[]; total: number }> {
  const where = whereAll([sql`o.merged_into_id is null`, filter.search ? sql`o.name ilike ${`%${filter.search}%`}` : empty]);
  const rows = await db.query<OrganisationWithMembers>(
    sql`select o.id, o.name, (select count(distinct m.user_id)::int from memberships m where m.organisation_id = o.id) as members
          from organisations o ${where}
         order by lower(o.name) limit ${filter.limit} offset ${filter.offset}`,
  );
  const total = (await db.query<{ n: number }>(sql`select count(*)::int as n from organisations o ${where}`))[0].n;
  return { rows, total };
}

/** Organisations that list a service people can use but have no active editor: nobody there can sign in. */
export async function countOrganisationsWithoutEditors(db: Queryable): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    `select count(*)::int as n from organisations o
      where o.merged_into_id is null
        and exists (select 1 from services s where s.organisation_id = o.id and s.status in ('active', 'temporarily closed'))
        and not exists (select 1 from memberships m join users u on u.id = m.user_id where m.organisation_id = o.id and m.role = 'organisation_editor' and u.is_active)`,
  );
  return row.n;
}
