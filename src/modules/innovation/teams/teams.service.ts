import { recordAudit } from '../../../platform/audit.ts';
import type { Database } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/actor.ts';
import { forbidden, notFound } from '../../../platform/http/errors.ts';
import { refuse } from '../innovation.errors.ts';
import { canActForTeam, type ProgrammeAccess } from '../innovation.policy.ts';
import { getIdea } from '../ideas/ideas.repository.ts';
import { listMembers, type ProgrammeRow } from '../programmes/programmes.repository.ts';
import { requireManager, requireStage } from '../programmes/programmes.service.ts';
import * as repo from './teams.repository.ts';

/** Teams with their members (and the organisations they come from). */
export async function teamsWithMembers(db: Database, programmeId: string) {
  const [teams, members] = await Promise.all([repo.listTeams(db, programmeId), repo.listTeamMembers(db, programmeId)]);
  return teams.map((t) => {
    const own = members.filter((m) => m.team_id === t.id);
    return { ...t, members: own, organisations: [...new Set(own.map((m) => m.organisation_name).filter(Boolean))] as string[] };
  });
}

export async function loadTeam(db: Database, programmeId: string, teamId: string) {
  const team = (await teamsWithMembers(db, programmeId)).find((t) => t.id === teamId);
  if (!team) throw notFound('Team');
  return team;
}

/** A shortlisted idea becomes a team with members from one or more organisations. */
export async function formTeam(db: Database, actor: Actor, access: ProgrammeAccess, programme: ProgrammeRow, ideaId: string, input: { name: string; memberIds: string[] }, ip?: string): Promise<string> {
  requireManager(access);
  requireStage(programme, 'form_team', 'name');
  const members = await listMembers(db, programme.id);
  const chosen = input.memberIds.map((id) => members.find((m) => m.user_id === id));
  if (chosen.some((m) => !m)) throw refuse('memberIds', 'Choose members from the people taking part in the programme');
  return db.transaction(async (tx) => {
    const idea = await getIdea(tx, programme.id, ideaId, { lock: true });
    if (!idea) throw notFound('Idea');
    if (idea.status !== 'shortlisted') throw refuse('name', 'Only a shortlisted idea can become a team. Shortlist the idea first.', 409);
    if (idea.team_id) throw refuse('name', `This idea already has a team: ${idea.team_name}`, 409);
    const teamId = await repo.insertTeam(tx, programme.id, ideaId, input.name);
    for (const m of chosen) await repo.addTeamMember(tx, teamId, m!.user_id, m!.organisation_id);
    await recordAudit(tx, { actor, action: 'created', recordType: 'team', recordId: teamId, ip, details: { programme_id: programme.id, idea_id: ideaId, name: input.name, members: input.memberIds } });
    return teamId;
  });
}

export async function joinTeam(db: Database, actor: Actor, access: ProgrammeAccess, programme: ProgrammeRow, teamId: string, userId: string, ip?: string): Promise<void> {
  if (!canActForTeam(access, teamId)) throw forbidden('Only the team’s members and the programme’s managers can change the team.');
  if (programme.stage === 'closed') throw refuse('userId', 'The programme has closed', 409);
  await loadTeam(db, programme.id, teamId);
  const member = (await listMembers(db, programme.id)).find((m) => m.user_id === userId);
  if (!member) throw refuse('userId', 'Choose someone taking part in the programme');
  await db.transaction(async (tx) => {
    await repo.addTeamMember(tx, teamId, userId, member.organisation_id);
    await recordAudit(tx, { actor, action: 'member_added', recordType: 'team', recordId: teamId, ip, details: { user_id: userId, organisation_id: member.organisation_id } });
  });
}

export async function leaveTeam(db: Database, actor: Actor, access: ProgrammeAccess, programme: ProgrammeRow, teamId: string, userId: string, ip?: string): Promise<void> {
  if (!canActForTeam(access, teamId)) throw forbidden('Only the team’s members and the programme’s managers can change the team.');
  const team = await loadTeam(db, programme.id, teamId);
  if (team.members.length === 1 && team.members[0].user_id === userId) throw refuse('userId', 'A team needs at least one member', 409);
  await db.transaction(async (tx) => {
    await repo.removeTeamMember(tx, teamId, userId);
    await recordAudit(tx, { actor, action: 'member_removed', recordType: 'team', recordId: teamId, ip, details: { user_id: userId } });
  });
}
