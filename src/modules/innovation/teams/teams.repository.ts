import crypto from 'node:crypto';
import type { Queryable } from '../../../platform/db/database.ts';

export type Team = { id: string; programmeId: string; ideaId: string; name: string; ideaTitle: string; createdAt: Date };
export type TeamMember = { teamId: string; userId: string; name: string; organisationId: string | null; organisationName: string | null };

const teamSql = `select t.id, t.programme_id as "programmeId", t.idea_id as "ideaId", t.name, i.title as "ideaTitle", t.created_at as "createdAt"
  from teams t join ideas i on i.id = t.idea_id`;

export async function insertTeam(db: Queryable, programmeId: string, ideaId: string, name: string): Promise<string> {
  const id = crypto.randomUUID();
  await db.query('insert into teams (id, programme_id, idea_id, name) values ($1, $2, $3, $4)', [id, programmeId, ideaId, name]);
  return id;
}

export async function addTeamMember(db: Queryable, teamId: string, userId: string, organisationId: string | null): Promise<void> {
  await db.query('insert into team_members (id, team_id, user_id, organisation_id) values ($1, $2, $3, $4) on conflict (team_id, user_id) do nothing', [crypto.randomUUID(), teamId, userId, organisationId]);
}

export async function removeTeamMember(db: Queryable, teamId: string, userId: string): Promise<void> {
  await db.query('delete from team_members where team_id = $1 and user_id = $2', [teamId, userId]);
}

export async function listTeams(db: Queryable, programmeId: string): Promise<Team[]> {
  return db.query<Team>(`${teamSql} where t.programme_id = $1 order by t.name`, [programmeId]);
}

export async function getTeam(db: Queryable, programmeId: string, teamId: string): Promise<Team | undefined> {
  return (await db.query<Team>(`${teamSql} where t.programme_id = $1 and t.id = $2`, [programmeId, teamId]))[0];
}

export async function listTeamMembers(db: Queryable, programmeId: string): Promise<TeamMember[]> {
  return db.query<TeamMember>(
    `select tm.team_id as "teamId", tm.user_id as "userId", u.name, tm.organisation_id as "organisationId", o.name as "organisationName"
       from team_members tm join teams t on t.id = tm.team_id join users u on u.id = tm.user_id left join organisations o on o.id = tm.organisation_id
      where t.programme_id = $1 order by u.name`,
    [programmeId],
  );
}
