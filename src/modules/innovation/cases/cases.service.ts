import { changedFields, recordAudit } from '../../../platform/audit.ts';
import type { Database, Queryable } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/actor.ts';
import { formatDate } from '../../../platform/dates.ts';
import { refuse } from '../../../platform/refusal.ts';
import { canActForTeam, type ProgrammeAccess } from '../innovation.policy.ts';
import type { ProgrammeContext } from '../programmes/programmes.service.ts';
import { listDecisions } from '../decisions/decisions.repository.ts';
import { listDeclarationsBy } from '../scoring/scoring.repository.ts';
import type { CaseInput } from './cases.schemas.ts';
import { formatPence } from '../../../platform/money.ts';
import { getProgramme, type Programme } from '../programmes/programmes.repository.ts';
import { isOpen, stageNames, whenOpen } from '../stages.ts';
import { getTeam } from '../teams/teams.repository.ts';
import * as repo from './cases.repository.ts';

/** Why a team's case cannot be written or changed now, or null when it can. */
export function whyCaseCannotChange(programme: Programme, decided: boolean, now = new Date()): string | null {
  if (!isOpen(programme.stage, 'write_case')) return `Investment cases can be written during ${whenOpen('write_case')}. This programme is at the ${stageNames[programme.stage]} stage.`;
  if (programme.caseDeadline && now.getTime() > new Date(programme.caseDeadline).getTime()) {
    return `The deadline for investment cases was ${formatDate(programme.caseDeadline, 'datetime')}. Cases can no longer be changed.`;
  }
  if (decided) return 'This case has been decided, so it can no longer be changed.';
  return null;
}

export async function loadCase(db: Database, programmeId: string, caseId: string) {
  const c = await repo.getCase(db, programmeId, caseId);
  if (!c) throw refuse.notFound('Investment case');
  return { ...c, budgetLines: await repo.listBudgetLines(db, [c.id]) };
}

/** The investment cases, each with its decision, the actor's declaration on it, and whether it is their team's. */
export async function casesPage(db: Database, ctx: ProgrammeContext) {
  const [cases, decisions, declarations] = await Promise.all([repo.listCases(db, ctx.programme.id), listDecisions(db, ctx.programme.id), listDeclarationsBy(db, ctx.programme.id, ctx.actor.userId)]);
  return cases.map((c) => ({ ...c, decision: decisions.find((d) => d.caseId === c.id), declaration: declarations.find((d) => d.caseId === c.id), own: canActForTeam(ctx.access, c.teamId) }));
}

/** One case's page: the case, its decision, and whether the actor may change it now. */
export async function casePage(db: Database, ctx: ProgrammeContext, caseId: string) {
  const c = await loadCase(db, ctx.programme.id, caseId);
  const decision = (await listDecisions(db, ctx.programme.id)).find((d) => d.caseId === c.id);
  return { c, decision, canEdit: canActForTeam(ctx.access, c.teamId) && !whyCaseCannotChange(ctx.programme, !!decision) };
}

/**
 * Inside a transaction: the programme read again and locked, so a stage or deadline change cannot
 * slip past; the team's case as it stands; refused when the team is unknown or the case can no
 * longer change. The one check for a submitted case and its draft alike.
 */
async function lockCaseForChange(tx: Queryable, programmeId: string, teamId: string) {
  const current = (await getProgramme(tx, programmeId, { lock: true }))!;
  const team = await getTeam(tx, programmeId, teamId);
  if (!team) throw refuse.notFound('Team');
  const before = await repo.getCaseForTeam(tx, teamId);
  const why = whyCaseCannotChange(current, !!before && (await repo.isDecided(tx, before.id)));
  if (why) throw refuse.conflict('form', why);
  return { current, before };
}

/** Each team submits one investment case: amount requested, budget lines, outcomes, evaluation, risks. */
export async function saveCase(db: Database, actor: Actor, access: ProgrammeAccess, programme: Programme, teamId: string, input: CaseInput, ip?: string): Promise<string> {
  if (!canActForTeam(access, teamId)) throw refuse.forbidden('Only the team’s members and the programme’s managers can write its investment case.');
  const budgetTotal = input.budgetLines.reduce((sum, l) => sum + l.amountPence, 0);
  if (budgetTotal !== input.requestedPence) {
    throw refuse.invalid('requested', `The budget lines add up to ${formatPence(budgetTotal)}, but the amount requested is ${formatPence(input.requestedPence)}. Make them the same.`);
  }
  return db.transaction(async (tx) => {
    const { current, before } = await lockCaseForChange(tx, programme.id, teamId);
    if (input.requestedPence > current.fundPence) throw refuse.invalid('requested', `The amount requested cannot be more than the whole fund, ${formatPence(current.fundPence)}`);
    const id = await repo.saveCase(tx, programme.id, teamId, before?.id, input, actor.userId);
    // Submitted: the draft it grew from has done its work.
    await repo.deleteDraft(tx, teamId);
    const after = { requested_pence: input.requestedPence, summary: input.summary, outcomes: input.outcomes, evaluation_plan: input.evaluationPlan, risks: input.risks };
    await recordAudit(tx, {
      actor,
      action: before ? 'updated' : 'created',
      recordType: 'investment_case',
      recordId: id,
      ip,
      details: before ? { ...changedFields({ requested_pence: before.requestedPence, summary: before.summary, outcomes: before.outcomes, evaluation_plan: before.evaluationPlan, risks: before.risks }, after), budget_lines: input.budgetLines } : { team_id: teamId, ...after, budget_lines: input.budgetLines },
    });
    return id;
  });
}

/**
 * Saves the case form as typed, unfinished, for the team to come back to. A draft is not a case:
 * the panel, Investment Day, moderation and the vote see nothing of it until it is submitted.
 */
export async function saveCaseDraft(db: Database, actor: Actor, access: ProgrammeAccess, programme: Programme, teamId: string, fields: Record<string, string>, ip?: string): Promise<void> {
  if (!canActForTeam(access, teamId)) throw refuse.forbidden('Only the team’s members and the programme’s managers can write its investment case.');
  await db.transaction(async (tx) => {
    await lockCaseForChange(tx, programme.id, teamId);
    await repo.saveDraft(tx, programme.id, teamId, fields, actor.userId);
    await recordAudit(tx, { actor, action: 'draft_saved', recordType: 'investment_case_draft', recordId: teamId, ip, details: { fields: Object.keys(fields) } });
  });
}
