import { recordAudit } from '../../../platform/audit.ts';
import type { Database } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/actor.ts';
import { forbidden } from '../../../platform/http/errors.ts';
import type { FieldError } from '../../../platform/http/forms.ts';
import { refuse } from '../innovation.errors.ts';
import { canModerate, canScore, type ProgrammeAccess } from '../innovation.policy.ts';
import { caseStatistics } from '../moderation.ts';
import { listCriteria, listMembers, type CriterionRow, type ProgrammeRow } from '../programmes/programmes.repository.ts';
import { requireStage } from '../programmes/programmes.service.ts';
import { getCase } from '../cases/cases.repository.ts';
import * as repo from './scoring.repository.ts';
import { listModerationRows, refreshCaseModeration } from './moderation-summary.ts';

export type ScoreInput = { criterionId: string; score: number; comment: string };

/** Reads the scoring form: a score from 0 to 5 and a comment for every criterion. */
export function readScoreForm(criteria: CriterionRow[], input: Record<string, unknown>): { ok: true; scores: ScoreInput[] } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const scores: ScoreInput[] = [];
  for (const c of criteria) {
    const raw = String(input[`score-${c.id}`] ?? '').trim();
    const comment = String(input[`comment-${c.id}`] ?? '').trim();
    if (raw === '') errors.push({ field: `score-${c.id}`, message: `Choose a score for ${c.name}` });
    else if (!/^\d+$/.test(raw) || Number(raw) > 5) errors.push({ field: `score-${c.id}`, message: `The score for ${c.name} must be a whole number from 0 to 5` });
    if (!comment) errors.push({ field: `comment-${c.id}`, message: `Add a comment for ${c.name}` });
    else if (comment.length > 2000) errors.push({ field: `comment-${c.id}`, message: `The comment for ${c.name} must be 2000 characters or fewer` });
    if (/^\d+$/.test(raw) && Number(raw) <= 5 && comment) scores.push({ criterionId: c.id, score: Number(raw), comment });
  }
  return errors.length ? { ok: false, errors } : { ok: true, scores };
}

async function caseInProgramme(db: Database, programme: ProgrammeRow, caseId: string) {
  const c = await getCase(db, programme.id, caseId);
  if (!c) throw refuse('form', 'That case is not part of this programme', 404);
  return c;
}

/** Each panel member says, for each case, whether they have a conflict of interest. */
export async function declareInterest(db: Database, actor: Actor, access: ProgrammeAccess, programme: ProgrammeRow, caseId: string, input: { conflicted: boolean; reason: string }, ip?: string): Promise<void> {
  if (!canScore(access)) throw forbidden('Only the investment team declares interests and scores cases.');
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
export async function scoreCase(db: Database, actor: Actor, access: ProgrammeAccess, programme: ProgrammeRow, caseId: string, scores: ScoreInput[], ip?: string): Promise<void> {
  if (!canScore(access)) throw forbidden('Only the investment team scores cases.');
  requireStage(programme, 'score');
  await caseInProgramme(db, programme, caseId);
  const criteria = await listCriteria(db, programme.id);
  for (const s of scores) {
    const criterion = criteria.find((c) => c.id === s.criterionId);
    if (!criterion) throw refuse('form', 'Score the programme’s own criteria');
    if (!Number.isInteger(s.score) || s.score < 0 || s.score > 5) throw refuse(`score-${s.criterionId}`, `The score for ${criterion.name} must be a whole number from 0 to 5`);
  }
  await db.transaction(async (tx) => {
    const declaration = await repo.getDeclaration(tx, caseId, actor.userId);
    if (!declaration) throw refuse('conflicted', 'Say whether you have a conflict of interest with this case before you score it', 409);
    if (declaration.conflicted) throw refuse('form', 'You declared a conflict of interest with this case, so you cannot score it', 403);
    for (const s of scores) await repo.upsertScore(tx, caseId, actor.userId, s.criterionId, s.score, s.comment);
    await refreshCaseModeration(tx, programme.id, caseId);
    await recordAudit(tx, { actor, action: 'scored', recordType: 'investment_case', recordId: caseId, ip, details: { scores: scores.map((s) => ({ criterion_id: s.criterionId, score: s.score })) } });
  });
}

/** Everyone's scores on one case, for the moderation discussion: not for a member with a conflict on it. */
export async function caseScoresFor(db: Database, actor: Actor, access: ProgrammeAccess, programme: ProgrammeRow, caseId: string) {
  if (!canModerate(access)) throw forbidden('Only the investment team and the programme’s managers can see the scores.');
  const declaration = await repo.getDeclaration(db, caseId, actor.userId);
  if (declaration?.conflicted) throw forbidden('You declared a conflict of interest with this case, so you cannot see the other scores.');
  const [criteria, scores, members] = await Promise.all([listCriteria(db, programme.id), repo.listScoresForCase(db, caseId), listMembers(db, programme.id)]);
  const stats = caseStatistics(criteria, scores.map((s) => ({ userId: s.user_id, criterionId: s.criterion_id, score: s.score })));
  return { criteria, scores, stats, names: Object.fromEntries(members.map((m) => [m.user_id, m.name])) };
}

/** The moderation view: every case's weighted mean, spread and outlying scores, hiding cases the viewer is conflicted on. */
export async function moderationView(db: Database, actor: Actor, access: ProgrammeAccess, programme: ProgrammeRow) {
  if (!canModerate(access)) throw forbidden('Only the investment team and the programme’s managers can see the moderation view.');
  const cases = await listModerationRows(db, programme.id);
  const criteria = await listCriteria(db, programme.id);
  const conflicts = await repo.listConflicts(db, programme.id);
  const people = await listMembers(db, programme.id);
  const names = new Map(people.map((m) => [m.user_id, m.name]));
  const criterionNames = new Map(criteria.map((c) => [c.id, c.name]));
  const conflictsByCase = new Map<string, string[]>();
  const hiddenFor = new Set<string>();
  for (const d of conflicts) {
    conflictsByCase.set(d.case_id, [...(conflictsByCase.get(d.case_id) ?? []), d.name ?? 'Someone']);
    if (d.user_id === actor.userId) hiddenFor.add(d.case_id);
  }
  const rows = cases.map((c) => {
    const hidden = hiddenFor.has(c.case_id);
    const stats = hidden ? null : { scorers: c.scorers, weightedMean: c.weighted_mean, spread: c.spread, outliers: c.outliers };
    return {
      id: c.case_id,
      teamName: c.team_name,
      requestedPence: c.requested_pence,
      hidden,
      conflicts: conflictsByCase.get(c.case_id) ?? [],
      stats,
      outliers: stats ? stats.outliers.map((o) => ({ ...o, name: names.get(o.userId) ?? 'Someone', criterion: criterionNames.get(o.criterionId) ?? '' })) : [],
      decision: c.awarded_pence === null ? undefined : { awarded_pence: c.awarded_pence },
    };
  });
  const panelSize = people.filter((m) => m.role === 'panel').length;
  rows.sort((a, b) => (b.stats?.weightedMean ?? -1) - (a.stats?.weightedMean ?? -1) || a.teamName.localeCompare(b.teamName));
  return { rows, criteria, panelSize };
}
