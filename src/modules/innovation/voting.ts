import { formatPence } from '../../platform/money.ts';

/**
 * The community vote's published rule: projects are taken in order of votes, most first (ties go to
 * the cheaper project, then the one submitted first). Each is funded if its full cost fits in the
 * money left, otherwise it is passed over; this goes on while money and projects remain. A project
 * with no votes is not funded.
 */
export const VOTE_RULE =
  'Projects are taken in order of votes, most first (ties go to the cheaper project, then the one submitted first). Each is funded in full if its cost fits in the money left; if not, it is passed over and the next is tried. Projects with no votes are not funded.';

export type VoteOption = { id: string; title: string; costPence: number; submittedAt: string };
export type VoteResultRow = VoteOption & { votes: number; funded: boolean; remainingAfterPence: number };

function countVotes(ballots: string[][]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const ballot of ballots) for (const id of new Set(ballot)) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

export function voteResult(options: VoteOption[], ballots: string[][], potPence: number): { rows: VoteResultRow[]; allocatedPence: number; leftPence: number } {
  const counts = countVotes(ballots);
  const ordered = options
    .map((o) => ({ ...o, votes: counts.get(o.id) ?? 0 }))
    .sort((a, b) => b.votes - a.votes || a.costPence - b.costPence || a.submittedAt.localeCompare(b.submittedAt) || a.id.localeCompare(b.id));
  let left = potPence;
  const rows = ordered.map((o) => {
    const funded = o.votes > 0 && o.costPence <= left;
    if (funded) left -= o.costPence;
    return { ...o, funded, remainingAfterPence: left };
  });
  return { rows, allocatedPence: potPence - left, leftPence: left };
}

/** Checks one ballot against the programme's method; returns a message to show, or null when valid. */
export function ballotProblem(method: 'approval' | 'budget', choice: string[], options: VoteOption[], maxChoices: number, potPence: number): string | null {
  const ids = new Set(options.map((o) => o.id));
  if (!choice.length) return 'Choose at least one project';
  if (choice.some((id) => !ids.has(id))) return 'Choose projects from the list';
  if (new Set(choice).size !== choice.length) return 'Choose each project only once';
  if (method === 'approval' && choice.length > maxChoices) return `Choose up to ${maxChoices} project${maxChoices === 1 ? '' : 's'}`;
  if (method === 'budget') {
    const total = choice.reduce((sum, id) => sum + options.find((o) => o.id === id)!.costPence, 0);
    if (total > potPence) return `The projects you chose cost more than the ${formatPence(potPence)} being voted on. Choose projects whose costs add up to ${formatPence(potPence)} or less.`;
  }
  return null;
}
