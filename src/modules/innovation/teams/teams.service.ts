import { recordAudit } from '../../../platform/audit.ts';
import type { Database } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/actor.ts';
import { refuse } from '../../../platform/refusal.ts';
import { canActForTeam, type ProgrammeAccess } from '../innovation.policy.ts';
import { getIdea } from '../ideas/ideas.repository.ts';
import { listMembers, type Programme } from '../programmes/programmes.repository.ts';
import { requireManager, requireStage, type ProgrammeContext } from '../programmes/programmes.service.ts';
import { listNeeds } from '../needs-offers/needs-offers.repository.ts';
import { getCaseForTeam, isDecided } from '../cases/cases.repository.ts';
import { whyCaseCannotChange } from '../cases/cases.service.ts';
import * as repo from './teams.repository.ts';

/** Teams with their members (and the organisations they come from). */
export async function teamsWithMembers(db: Database, programmeId: string) {
  const [teams, members] = await Promise.all([repo.listTeams(db, programmeId), repo.listTeamMembers(db, programmeId)]);
  return teams.map((t) => {
    const own = members.filter((m) => m.teamId === t.id);
    return { ...t, members: own, organisations: [...new Set(own.map((m) => m.organisationName).filter(Boolean))] as string[] };
  });
}

export async function loadTeam(db: Database, programmeId: string, teamId: string) {
  const team = (await teamsWithMembers(db, programmeId)).find((t) => t.id === teamId);
  if (!team) throw refuse.notFound('Team');
  return team;
}

/** A team's page: its members, who else could join, its needs and case, and what the actor may do for it. */
export async function teamPage(db: Database, ctx: ProgrammeContext, teamId: string) {
  const team = await loadTeam(db, ctx.programme.id, teamId);
  const [members, needs, investmentCase] = await Promise.all([listMembers(db, ctx.programme.id), listNeeds(db, ctx.programme.id), getCaseForTeam(db, teamId)]);
  const canAct = canActForTeam(ctx.access, teamId);
  return {
    team,
    addable: members.filter((m) => !team.members.some((t) => t.userId === m.userId)),
    needs: needs.filter((n) => n.teamId === teamId),
    investmentCase,
    canAct,
    canWriteCase: canAct && !whyCaseCannotChange(ctx.programme, !!investmentCase && (await isDecided(db, investmentCase.id))),
  };
}

/** A shortlisted idea becomes a team with members from one or more organisations. */
export async function formTeam(db: Database, actor: Actor, access: ProgrammeAccess, programme: Programme, input: { ideaId?: string; name: string; memberIds: string[] }, ip?: string): Promise<string> {
  requireManager(access);
  const ideaId = input.ideaId;
  if (!ideaId) throw refuse.invalid('name', 'Choose a shortlisted idea for the team');
  requireStage(programme, 'form_team', 'name');
  const members = await listMembers(db, programme.id);
  const chosen = input.memberIds.map((id) => members.find((m) => m.userId === id));
  if (chosen.some((m) => !m)) throw refuse.invalid('memberIds', 'Choose members from the people taking part in the programme');
  return db.transaction(async (tx) => {
    const idea = await getIdea(tx, programme.id, ideaId, { lock: true });
    if (!idea) throw refuse.notFound('Idea');
    if (idea.status !== 'shortlisted') throw refuse.conflict('name', 'Only a shortlisted idea can become a team. Shortlist the idea first.');
    if (idea.teamId) throw refuse.conflict('name', `This idea already has a team: ${idea.teamName}`);
    const teamId = await repo.insertTeam(tx, programme.id, ideaId, input.name);
    for (const m of chosen) await repo.addTeamMember(tx, teamId, m!.userId, m!.organisationId);
    await recordAudit(tx, { actor, action: 'created', recordType: 'team', recordId: teamId, ip, details: { programme_id: programme.id, idea_id: ideaId, name: input.name, members: input.memberIds } });
    return teamId;
  });
}

export async function joinTeam(db: Database, actor: Actor, access: ProgrammeAccess, programme: Programme, teamId: string, userId: string, ip?: string): Promise<void> {
  if (!canActForTeam(access, teamId)) throw refuse.forbidden('Only the team’s members and the programme’s managers can change the team.');
  if (programme.stage === 'closed') throw refuse.conflict('userId', 'The programme has closed');
  await loadTeam(db, programme.id, teamId);
  const member = (await listMembers(db, programme.id)).find((m) => m.userId === userId);
  if (!member) throw refuse.invalid('userId', 'Choose someone taking part in the programme');
  await db.transaction(async (tx) => {
    await repo.addTeamMember(tx, teamId, userId, member.organisationId);
    await recordAudit(tx, { actor, action: 'member_added', recordType: 'team', recordId: teamId, ip, details: { user_id: userId, organisation_id: member.organisationId } });
  });
}

export async function leaveTeam(db: Database, actor: Actor, access: ProgrammeAccess, programme: Programme, teamId: string, userId: string, ip?: string): Promise<void> {
  if (!canActForTeam(access, teamId)) throw refuse.forbidden('Only the team’s members and the programme’s managers can change the team.');
  const team = await loadTeam(db, programme.id, teamId);
  if (team.members.length === 1 && team.members[0].userId === userId) throw refuse.conflict('userId', 'A team needs at least one member');
  await db.transaction(async (tx) => {
    await repo.removeTeamMember(tx, teamId, userId);
    await recordAudit(tx, { actor, action: 'member_removed', recordType: 'team', recordId: teamId, ip, details: { user_id: userId } });
  });
}
