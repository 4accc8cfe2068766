import { recordAudit } from '../../../platform/audit.ts';
import type { Database } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/actor.ts';
import { refuse } from '../../../platform/refusal.ts';
import { canModerate, canScore, canScoreCase, canSeeCaseScores, type ProgrammeAccess } from '../innovation.policy.ts';
import { caseStatistics } from '../moderation.ts';
import { listCriteria, listMembers, type Programme } from '../programmes/programmes.repository.ts';
import { requireStage } from '../programmes/programmes.service.ts';
import { getCase } from '../cases/cases.repository.ts';
import * as repo from './scoring.repository.ts';
import { refreshCaseModeration } from './moderation-summary.ts';
import { conflictOn } from './conflicts.ts';

export type ScoreInput = { criterionId: string; score: number; comment: string };

async function caseInProgramme(db: Database, programme: Programme, caseId: string) {
  const c = await getCase(db, programme.id, caseId);
  if (!c) throw refuse.notFound('Investment case');
  return c;
}

/** Each panel member says, for each case, whether they have a conflict of interest. */
export async function declareInterest(db: Database, actor: Actor, access: ProgrammeAccess, programme: Programme, caseId: string, input: { conflicted: boolean; reason: string }, ip?: string): Promise<void> {
  if (!canScore(access)) throw refuse.forbidden('Only the investment team declares interests and scores cases.');
  requireStage(programme, 'score');
  await caseInProgramme(db, programme, caseId);
  await db.transaction(async (tx) => {
    const before = await repo.getDeclaration(tx, caseId, actor.userId);
    await repo.upsertDeclaration(tx, caseId, actor.userId, input.conflicted, input.conflicted ? input.reason : '');
    // Someone who finds a conflict after scoring: their scores no longer count.
    const removed = input.conflicted ? await repo.deleteScoresBy(tx, caseId, actor.userId) : 0;
    if (removed) await refreshCaseModeration(tx, programme.id, caseId);
    await recordAudit(tx, {
      actor,
      action: input.conflicted ? 'conflict_declared' : 'no_conflict_declared',
      recordType: 'investment_case',
      recordId: caseId,
      ip,
      details: { reason: input.reason || undefined, previously: before ? (before.conflicted ? 'conflicted' : 'no conflict') : undefined, scores_removed: removed || undefined },
    });
  });
}

/** A panel member's scores for one case. Refused for a conflicted member, and before a declaration. */
export async function scoreCase(db: Database, actor: Actor, access: ProgrammeAccess, programme: Programme, caseId: string, scores: ScoreInput[], ip?: string): Promise<void> {
  if (!canScore(access)) throw refuse.forbidden('Only the investment team scores cases.');
  requireStage(programme, 'score');
  await caseInProgramme(db, programme, caseId);
  const criteria = await listCriteria(db, programme.id);
  for (const s of scores) {
    const criterion = criteria.find((c) => c.id === s.criterionId);
    if (!criterion) throw refuse.invalid('form', 'Score the programme’s own criteria');
    if (!Number.isInteger(s.score) || s.score < 0 || s.score > 5) throw refuse.invalid(`score-${s.criterionId}`, `The score for ${criterion.name} must be a whole number from 0 to 5`);
  }
  await db.transaction(async (tx) => {
    const automatic = await conflictOn(tx, programme.id, caseId, actor.userId);
    if (automatic?.automatic) throw refuse.forbidden(`${automatic.reason} That is a conflict of interest, so you cannot score this case.`);
    const declaration = await repo.getDeclaration(tx, caseId, actor.userId);
    if (!declaration) throw refuse.conflict('conflicted', 'Say whether you have a conflict of interest with this case before you score it');
    if (!canScoreCase(access, declaration)) throw refuse.forbidden('You declared a conflict of interest with this case, so you cannot score it');
    for (const s of scores) await repo.upsertScore(tx, caseId, actor.userId, s.criterionId, s.score, s.comment);
    await refreshCaseModeration(tx, programme.id, caseId);
    await recordAudit(tx, { actor, action: 'scored', recordType: 'investment_case', recordId: caseId, ip, details: { scores: scores.map((s) => ({ criterion_id: s.criterionId, score: s.score })) } });
  });
}

/** Everyone's scores on one case, for the moderation discussion: not for a member with a conflict on it. */
export async function caseScoresFor(db: Database, actor: Actor, access: ProgrammeAccess, programme: Programme, caseId: string) {
  if (!canModerate(access)) throw refuse.forbidden('Only the investment team and the programme’s managers can see the scores.');
  const conflict = await conflictOn(db, programme.id, caseId, actor.userId);
  if (!canSeeCaseScores(access, conflict)) throw refuse.forbidden(conflict?.automatic ? `${conflict.reason} That is a conflict of interest, so you cannot see the scores.` : 'You declared a conflict of interest with this case, so you cannot see the other scores.');
  const [criteria, scores, members] = await Promise.all([listCriteria(db, programme.id), repo.listScoresForCase(db, caseId), listMembers(db, programme.id)]);
  const stats = caseStatistics(criteria, scores);
  return { criteria, scores, stats, names: Object.fromEntries(members.map((m) => [m.userId, m.name])) };
}

/** One case's score sheet: each member's scores and comments, outlying scores marked, and the case's figures. */
export async function caseScoreSheet(db: Database, actor: Actor, access: ProgrammeAccess, programme: Programme, caseId: string) {
  const view = await caseScoresFor(db, actor, access, programme, caseId);
  const outlying = new Set(view.stats.outliers.map((o) => `${o.userId}:${o.criterionId}`));
  const scorers = view.stats.members.map((m) => ({
    name: view.names[m.userId] ?? 'Someone',
    weighted: m.weighted,
    scores: view.criteria.map((cr) => {
      const s = view.scores.find((x) => x.userId === m.userId && x.criterionId === cr.id);
      return s ? { score: s.score, comment: s.comment, outlier: outlying.has(`${m.userId}:${cr.id}`) } : null;
    }),
  }));
  return { criteria: view.criteria, stats: view.stats, scorers };
}

/** The moderation view: every case's weighted mean, spread and outlying scores, hiding cases the viewer is conflicted on. */
export async function moderationView(db: Database, actor: Actor, access: ProgrammeAccess, programme: Programme) {
  if (!canModerate(access)) throw refuse.forbidden('Only the investment team and the programme’s managers can see the moderation view.');
  const cases = await repo.listModerationRows(db, programme.id);
  const criteria = await listCriteria(db, programme.id);
  const conflicts = [...(await repo.listConflicts(db, programme.id)), ...(await repo.listSameOrganisationConflicts(db, programme.id)).map((c) => ({ ...c, name: `${c.name} (same organisation as the team)` }))];
  const people = await listMembers(db, programme.id);
  const names = new Map(people.map((m) => [m.userId, m.name]));
  const criterionNames = new Map(criteria.map((c) => [c.id, c.name]));
  const conflictsByCase = new Map<string, string[]>();
  const hiddenFor = new Set<string>();
  for (const d of conflicts) {
    conflictsByCase.set(d.caseId, [...(conflictsByCase.get(d.caseId) ?? []), d.name ?? 'Someone']);
    if (d.userId === actor.userId) hiddenFor.add(d.caseId);
  }
  const rows = cases.map((c) => {
    const hidden = hiddenFor.has(c.caseId);
    const stats = hidden ? null : { scorers: c.scorers, weightedMean: c.weightedMean, spread: c.spread, outliers: c.outliers };
    return {
      id: c.caseId,
      teamName: c.teamName,
      requestedPence: c.requestedPence,
      hidden,
      conflicts: conflictsByCase.get(c.caseId) ?? [],
      stats,
      outliers: stats ? stats.outliers.map((o) => ({ ...o, name: names.get(o.userId) ?? 'Someone', criterion: criterionNames.get(o.criterionId) ?? '' })) : [],
      decision: c.awardedPence === null ? undefined : { awardedPence: c.awardedPence },
    };
  });
  const panelSize = people.filter((m) => m.role === 'panel').length;
  rows.sort((a, b) => (b.stats?.weightedMean ?? -1) - (a.stats?.weightedMean ?? -1) || a.teamName.localeCompare(b.teamName));
  return { rows, criteria, panelSize };
}
