/**
 * Moderation statistics for Investment Day: each panel member's weighted score for a case, the
 * case's weighted mean across members, the spread, and scores far from the rest of the panel.
 */

export type Criterion = { id: string; weight: number };
export type Score = { userId: string; criterionId: string; score: number };

type MemberTotal = { userId: string; weighted: number; complete: boolean };
export type Outlier = { userId: string; criterionId: string; score: number; median: number };

export type CaseStatistics = {
  scorers: number;
  weightedMean: number | null;
  spread: number | null;
  lowest: number | null;
  highest: number | null;
  members: MemberTotal[];
  outliers: Outlier[];
};

/** An individual score this many points or more from the panel's median on that criterion is an outlier. */
const OUTLIER_DISTANCE = 2;

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Weighted mean of one member's scores on the criteria they scored: Σ(weight × score) / Σ weight. */
export function weightedScore(criteria: Criterion[], scores: Score[]): number | null {
  let weighted = 0;
  let weights = 0;
  for (const c of criteria) {
    const s = scores.find((x) => x.criterionId === c.id);
    if (!s) continue;
    weighted += c.weight * s.score;
    weights += c.weight;
  }
  return weights ? weighted / weights : null;
}

export function caseStatistics(criteria: Criterion[], scores: Score[]): CaseStatistics {
  const byMember = new Map<string, Score[]>();
  for (const s of scores) byMember.set(s.userId, [...(byMember.get(s.userId) ?? []), s]);
  const members: MemberTotal[] = [];
  for (const [userId, own] of byMember) {
    const weighted = weightedScore(criteria, own);
    if (weighted !== null) members.push({ userId, weighted, complete: criteria.every((c) => own.some((s) => s.criterionId === c.id)) });
  }
  const totals = members.map((m) => m.weighted);
  const outliers: Outlier[] = [];
  for (const c of criteria) {
    const onCriterion = scores.filter((s) => s.criterionId === c.id);
    if (onCriterion.length < 3) continue; // with two scores neither is "the odd one out"
    const m = median(onCriterion.map((s) => s.score));
    for (const s of onCriterion) if (Math.abs(s.score - m) >= OUTLIER_DISTANCE) outliers.push({ userId: s.userId, criterionId: c.id, score: s.score, median: m });
  }
  return {
    scorers: members.length,
    weightedMean: totals.length ? totals.reduce((a, b) => a + b, 0) / totals.length : null,
    lowest: totals.length ? Math.min(...totals) : null,
    highest: totals.length ? Math.max(...totals) : null,
    spread: totals.length ? Math.max(...totals) - Math.min(...totals) : null,
    members,
    outliers,
  };
}
