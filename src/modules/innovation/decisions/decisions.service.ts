import { changedFields, recordAudit } from '../../../platform/audit.ts';
import type { Database, Queryable } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/actor.ts';
import { refuse } from '../../../platform/refusal.ts';
import { canDecide, canDecideCase, canSeeCaseScores, type ProgrammeAccess } from '../innovation.policy.ts';
import type { ProgrammeContext } from '../programmes/programmes.service.ts';
import { getCase, listCases } from '../cases/cases.repository.ts';
import { listModerationRows } from '../scoring/scoring.repository.ts';
import { caseScoreSheet } from '../scoring/scoring.service.ts';
import { fundChart } from './fund-chart.ts';

type ConflictFacts = { conflicted: boolean } | undefined;
import type { DecisionInput } from './decisions.schemas.ts';
import { formatPence } from '../../../platform/money.ts';
import { fundPosition, getProgramme, type Programme } from '../programmes/programmes.repository.ts';
import { requireStage } from '../programmes/programmes.service.ts';
import { conflictOn, scoringStatus } from '../scoring/conflicts.ts';
import { deleteEmptyProject, ensureProject } from '../projects/projects.repository.ts';
import * as repo from './decisions.repository.ts';

/** PostgreSQL's code for a failed check, raised by the fund trigger if anything gets past the lock. */
const CHECK_VIOLATION = '23514';

export type DecisionRequest = DecisionInput & { source?: 'panel' | 'community_vote' };

/**
 * Records the panel's decision on a case: fund in full, fund in part, or not now, with feedback.
 * The programme row is locked first, so two decisions saved at the same moment are checked one
 * after the other and the total awarded can never pass the fund (the database trigger checks again).
 */
export async function decide(db: Database, actor: Actor, access: ProgrammeAccess, programme: Programme, caseId: string, input: DecisionRequest, ip?: string): Promise<string> {
  if (!canDecide(access)) throw refuse.forbidden('Only the chair of the investment team records decisions. Ask the chair to record it.');
  const conflict = await conflictOn(db, programme.id, caseId, actor.userId);
  if (!canDecideCase(access, conflict)) {
    throw refuse.forbidden(conflict?.automatic ? `${conflict.reason} That is a conflict of interest, so you cannot take part in its decision.` : 'You declared a conflict of interest with this case, so you cannot take part in its decision');
  }
  requireStage(programme, 'decide');
  const scoring = (await scoringStatus(db, programme.id)).get(caseId);
  if (scoring && !scoring.complete) {
    const waiting = scoring.expected.filter((e) => !e.done).map((e) => e.name);
    throw refuse.conflict(
      'form',
      waiting.length
        ? `Scoring of this case is not complete: ${waiting.join(', ')} ${waiting.length === 1 ? 'has' : 'have'} still to score it. Decide once every panel member without a conflict has scored it.`
        : 'No panel member without a conflict of interest can score this case, so it cannot be decided here. Ask the programme manager to add someone to the investment team.',
    );
  }
  try {
    return await db.transaction((tx) => decideIn(tx, actor, programme.id, caseId, input, ip));
  } catch (error) {
    if ((error as { code?: string }).code === CHECK_VIOLATION && /exceed the fund/.test(String((error as Error).message))) {
      throw refuse.conflict(input.outcome === 'fund_part' ? 'amount' : 'outcome', 'This decision would take the total awarded past the fund. Reload the page to see what remains.');
    }
    throw error;
  }
}

async function decideIn(tx: Queryable, actor: Actor, programmeId: string, caseId: string, input: DecisionRequest, ip?: string): Promise<string> {
  const programme = (await getProgramme(tx, programmeId, { lock: true }))!;
  requireStage(programme, 'decide');
  const c = await getCase(tx, programmeId, caseId);
  if (!c) throw refuse.notFound('Investment case');
  const source = input.source ?? 'panel';
  const awarded = input.outcome === 'fund_full' ? c.requestedPence : input.outcome === 'fund_part' ? (input.amount ?? 0) : 0;
  if (input.outcome === 'fund_part' && awarded >= c.requestedPence) {
    throw refuse.invalid('amount', `Funding in part must be less than the ${formatPence(c.requestedPence)} requested. To give it all, choose “Fund in full”.`);
  }
  const before = await repo.getDecisionForCase(tx, caseId);
  const position = await fundPosition(tx, programme);
  // A community vote's winners are paid from the part held for the vote; the panel from the rest.
  const available = position.remainingPence + (before?.awardedPence ?? 0) + (source === 'community_vote' ? position.heldForVotePence : 0);
  if (awarded > available) {
    throw refuse.conflict(
      input.outcome === 'fund_part' ? 'amount' : 'outcome',
      `${formatPence(awarded)} is more than the ${formatPence(available)} left in the fund${position.heldForVotePence && source === 'panel' ? ` (${formatPence(position.heldForVotePence)} is held for the community vote)` : ''}. Fund in part, or choose “Not now”.`,
    );
  }
  let id: string;
  if (before) {
    await repo.updateDecision(tx, before.id, { outcome: input.outcome, awardedPence: awarded, feedback: input.feedback, decidedBy: actor.userId });
    id = before.id;
  } else {
    id = await repo.insertDecision(tx, { programmeId, caseId, outcome: input.outcome, awardedPence: awarded, feedback: input.feedback, source, decidedBy: actor.userId });
  }
  // A funded case becomes a project; one no longer funded loses its (still empty) project.
  if (awarded > 0) await ensureProject(tx, programmeId, caseId, c.teamName);
  else if (!(await deleteEmptyProject(tx, caseId))) throw refuse.conflict('outcome', 'This case’s project has milestones or updates already, so it must stay funded.');
  const after = { outcome: input.outcome, awarded_pence: awarded, feedback: input.feedback };
  await recordAudit(tx, {
    actor,
    action: before ? 'updated' : 'created',
    recordType: 'investment_decision',
    recordId: id,
    ip,
    details: before ? changedFields({ outcome: before.outcome, awarded_pence: before.awardedPence, feedback: before.feedback }, after) : { case_id: caseId, source, ...after },
  });
  return id;
}

/** Applies a community vote's winners as decisions, all in one transaction with the fund locked. */
export async function recordVoteWinners(tx: Queryable, actor: Actor, programmeId: string, winners: { caseId: string; votes: number }[], ip?: string): Promise<void> {
  for (const w of winners) {
    await decideIn(tx, actor, programmeId, w.caseId, { outcome: 'fund_full', feedback: `Funded by the community vote, with ${w.votes} vote${w.votes === 1 ? '' : 's'}.`, source: 'community_vote' }, ip);
  }
}

/**
 * Investment Day: each case with its decision and, for the panel and managers (not on a case they
 * are conflicted on), its scores and moderation figures, whether scoring is complete, and the
 * conflicts of interest (all of them for the chair and managers, their own for other members).
 */
export async function investmentDay(db: Database, ctx: ProgrammeContext) {
  const [position, cases, decisions, figures, status] = await Promise.all([
    fundPosition(db, ctx.programme),
    listCases(db, ctx.programme.id),
    repo.listDecisions(db, ctx.programme.id),
    listModerationRows(db, ctx.programme.id),
    scoringStatus(db, ctx.programme.id),
  ]);
  const seesAllConflicts = ctx.may.decide || ctx.may.manage;
  const rows = cases.map((c) => {
    const scoring = status.get(c.id);
    const mine = scoring?.conflicts.find((x) => x.userId === ctx.actor.userId);
    const conflict: ConflictFacts = mine ? { conflicted: true } : undefined;
    return {
      ...c,
      decision: decisions.find((d) => d.caseId === c.id),
      figures: canSeeCaseScores(ctx.access, conflict) ? figures.find((f) => f.caseId === c.id) : undefined,
      scoringComplete: !!scoring?.complete,
      waitingFor: scoring?.expected.filter((e) => !e.done).map((e) => e.name) ?? [],
      conflicts: seesAllConflicts ? (scoring?.conflicts ?? []) : mine ? [mine] : [],
      mayDecide: canDecideCase(ctx.access, conflict),
    };
  });
  return { position, cases: rows, fundChart: await fundChart(position) };
}

/** The decision form's facts: the case's scores and figures (when the actor may see them), scoring status and conflicts. */
export async function decisionFacts(db: Database, ctx: ProgrammeContext, caseId: string) {
  const [position, existing, conflict, status] = await Promise.all([
    fundPosition(db, ctx.programme),
    repo.getDecisionForCase(db, caseId),
    conflictOn(db, ctx.programme.id, caseId, ctx.actor.userId),
    scoringStatus(db, ctx.programme.id),
  ]);
  const scoring = status.get(caseId);
  const sheet = canSeeCaseScores(ctx.access, conflict) ? await caseScoreSheet(db, ctx.actor, ctx.access, ctx.programme, caseId) : undefined;
  return {
    position,
    existing,
    conflict: conflict?.conflicted ? conflict : undefined,
    sheet,
    scoringComplete: !!scoring?.complete,
    waitingFor: scoring?.expected.filter((e) => !e.done).map((e) => e.name) ?? [],
    conflicts: ctx.may.decide || ctx.may.manage ? (scoring?.conflicts ?? []) : [],
    mayDecide: canDecideCase(ctx.access, conflict),
  };
}
