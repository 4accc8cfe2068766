import type { Actor } from '../../../platform/actor.ts';
import { recordAudit } from '../../../platform/audit.ts';
import type { Database } from '../../../platform/db/database.ts';
import { isCalendarDate, ukToday } from '../../../platform/dates.ts';
import { formatPence, parseMoney } from '../../../platform/money.ts';
import { refuse } from '../../../platform/refusal.ts';
import { linesOf } from '../grants.schemas.ts';
import { openGrantToManage, refuseIfClosed } from '../awards/awards.service.ts';
import { findFund } from '../funds/funds.repository.ts';
import { setStage } from '../awards/awards.repository.ts';
import * as repo from './payments.repository.ts';

/** "2026-01-15, £5,000, on receipt of the 6-month report" lines → tranches; each fault names its line. */
export function readSchedule(text: string): { amountPence: number; dueOn: string; condition: string }[] {
  const rows = linesOf(text).map((line, i) => {
    const [date, amount, ...rest] = line.split(',').map((p) => p.trim());
    const n = i + 1;
    if (!date || !isCalendarDate(date)) throw refuse.invalid('schedule', `Tranche ${n} must start with its due date, like 2026-01-15 (it starts “${date ?? ''}”)`);
    // Amounts may have thousands commas: the amount runs until the first part that is not money.
    let amountText = amount ?? '';
    let tail = rest;
    while (tail.length && /^\d{3}(\.\d{1,2})?$/.test(tail[0])) {
      amountText += `,${tail[0]}`;
      tail = tail.slice(1);
    }
    const money = parseMoney(amountText, `The amount of tranche ${n}`);
    if (!money.ok) throw refuse.invalid('schedule', money.message);
    if (money.pence === 0) throw refuse.invalid('schedule', `Tranche ${n} must be more than £0`);
    return { dueOn: date, amountPence: money.pence, condition: tail.join(', ') };
  });
  if (!rows.length) throw refuse.invalid('schedule', 'Enter at least one tranche');
  for (let i = 1; i < rows.length; i++) {
    if (rows[i].dueOn < rows[i - 1].dueOn) throw refuse.invalid('schedule', `Tranche ${i + 1} is due before tranche ${i}: list them in date order`);
  }
  return rows;
}

/** Sets the payment schedule; it must add up exactly to the award, and nothing may be released yet. */
export async function setSchedule(db: Database, actor: Actor, grantId: string, text: string, ip: string) {
  const grant = await openGrantToManage(db, actor, grantId);
  refuseIfClosed(grant);
  const rows = readSchedule(text);
  const total = rows.reduce((s, r) => s + r.amountPence, 0);
  if (total !== grant.amountPence) {
    throw refuse.invalid('schedule', `The tranches add up to ${formatPence(total)}, not the ${formatPence(grant.amountPence)} awarded (${total > grant.amountPence ? `${formatPence(total - grant.amountPence)} too much` : `${formatPence(grant.amountPence - total)} short`})`);
  }
  const current = await repo.tranches(db, grant.id);
  if (current.some((t) => t.status !== 'scheduled')) throw refuse.conflict('schedule', 'A tranche has been released or paid already, so the schedule can no longer be replaced.');
  await db.transaction(async (tx) => {
    await repo.replaceSchedule(tx, grant.id, rows);
    await recordAudit(tx, { actor, action: 'scheduled_payments', recordType: 'grant', recordId: grant.id, ip, details: { tranches: rows.map((r) => ({ dueOn: r.dueOn, amountPence: r.amountPence })) } });
  });
}

async function trancheOf(db: Database, actor: Actor, grantId: string, trancheId: string) {
  const grant = await openGrantToManage(db, actor, grantId);
  refuseIfClosed(grant);
  const tranche = await repo.findTranche(db, grant.id, trancheId);
  if (!tranche) throw refuse.notFound('Tranche');
  return { grant, tranche };
}

const movedFirst = () => refuse.conflict('form', 'Someone else changed this tranche first. Check it as it is now.');

/** Releases a tranche: at or below the fund's threshold it is approved at once; above it, it waits for a second grants manager. */
export async function releaseTranche(db: Database, actor: Actor, grantId: string, trancheId: string, ip: string): Promise<'approved' | 'awaiting_approval'> {
  const { grant, tranche } = await trancheOf(db, actor, grantId, trancheId);
  if (tranche.status !== 'scheduled') throw refuse.conflict('form', 'This tranche has been released already.');
  const fund = (await findFund(db, grant.fundId))!;
  const needsSecond = tranche.amountPence > fund.approvalThresholdPence;
  const to = needsSecond ? 'awaiting_approval' : 'approved';
  await db.transaction(async (tx) => {
    // At or below the threshold, releasing it is its approval: no second name is recorded.
    if (!(await repo.moveTranche(tx, tranche.id, 'scheduled', to, { releasedBy: actor.userId }))) throw movedFirst();
    await recordAudit(tx, { actor, action: 'released_tranche', recordType: 'grant', recordId: grant.id, ip, details: { trancheId: tranche.id, amountPence: tranche.amountPence, needsSecondApproval: needsSecond } });
  });
  return to;
}

/** A second grants manager approves a released tranche above the threshold. */
export async function approveTranche(db: Database, actor: Actor, grantId: string, trancheId: string, ip: string) {
  const { grant, tranche } = await trancheOf(db, actor, grantId, trancheId);
  if (tranche.status !== 'awaiting_approval') throw refuse.conflict('form', 'This tranche is not waiting for approval.');
  if (tranche.releasedBy === actor.userId) throw refuse.forbidden('You released this tranche, so a second grants manager must approve it.');
  await db.transaction(async (tx) => {
    if (!(await repo.moveTranche(tx, tranche.id, 'awaiting_approval', 'approved', { approvedBy: actor.userId }))) throw movedFirst();
    await recordAudit(tx, { actor, action: 'approved_tranche', recordType: 'grant', recordId: grant.id, ip, details: { trancheId: tranche.id, amountPence: tranche.amountPence } });
  });
}

/** Records an approved tranche as paid, with the date and the payment reference. */
export async function recordPayment(db: Database, actor: Actor, grantId: string, trancheId: string, input: { paidOn: string; paymentReference: string }, ip: string) {
  const { grant, tranche } = await trancheOf(db, actor, grantId, trancheId);
  if (tranche.status !== 'approved') throw refuse.conflict(`paidOn-${tranche.id}`, tranche.status === 'paid' ? 'This tranche is paid already.' : 'This tranche must be released and approved before it is paid.');
  if (input.paidOn > ukToday()) throw refuse.invalid(`paidOn-${tranche.id}`, 'The date paid cannot be in the future');
  if (input.paidOn < grant.awardDate) throw refuse.invalid(`paidOn-${tranche.id}`, 'The date paid cannot be before the grant was awarded');
  await db.transaction(async (tx) => {
    if (!(await repo.moveTranche(tx, tranche.id, 'approved', 'paid', input))) throw movedFirst();
    if (grant.stage === 'awarded') await setStage(tx, grant.id, 'in_delivery');
    await recordAudit(tx, { actor, action: 'paid_tranche', recordType: 'grant', recordId: grant.id, ip, details: { trancheId: tranche.id, amountPence: tranche.amountPence, ...input } });
  });
}
