import crypto from 'node:crypto';
import type { Queryable } from '../../../platform/db/database.ts';

/** The demo programme's own look-ups: people and organisations made for it, and whether it is loaded. */

export async function findProgrammeIdByName(db: Queryable, name: string): Promise<string | undefined> {
  return (await db.query<{ id: string }>('select id from programmes where name = $1', [name]))[0]?.id;
}

export async function findUser(db: Queryable, userId: string): Promise<{ name: string; email: string }> {
  return (await db.query<{ name: string; email: string }>('select name, email from users where id = $1', [userId]))[0];
}

export async function findUserIdByEmail(db: Queryable, email: string): Promise<string | undefined> {
  return (await db.query<{ id: string }>('select id from users where lower(email) = lower($1)', [email]))[0]?.id;
}

/** Up to three directory organisations of the kinds that form teams, other than the partnership. */
export async function listTeamOrganisations(db: Queryable, partnershipId: string): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `select id from organisations where merged_into_id is null and id <> $1 and kind in ('gp_practice','charity','local_authority','community_group','social_enterprise','nhs_trust')
      order by name limit 3`,
    [partnershipId],
  );
  return rows.map((r) => r.id);
}

export async function insertDemoOrganisation(db: Queryable, name: string): Promise<string> {
  const id = crypto.randomUUID();
  await db.query("insert into organisations (id, name, kind, description) values ($1, $2, 'community_group', 'A synthetic organisation for the demo programme.')", [id, name]);
  return id;
}
