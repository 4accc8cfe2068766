import type { Database } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/actor.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { addDays, ukToday } from '../../../platform/dates.ts';
import { refuse } from '../../../platform/refusal.ts';
import { article6, article9, confidentiality, flowTypes, identifiability, itemName } from '../catalogue.ts';
import { canManageSharing } from '../information-sharing.policy.ts';
import { residuals } from '../dpia/dpia.schemas.ts';
import { stateBySignatures, stateNames } from '../agreements/agreements.service.ts';
import * as repo from './evidence.repository.ts';

/*
 * Evidence for the Data Security and Protection Toolkit: every agreement (status, parties and
 * signatures, review due or overdue), every flow, every DPIA (status, highest residual risk) and
 * how often people's records were read, by organisation and role, over a chosen period.
 */

/** A review is "due" within this many days of its date, "overdue" after it. */
export const REVIEW_DUE_DAYS = 90;
const dpiaStatusNames: Record<string, string> = { draft: 'Draft', awaiting_approval: 'Waiting for approval', approved: 'Approved' };
const rank = { low: 1, medium: 2, high: 3 } as const;

export async function evidenceReport(db: Database, actor: Actor, query: { from?: string; to?: string }, ip: string | null, now = new Date()) {
  if (!canManageSharing(actor)) throw refuse.forbidden('Only information governance leads and partnership admins can see the toolkit evidence.');
  const on = ukToday(now);
  const to = query.to ?? on;
  const from = query.from ?? addDays(to, -365);
  if (from > to) throw refuse.badParameter('querystring.from', 'The start of the period must be on or before its end');
  const [agreementRows, flowRows, access] = await Promise.all([repo.agreementsForEvidence(db), repo.flowsForEvidence(db), repo.recordAccess(db, from, to)]);
  const agreements = agreementRows.map((a) => {
    const signed = a.parties.filter((p) => p.signed).length;
    const state = stateBySignatures(a, signed, a.parties.length, on);
    const status = state === 'awaiting_signatures' ? `Waiting for signatures (${signed} of ${a.parties.length})` : stateNames[state];
    const review = !a.reviewOn || (a.endOn && on >= a.endOn) ? null : a.reviewOn < on ? 'overdue' : a.reviewOn <= addDays(on, REVIEW_DUE_DAYS) ? 'due' : 'scheduled';
    const highest = (a.dpiaRisks ?? []).reduce<keyof typeof rank | null>((h, r) => (r.residual in rank && (!h || rank[r.residual as keyof typeof rank] > rank[h]) ? (r.residual as keyof typeof rank) : h), null);
    return {
      ...a,
      status,
      review,
      dpiaStatusName: a.dpiaStatus ? dpiaStatusNames[a.dpiaStatus] : 'No DPIA',
      residualRisk: highest ? residuals[highest] : a.dpiaStatus ? 'No risks recorded' : '',
    };
  });
  const flows = flowRows.map((f) => ({
    ...f,
    flowTypeName: f.flowType ? (flowTypes[f.flowType as keyof typeof flowTypes]?.name ?? f.flowType) : '',
    identifiabilityName: identifiability[f.identifiability as keyof typeof identifiability] ?? f.identifiability,
    article6Name: f.article6 ? (article6[f.article6 as keyof typeof article6] ?? f.article6) : 'Not recorded',
    article9Name: f.article9 ? (article9[f.article9 as keyof typeof article9] ?? f.article9) : '',
    confidentialityName: f.confidentialityBasis ? (confidentiality[f.confidentialityBasis as keyof typeof confidentiality] ?? f.confidentialityBasis) : '',
    optOut: f.optOutApplies === null ? 'Not answered' : f.optOutApplies ? 'Applies' : 'Does not apply',
    items: f.dataItems.map(itemName).join(', '),
  }));
  await recordAudit(db, { actor, action: 'viewed', recordType: 'sharing_evidence_report', recordId: null, ip, details: { from, to } });
  return {
    on,
    from,
    to,
    agreements,
    flows,
    access,
    reviewsOverdue: agreements.filter((a) => a.review === 'overdue').length,
    reviewsDue: agreements.filter((a) => a.review === 'due').length,
    dpiasMissing: agreements.filter((a) => !a.dpiaStatus).length,
  };
}

type Report = Awaited<ReturnType<typeof evidenceReport>>;

export const evidenceColumns = ['section', 'name', 'status', 'detail', 'date', 'count'];

/** The report as rows for the CSV: one section after another. */
export function evidenceRows(r: Report): string[][] {
  return [
    ...r.agreements.map((a) => ['agreement', a.title, a.status, a.parties.map((p) => `${p.name}: ${p.signed ? `signed by ${p.signedByName} on ${p.signedAt}` : 'not signed'}`).join('; '), a.reviewOn ? `review ${a.reviewOn}${a.review === 'overdue' || a.review === 'due' ? ` (${a.review})` : ''}` : 'no review date', String(a.flows)]),
    ...r.flows.map((f) => ['flow', `${f.agreementTitle}: ${f.fromName} to ${f.toName}`, f.identifiabilityName, [f.flowTypeName, f.items, f.article6Name, f.article9Name, f.confidentialityName, `national data opt-out: ${f.optOut}`].filter(Boolean).join('; '), '', '']),
    ...r.agreements.map((a) => ['dpia', a.title, a.dpiaStatusName, a.residualRisk ? `highest residual risk: ${a.residualRisk}` : '', '', String((a.dpiaRisks ?? []).length)]),
    ...r.access.map((x) => ['record access', `${x.organisationName ?? 'No organisation'} (${x.role ?? 'no role'})`, `${x.people} people, ${x.readers} readers`, `reads of people's records ${r.from} to ${r.to}`, '', String(x.reads)]),
  ];
}
