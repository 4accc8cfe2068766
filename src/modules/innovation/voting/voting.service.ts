import { recordAudit } from '../../../platform/audit.ts';
import type { Database, Queryable } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/actor.ts';
import { refuse } from '../../../platform/refusal.ts';
import { isMember, type ProgrammeAccess } from '../innovation.policy.ts';
import { formatPence } from '../../../platform/money.ts';
import { fundPosition, getProgramme, type Programme } from '../programmes/programmes.repository.ts';
import { requireManager, requireStage } from '../programmes/programmes.service.ts';
import { listCases } from '../cases/cases.repository.ts';
import { listDecisions } from '../decisions/decisions.repository.ts';
import { recordVoteWinners } from '../decisions/decisions.service.ts';
import { ballotProblem, voteResult, type VoteOption } from '../voting.ts';
import * as repo from './voting.repository.ts';

/** What people vote on: every case the panel has not decided, at its requested cost. */
async function voteOptions(db: Queryable, programmeId: string): Promise<VoteOption[]> {
  const [cases, decisions] = await Promise.all([listCases(db, programmeId), listDecisions(db, programmeId)]);
  const decided = new Set(decisions.filter((d) => d.source === 'panel').map((d) => d.caseId));
  return cases.filter((c) => !decided.has(c.id)).map((c) => ({ id: c.id, title: c.teamName, costPence: c.requestedPence, submittedAt: new Date(c.createdAt).toISOString() }));
}

export async function currentResult(db: Queryable, programme: Programme) {
  const [options, ballots] = await Promise.all([voteOptions(db, programme.id), repo.listBallots(db, programme.id)]);
  return { ...voteResult(options, ballots.map((b) => b.caseIds), programme.votePotPence), ballots: ballots.length, options };
}

/** The manager puts part of the fund to a vote, by approval (up to N) or by budget. */
export async function configureVote(db: Database, actor: Actor, access: ProgrammeAccess, programmeId: string, s: { votePot: number; voteMethod: 'approval' | 'budget'; voteMaxChoices: number; voteOpen: boolean }, ip?: string): Promise<void> {
  requireManager(access);
  await db.transaction(async (tx) => {
    const programme = (await getProgramme(tx, programmeId, { lock: true }))!;
    if (programme.voteAppliedAt) throw refuse.conflict('form', 'The vote’s result has been applied, so its settings can no longer change');
    if (s.voteOpen) requireStage(programme, 'vote', 'voteOpen');
    const position = await fundPosition(tx, programme);
    const available = programme.fundPence - position.awardedPence;
    if (s.votePot > available) throw refuse.invalid('votePot', `The amount put to the vote cannot be more than the ${formatPence(available)} not yet awarded`);
    await repo.updateVoteSettings(tx, programmeId, { votePotPence: s.votePot, voteMethod: s.voteMethod, voteMaxChoices: s.voteMaxChoices, voteOpen: s.voteOpen });
    await recordAudit(tx, { actor, action: 'vote_configured', recordType: 'programme', recordId: programmeId, ip, details: { vote_pot_pence: s.votePot, vote_method: s.voteMethod, vote_max_choices: s.voteMaxChoices, vote_open: s.voteOpen } });
  });
}

export async function castBallot(db: Database, actor: Actor, access: ProgrammeAccess, programme: Programme, caseIds: string[], ip?: string): Promise<void> {
  if (!isMember(access)) throw refuse.forbidden('Only people taking part in the programme can vote.');
  requireStage(programme, 'vote');
  if (!programme.voteOpen || programme.voteAppliedAt) throw refuse.conflict('form', 'The community vote is not open');
  const options = await voteOptions(db, programme.id);
  const problem = ballotProblem(programme.voteMethod, caseIds, options, programme.voteMaxChoices, programme.votePotPence);
  if (problem) throw refuse.invalid('caseIds', problem);
  await db.transaction(async (tx) => {
    await repo.saveBallot(tx, programme.id, actor.userId, caseIds);
    await recordAudit(tx, { actor, action: 'voted', recordType: 'programme', recordId: programme.id, ip, details: { choices: caseIds.length } });
  });
}

/** Closes the vote and records its winners as decisions, within the fund. */
export async function applyVote(db: Database, actor: Actor, access: ProgrammeAccess, programmeId: string, ip?: string): Promise<void> {
  requireManager(access);
  await db.transaction(async (tx) => {
    const programme = (await getProgramme(tx, programmeId, { lock: true }))!;
    requireStage(programme, 'decide', 'form');
    if (programme.voteAppliedAt) throw refuse.conflict('form', 'The vote’s result has been applied already');
    if (programme.votePotPence <= 0) throw refuse.conflict('form', 'No part of the fund has been put to a vote');
    const result = await currentResult(tx, programme);
    await recordVoteWinners(tx, actor, programmeId, result.rows.filter((r) => r.funded).map((r) => ({ caseId: r.id, votes: r.votes })), ip);
    await repo.markVoteApplied(tx, programmeId);
    await recordAudit(tx, { actor, action: 'vote_applied', recordType: 'programme', recordId: programmeId, ip, details: { allocated_pence: result.allocatedPence, ballots: result.ballots } });
  });
}
