import { describe, expect, it } from 'vitest';
import { ballotProblem, voteResult, type VoteOption } from './voting.ts';

const option = (id: string, costPence: number, submittedAt = '2026-01-01'): VoteOption => ({ id, title: id, costPence, submittedAt });

describe('the community vote rule', () => {
  it('funds the most voted first while money remains, passing over one that does not fit', () => {
    const options = [option('a', 600_00), option('b', 500_00), option('c', 300_00), option('d', 100_00)];
    // a: 3 votes, b: 2, c: 2, d: 1
    const ballots = [['a', 'b'], ['a', 'c'], ['a', 'b', 'c', 'd']];
    const { rows, allocatedPence, leftPence } = voteResult(options, ballots, 1000_00);
    expect(rows.map((r) => [r.id, r.votes, r.funded])).toEqual([
      ['a', 3, true], // 400 left
      ['c', 2, true], // tie with b, c is cheaper: 100 left
      ['b', 2, false], // does not fit
      ['d', 1, true], // fits exactly: 0 left
    ]);
    expect(allocatedPence).toBe(1000_00);
    expect(leftPence).toBe(0);
  });

  it('breaks ties of equal votes and cost by who submitted first', () => {
    const { rows } = voteResult([option('late', 100, '2026-02-01'), option('early', 100, '2026-01-01')], [['late', 'early']], 100);
    expect(rows.map((r) => [r.id, r.funded])).toEqual([
      ['early', true],
      ['late', false],
    ]);
  });

  it('does not fund a project nobody voted for, and counts a repeated choice once', () => {
    const { rows } = voteResult([option('a', 100), option('b', 100)], [['a', 'a']], 1000);
    expect(rows.find((r) => r.id === 'a')!.votes).toBe(1);
    expect(rows.find((r) => r.id === 'b')!.funded).toBe(false);
  });
});

describe('checking a ballot', () => {
  const options = [option('a', 600_00), option('b', 500_00), option('c', 300_00)];
  it('approval: up to N choices', () => {
    expect(ballotProblem('approval', ['a', 'b'], options, 2, 0)).toBeNull();
    expect(ballotProblem('approval', ['a', 'b', 'c'], options, 2, 0)).toBe('Choose up to 2 projects');
    expect(ballotProblem('approval', [], options, 2, 0)).toBe('Choose at least one project');
    expect(ballotProblem('approval', ['zzz'], options, 2, 0)).toBe('Choose projects from the list');
  });
  it('budget: the chosen costs must fit the amount', () => {
    expect(ballotProblem('budget', ['a', 'c'], options, 50, 1000_00)).toBeNull();
    expect(ballotProblem('budget', ['a', 'b'], options, 50, 1000_00)).toContain('cost more than the £1,000.00');
  });
});
