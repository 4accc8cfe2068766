import type { Actor } from '../../../platform/actor.ts';
import { recordAudit } from '../../../platform/audit.ts';
import type { Database } from '../../../platform/db/database.ts';
import { formatDate, ukToday } from '../../../platform/dates.ts';
import { formatPence } from '../../../platform/money.ts';
import { refuse } from '../../../platform/refusal.ts';
import { canSignFor } from '../grants.policy.ts';
import { setStage } from '../awards/awards.repository.ts';
import { openGrant, openGrantToManage, refuseIfClosed } from '../awards/awards.service.ts';
import { findFund } from '../funds/funds.repository.ts';
import { tranches } from '../payments/payments.repository.ts';
import { reports } from '../reports/reports.repository.ts';
import * as repo from './closure.repository.ts';
import type { ChecklistInput } from './closure.schemas.ts';
import { fillTemplate, fingerprintOf, letterPdf } from './letter.ts';

export async function saveChecklist(db: Database, actor: Actor, grantId: string, input: ChecklistInput, ip: string) {
  const grant = await openGrantToManage(db, actor, grantId);
  refuseIfClosed(grant);
  const scheduled = await tranches(db, grant.id);
  const unpaid = scheduled.filter((t) => t.status !== 'paid').reduce((s, t) => s + t.amountPence, 0);
  const underspend = input.underspend ?? 0;
  if (underspend > grant.amountPence) throw refuse.invalid('underspend', `The underspend cannot be more than the ${formatPence(grant.amountPence)} awarded`);
  if (underspend > 0 && !input.underspendOutcome) throw refuse.invalid('underspendOutcome', 'Choose whether the underspend was returned or reallocated');
  if (input.finalReportReviewed && !(await reports(db, grant.id)).some((r) => r.kind === 'final' && r.status === 'accepted'))
    throw refuse.invalid('finalReportReviewed', 'Accept the final report before ticking it as reviewed');
  if (input.spendReconciled && unpaid !== underspend)
    throw refuse.invalid('spendReconciled', `Spend does not reconcile: ${formatPence(unpaid)} of the schedule is unpaid but the underspend recorded is ${formatPence(underspend)}`);
  await db.transaction(async (tx) => {
    await repo.saveChecklist(tx, grant.id, input);
    await repo.setUnderspend(tx, grant.id, underspend, underspend > 0 ? input.underspendOutcome! : null);
    await recordAudit(tx, { actor, action: 'updated_closure_checklist', recordType: 'grant', recordId: grant.id, ip, details: { ...input } });
  });
}

/** Drafts the closure letter from the fund's template with the checklist's sections; the grant moves to closing. */
export async function draftLetter(db: Database, actor: Actor, grantId: string, ip: string) {
  const grant = await openGrantToManage(db, actor, grantId);
  refuseIfClosed(grant);
  const fund = (await findFund(db, grant.fundId))!;
  const c = await repo.checklist(db, grant.id);
  if (!c) throw refuse.conflict('form', 'Fill in the closure checklist first: the letter’s sections come from it.');
  const due = (await reports(db, grant.id)).filter((r) => r.status === 'due');
  const body = fillTemplate(fund.letterTemplate, {
    recipient: grant.recipientName,
    grantId: grant.reference,
    title: grant.title,
    amountPence: grant.amountPence,
    funder: grant.funderName,
    fund: fund.name,
    awardDate: grant.awardDate,
    reporting: due.length ? `${due.length} report(s) are still due.` : 'All reports have been received, including the final report, and no further reporting is required.',
    money: grant.underspendPence
      ? `${formatPence(grant.amountPence - grant.underspendPence)} was paid. The underspend of ${formatPence(grant.underspendPence)} was ${grant.underspendOutcome}.`
      : `The grant of ${formatPence(grant.amountPence)} was paid in full and spent as agreed.`,
    intellectualProperty: c.intellectualProperty,
    personalData: c.personalData,
    communications: c.communications,
    assets: c.assets,
    meeting: c.meetingNotes,
  });
  await db.transaction(async (tx) => {
    await repo.lockLetter(tx, grant.id);
    const version = ((await repo.letterVersions(tx, grant.id))[0]?.version ?? 0) + 1;
    await repo.insertVersion(tx, grant.id, version, body, fingerprintOf(body), version === 1 ? 'First draft from the fund’s template' : 'Drafted again from the template', actor.userId);
    if (grant.stage !== 'closing') await setStage(tx, grant.id, 'closing');
    await recordAudit(tx, { actor, action: 'drafted_closure_letter', recordType: 'grant', recordId: grant.id, ip, details: { version } });
  });
}

async function latestVersion(db: Database, grantId: string) {
  const versions = await repo.letterVersions(db, grantId);
  if (!versions.length) throw refuse.conflict('form', 'There is no closure letter yet.');
  return versions[0];
}

/** Either party comments on the current version, with suggested wording if they like. */
export async function commentOnLetter(db: Database, actor: Actor, grantId: string, input: { comment: string; suggestedText: string }, ip: string) {
  const grant = await openGrant(db, actor, grantId);
  refuseIfClosed(grant);
  const current = await latestVersion(db, grant.id);
  await db.transaction(async (tx) => {
    await repo.insertComment(tx, current.id, actor.userId, input.comment, input.suggestedText);
    await recordAudit(tx, { actor, action: 'commented_on_closure_letter', recordType: 'grant', recordId: grant.id, ip, details: { version: current.version } });
  });
}

/** The funder saves a new version (taking in suggested edits); signatures on older versions stop counting. */
export async function reviseLetter(db: Database, actor: Actor, grantId: string, input: { body: string; note: string }, ip: string) {
  const grant = await openGrantToManage(db, actor, grantId);
  refuseIfClosed(grant);
  const current = await latestVersion(db, grant.id);
  const body = input.body.replace(/\r\n/g, '\n');
  if (body === current.body) throw refuse.invalid('body', 'The letter is the same as the current version: change it, or leave it as it is');
  await db.transaction(async (tx) => {
    await repo.lockLetter(tx, grant.id);
    const version = (await repo.letterVersions(tx, grant.id))[0].version + 1;
    await repo.insertVersion(tx, grant.id, version, body, fingerprintOf(body), input.note, actor.userId);
    await recordAudit(tx, { actor, action: 'revised_closure_letter', recordType: 'grant', recordId: grant.id, ip, details: { version, note: input.note } });
  });
}

/** Signs the current version for one party. The signature names the version's fingerprint; a letter changed since it was read is refused. */
export async function signLetter(db: Database, actor: Actor, grantId: string, input: { party: 'funder' | 'grantee'; typedName: string; signerRole: string; signedOn: string; fingerprint: string }, ip: string) {
  const grant = await openGrant(db, actor, grantId);
  refuseIfClosed(grant);
  if (!canSignFor(actor, grant, input.party))
    throw refuse.forbidden(input.party === 'funder' ? 'Only the fund’s grants managers can sign for the funder.' : `Only editors of ${grant.recipientName} can sign for the grantee.`, 'party');
  if (input.signedOn > ukToday()) throw refuse.invalid('signedOn', 'The date of signing cannot be in the future');
  await db.transaction(async (tx) => {
    await repo.lockLetter(tx, grant.id);
    const current = (await repo.letterVersions(tx, grant.id))[0];
    if (!current) throw refuse.conflict('typedName', 'There is no closure letter to sign yet.');
    if (current.fingerprint !== input.fingerprint)
      throw refuse.conflict('typedName', `The letter has changed since you read it: version ${current.version} is now the current one. Read it again, then sign it.`);
    if (!(await repo.insertSignature(tx, current.id, input, actor.userId))) throw refuse.conflict('typedName', `The ${input.party} has signed version ${current.version} already.`);
    await recordAudit(tx, { actor, action: 'signed_closure_letter', recordType: 'grant', recordId: grant.id, ip, details: { version: current.version, fingerprint: current.fingerprint, party: input.party, typedName: input.typedName } });
  });
}

/** What still stands between the grant and closing. */
export function closureBlockers(c: repo.Checklist | undefined, versions: repo.LetterVersion[]): string[] {
  const out: string[] = [];
  if (!c?.finalReportReviewed) out.push('the final report has not been reviewed');
  if (!c?.spendReconciled) out.push('spend has not been reconciled');
  if (!c?.meetingNotes) out.push('there are no notes of the closure meeting or call');
  const current = versions[0];
  if (!current) out.push('there is no closure letter');
  else {
    for (const party of ['funder', 'grantee'] as const) {
      const s = current.signatures.find((x) => x.party === party && x.fingerprint === current.fingerprint);
      if (!s) out.push(`the ${party} has not signed the current version (${current.version}) of the letter`);
    }
  }
  return out;
}

export async function closeGrant(db: Database, actor: Actor, grantId: string, ip: string) {
  const grant = await openGrantToManage(db, actor, grantId);
  refuseIfClosed(grant);
  const blockers = closureBlockers(await repo.checklist(db, grant.id), await repo.letterVersions(db, grant.id));
  if (blockers.length) throw refuse.conflict('form', `The grant cannot close yet: ${blockers.join('; ')}.`);
  await db.transaction(async (tx) => {
    await setStage(tx, grant.id, 'closed');
    await recordAudit(tx, { actor, action: 'closed', recordType: 'grant', recordId: grant.id, ip });
  });
}

/** The current letter as a PDF with both parties' signatures (or "not signed yet"). */
export async function letterAsPdf(db: Database, actor: Actor, grantId: string, ip: string) {
  const grant = await openGrant(db, actor, grantId);
  const current = await latestVersion(db, grant.id);
  await recordAudit(db, { actor, action: 'downloaded_closure_letter', recordType: 'grant', recordId: grant.id, ip, details: { version: current.version } });
  const pdf = await letterPdf({
    title: `Closure letter: ${grant.title}`,
    version: current.version,
    body: current.body,
    fingerprint: current.fingerprint,
    funder: grant.funderName,
    recipient: grant.recipientName,
    signatures: current.signatures.filter((s) => s.fingerprint === current.fingerprint),
  });
  return { pdf, filename: `closure-letter-${grant.reference}-v${current.version}.pdf`, signedOn: formatDate(new Date()) };
}
