import type { Actor } from '../../../platform/actor.ts';
import { recordAudit } from '../../../platform/audit.ts';
import type { Database } from '../../../platform/db/database.ts';
import { ukToday } from '../../../platform/dates.ts';
import { formatPence } from '../../../platform/money.ts';
import { refuse } from '../../../platform/refusal.ts';
import { budgetLines, findGrant, insertBudgetVersion, type Grant } from '../awards/awards.repository.ts';
import { openGrantAsGrantee, openGrantToManage, refuseIfClosed } from '../awards/awards.service.ts';
import { findFund, type Fund } from '../funds/funds.repository.ts';
import * as repo from './changes.repository.ts';

/** The first day of the late window: the fund's set number of months before the grant ends. */
function lateWindowStart(grant: Pick<Grant, 'plannedEnd'>, fund: Pick<Fund, 'lateWindowMonths'>): string {
  const [y, m, d] = grant.plannedEnd.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1 - fund.lateWindowMonths, Math.min(d, 28), 12));
  return date.toISOString().slice(0, 10);
}

/**
 * A small late move: in the last months of the grant, and within both of the fund's limits (a
 * percentage of the grant and an amount). The manager approves it alone; anything else needs two.
 */
export function isSmallLateMove(change: Pick<repo.ChangeRequest, 'kind' | 'amountPence'>, grant: Pick<Grant, 'amountPence' | 'plannedEnd'>, fund: Pick<Fund, 'lateMovePercent' | 'lateMoveMaxPence' | 'lateWindowMonths'>, today: string): boolean {
  if (change.kind !== 'move' || !change.amountPence) return false;
  return today >= lateWindowStart(grant, fund) && change.amountPence * 100 <= grant.amountPence * fund.lateMovePercent && change.amountPence <= fund.lateMoveMaxPence;
}

export async function requestMove(db: Database, actor: Actor, grantId: string, input: { fromLineId: string; toLineId: string; amount: number; reason: string }, ip: string) {
  const grant = await openGrantAsGrantee(db, actor, grantId);
  refuseIfClosed(grant);
  const lines = await budgetLines(db, grant.id);
  const from = lines.find((l) => l.id === input.fromLineId);
  const to = lines.find((l) => l.id === input.toLineId);
  if (!from) throw refuse.invalid('fromLineId', 'Choose a budget line of this grant to move money from');
  if (!to) throw refuse.invalid('toLineId', 'Choose a budget line of this grant to move money to');
  if (from.id === to.id) throw refuse.invalid('toLineId', 'Choose a different budget line to move the money to');
  if (input.amount <= 0) throw refuse.invalid('amount', 'The amount to move must be more than £0');
  if (input.amount > from.amountPence) throw refuse.invalid('amount', `“${from.description}” has only ${formatPence(from.amountPence)} to move`);
  await db.transaction(async (tx) => {
    const id = await repo.insertChange(tx, grant.id, { kind: 'move', fromLineId: from.id, toLineId: to.id, amountPence: input.amount, reason: input.reason }, actor.userId);
    await recordAudit(tx, { actor, action: 'requested_change', recordType: 'grant', recordId: grant.id, ip, details: { changeId: id, kind: 'move', amountPence: input.amount } });
  });
}

export async function requestExtension(db: Database, actor: Actor, grantId: string, input: { newEndOn: string; reason: string }, ip: string) {
  const grant = await openGrantAsGrantee(db, actor, grantId);
  refuseIfClosed(grant);
  if (input.newEndOn <= grant.plannedEnd) throw refuse.invalid('newEndOn', `The new end date must be after the current end date, ${grant.plannedEnd}`);
  await db.transaction(async (tx) => {
    const id = await repo.insertChange(tx, grant.id, { kind: 'extend', newEndOn: input.newEndOn, reason: input.reason }, actor.userId);
    await recordAudit(tx, { actor, action: 'requested_change', recordType: 'grant', recordId: grant.id, ip, details: { changeId: id, kind: 'extend', newEndOn: input.newEndOn } });
  });
}

/** Approves or declines a change with a reason; an approved change makes a new version of the budget. */
export async function decideChange(db: Database, actor: Actor, grantId: string, changeId: string, input: { decision: 'approve' | 'decline'; decisionReason: string }, ip: string): Promise<'approved' | 'declined' | 'needs_second'> {
  const grant = await openGrantToManage(db, actor, grantId);
  refuseIfClosed(grant);
  const change = (await repo.changeRequests(db, grant.id)).find((c) => c.id === changeId);
  if (!change) throw refuse.notFound('Change request');
  if (change.status !== 'pending') throw refuse.conflict('decision', `This request was ${change.status} already.`);
  const fund = (await findFund(db, grant.fundId))!;
  return db.transaction(async (tx) => {
    if (input.decision === 'decline') {
      if (!(await repo.decide(tx, change.id, 'declined', input.decisionReason, actor.userId))) throw refuse.conflict('decision', 'Someone else decided this request first.');
      await recordAudit(tx, { actor, action: 'declined_change', recordType: 'grant', recordId: grant.id, ip, details: { changeId: change.id, reason: input.decisionReason } });
      return 'declined' as const;
    }
    const alone = change.kind === 'move' && isSmallLateMove(change, grant, fund, ukToday());
    if (!alone && !change.firstApprovedBy) {
      if (!(await repo.firstApproval(tx, change.id, actor.userId))) throw refuse.conflict('decision', 'Someone else approved this request first.');
      await recordAudit(tx, { actor, action: 'first_approved_change', recordType: 'grant', recordId: grant.id, ip, details: { changeId: change.id, reason: input.decisionReason } });
      return 'needs_second' as const;
    }
    if (!alone && change.firstApprovedBy === actor.userId) throw refuse.forbidden('You gave the first approval, so a second grants manager must give the second.', 'decision');
    const current = (await findGrant(tx, grant.id, { lock: true }))!;
    if (change.kind === 'move') {
      if (!(await repo.moveMoney(tx, grant.id, change.fromLineId!, change.toLineId!, change.amountPence!)))
        throw refuse.conflict('decision', `“${change.fromLine}” no longer has ${formatPence(change.amountPence)} to move.`);
    } else {
      await repo.extendGrant(tx, grant.id, change.newEndOn!);
    }
    if (!(await repo.decide(tx, change.id, 'approved', input.decisionReason, actor.userId))) throw refuse.conflict('decision', 'Someone else decided this request first.');
    const version = (await repo.latestBudgetVersion(tx, grant.id)) + 1;
    const what = change.kind === 'move' ? `Moved ${formatPence(change.amountPence)} from “${change.fromLine}” to “${change.toLine}”` : `End date moved to ${change.newEndOn}`;
    await insertBudgetVersion(tx, grant.id, version, await budgetLines(tx, grant.id), change.newEndOn ?? current.plannedEnd, `${what}: ${change.reason}`, actor.userId);
    await recordAudit(tx, { actor, action: 'approved_change', recordType: 'grant', recordId: grant.id, ip, details: { changeId: change.id, kind: change.kind, alone, budgetVersion: version, reason: input.decisionReason } });
    return 'approved' as const;
  });
}
