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

export async function listCaseTeams(db: Queryable, programmeId: string): Promise<{ id: string; team: string }[]> {
  return db.query<{ id: string; team: string }>('select c.id, t.name as team from investment_cases c join teams t on t.id = c.team_id where c.programme_id = $1', [programmeId]);
}

/** A member of the team, with the organisation they joined the programme for. */
export async function findTeamMember(db: Queryable, teamId: string): Promise<{ userId: string; organisationId: string | null } | undefined> {
  const rows = await db.query<{ userId: string; organisationId: string | null }>(
    `select tm.user_id as "userId", coalesce(tm.organisation_id, pm.organisation_id) as "organisationId"
       from team_members tm join teams t on t.id = tm.team_id
       left join programme_members pm on pm.user_id = tm.user_id and pm.programme_id = t.programme_id
      where t.id = $1 order by tm.created_at, tm.id limit 1`,
    [teamId],
  );
  return rows[0];
}

export async function hasIdeas(db: Queryable, programmeId: string): Promise<boolean> {
  return (await db.query('select 1 from ideas where programme_id = $1 limit 1', [programmeId])).length > 0;
}

export async function listParticipants(db: Queryable, programmeId: string, limit: number): Promise<{ userId: string; organisationId: string }[]> {
  return db.query<{ userId: string; organisationId: string }>(
    `select user_id as "userId", organisation_id as "organisationId" from programme_members
      where programme_id = $1 and role = 'participant' and organisation_id is not null order by created_at, id limit $2`,
    [programmeId, limit],
  );
}
