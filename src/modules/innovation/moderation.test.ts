import { describe, expect, it } from 'vitest';
import { caseStatistics, median, weightedScore } from './moderation.ts';

const criteria = [
  { id: 'impact', weight: 3 },
  { id: 'feasible', weight: 1 },
];

describe('weighted moderation statistics', () => {
  it('weights each criterion: (3×5 + 1×1) / 4 = 4', () => {
    expect(weightedScore(criteria, [
      { userId: 'u', criterionId: 'impact', score: 5 },
      { userId: 'u', criterionId: 'feasible', score: 1 },
    ])).toBe(4);
  });

  it('gives the mean of members’ weighted scores, the spread, and outlying scores', () => {
    const scores = [
      ['p1', 5, 1], // weighted 4
      ['p2', 4, 4], // 4
      ['p3', 1, 5], // 2
    ].flatMap(([u, impact, feasible]) => [
      { userId: u as string, criterionId: 'impact', score: impact as number },
      { userId: u as string, criterionId: 'feasible', score: feasible as number },
    ]);
    const stats = caseStatistics(criteria, scores);
    expect(stats.scorers).toBe(3);
    expect(stats.weightedMean).toBeCloseTo(10 / 3, 10);
    expect(stats.spread).toBe(2);
    // impact scores 5,4,1: median 4, so 1 is an outlier; feasible 1,4,5: median 4, so 1 is an outlier
    expect(stats.outliers).toEqual([
      { userId: 'p3', criterionId: 'impact', score: 1, median: 4 },
      { userId: 'p1', criterionId: 'feasible', score: 1, median: 4 },
    ]);
  });

  it('has no mean or spread before anyone scores, and no outliers with only two scorers', () => {
    expect(caseStatistics(criteria, [])).toMatchObject({ scorers: 0, weightedMean: null, spread: null, outliers: [] });
    const two = caseStatistics(criteria, [
      { userId: 'a', criterionId: 'impact', score: 0 },
      { userId: 'b', criterionId: 'impact', score: 5 },
    ]);
    expect(two.outliers).toEqual([]);
    expect(two.spread).toBe(5);
  });

  it('takes the median of an even count as the middle two’s mean', () => {
    expect(median([1, 4, 2, 3])).toBe(2.5);
  });
});
