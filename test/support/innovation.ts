import type { Database } from '../../src/platform/db/database.ts';
import type { Actor, Role } from '../../src/platform/actor.ts';
import { buildOrganisation, buildUser } from './factories.ts';
import { addMember, createProgramme, moveStage, programmeAccess } from '../../src/modules/innovation/programmes/programmes.service.ts';
import { getProgramme, listCriteria } from '../../src/modules/innovation/programmes/programmes.repository.ts';
import { declareInterest, scoreCase } from '../../src/modules/innovation/scoring/scoring.service.ts';
import { moveIdea, submitIdea } from '../../src/modules/innovation/ideas/ideas.service.ts';
import { formTeam } from '../../src/modules/innovation/teams/teams.service.ts';
import { saveCase } from '../../src/modules/innovation/cases/cases.service.ts';
import type { Stage } from '../../src/modules/innovation/stages.ts';

export type TestPerson = { id: string; email: string; password: string; organisationId: string; name: string; actor: Actor };

export async function aPerson(db: Database, role: Role, organisationId?: string): Promise<TestPerson> {
  const u = await buildUser(db, { role, organisationId });
  return { ...u, actor: { userId: u.id, name: u.name, email: u.email, via: 'session', memberships: [{ organisationId: u.organisationId, organisationName: '', role }] } };
}

export async function access(db: Database, person: TestPerson, programmeId: string) {
  return programmeAccess(db, person.actor, (await getProgramme(db, programmeId))!);
}

export async function currentProgramme(db: Database, programmeId: string) {
  return (await getProgramme(db, programmeId))!;
}

/**
 * A programme with a manager, a three-member investment team and two participants from different
 * organisations, and `teams` teams each with an investment case asking for `requestedPence`.
 */
export async function aProgrammeWithCases(db: Database, options: { fundPence?: number; teams?: number; requestedPence?: number[]; stage?: Stage; caseDeadline?: string | null } = {}) {
  const orgs = [await buildOrganisation(db, { name: 'Wyndale Test Surgery' }), await buildOrganisation(db, { name: 'Wyndale Test Charity' }), await buildOrganisation(db, { name: 'Wyndale Test Council' })];
  const manager = await aPerson(db, 'programme_manager', orgs[2].id);
  // The investment team takes part for the council, which has no one in a team: no conflicts found from organisations.
  const panel = [await aPerson(db, 'panel_member', orgs[2].id), await aPerson(db, 'panel_member', orgs[2].id), await aPerson(db, 'panel_member', orgs[2].id)];
  const participants = [await aPerson(db, 'organisation_editor', orgs[0].id), await aPerson(db, 'link_worker', orgs[1].id)];
  const programmeId = await createProgramme(db, manager.actor, {
    name: 'Test Ideas Fund',
    purpose: 'Find and grow front-line ideas.',
    fund: options.fundPence ?? 10_000_00,
    publicIdeas: true,
    caseDeadlineDate: undefined,
    caseDeadlineTime: undefined,
  });
  const managerAccess = await access(db, manager, programmeId);
  // panel[0] chairs the investment team.
  for (const [n, p] of panel.entries()) await addMember(db, manager.actor, managerAccess, await currentProgramme(db, programmeId), { email: p.email, organisationId: p.organisationId, role: n === 0 ? 'chair' : 'panel' });
  for (const p of participants) await addMember(db, manager.actor, managerAccess, await currentProgramme(db, programmeId), { email: p.email, organisationId: p.organisationId, role: 'participant' });
  const requested = options.requestedPence ?? Array.from({ length: options.teams ?? 2 }, () => 4_000_00);
  const teamIds: string[] = [];
  const caseIds: string[] = [];
  const ideaIds: string[] = [];
  for (const [i, amount] of requested.entries()) {
    const author = participants[i % participants.length];
    const ideaId = await submitIdea(db, author.actor, await access(db, author, programmeId), await currentProgramme(db, programmeId), {
      title: `Idea ${i + 1}`,
      problem: 'A problem',
      whoBenefits: 'People',
      idea: 'An idea',
      roughCost: amount,
      howWeKnow: 'We measure it',
    });
    ideaIds.push(ideaId);
    await moveIdea(db, manager.actor, managerAccess, await currentProgramme(db, programmeId), ideaId, 'shortlist');
  }
  await moveStage(db, manager.actor, managerAccess, await currentProgramme(db, programmeId), 'teams_forming');
  for (const [i, ideaId] of ideaIds.entries()) {
    teamIds.push(await formTeam(db, manager.actor, managerAccess, await currentProgramme(db, programmeId), { ideaId, name: `Team ${i + 1}`, memberIds: [participants[i % 2].id, participants[(i + 1) % 2].id] }));
  }
  await moveStage(db, manager.actor, managerAccess, await currentProgramme(db, programmeId), 'development');
  for (const [i, teamId] of teamIds.entries()) {
    caseIds.push(
      await saveCase(db, manager.actor, managerAccess, await currentProgramme(db, programmeId), teamId, {
        requestedPence: requested[i],
        summary: '',
        outcomes: 'Outcomes',
        evaluationPlan: 'Evaluation',
        risks: 'Risks',
        budgetLines: [{ description: 'Everything', amountPence: requested[i] }],
      }),
    );
  }
  if (options.stage && options.stage !== 'development') await moveStage(db, manager.actor, managerAccess, await currentProgramme(db, programmeId), options.stage);
  return { programmeId, orgs, manager, panel, participants, teamIds, caseIds, ideaIds };
}

/** Every panel member declares no conflict and scores every case (3 on each criterion, or `score`): scoring complete. */
export async function scoreEveryCase(db: Database, world: { programmeId: string; panel: TestPerson[]; caseIds: string[] }, score = 3) {
  const criteria = await listCriteria(db, world.programmeId);
  for (const member of world.panel) {
    const a = await access(db, member, world.programmeId);
    for (const caseId of world.caseIds) {
      await declareInterest(db, member.actor, a, await currentProgramme(db, world.programmeId), caseId, { conflicted: false, reason: '' });
      await scoreCase(db, member.actor, a, await currentProgramme(db, world.programmeId), caseId, criteria.map((c) => ({ criterionId: c.id, score, comment: '' })));
    }
  }
}
