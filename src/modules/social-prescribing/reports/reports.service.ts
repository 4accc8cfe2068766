import type { Database } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/actor.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { addDays } from '../../../platform/dates.ts';
import { refuse } from '../../../platform/refusal.ts';
import { needs } from '../../directory/index.ts';
import * as reports from './reports.repository.ts';
import * as peopleRepo from '../people/people.repository.ts';
import { canSeeReportOf, canSeeReports, reportScope } from '../social-prescribing.policy.ts';
import { RESPOND_WITHIN_DAYS } from '../connect/referral-deadlines.ts';
import { ons4Questions } from '../measures/scoring.ts';
import { onwardOutcomeNames } from '../labels.ts';
import { today as ukToday, type Clock } from '../people/people.service.ts';

/** The commissioner's report: what came in, what happened, how long it took, and what changed. */

type Bar = { label: string; value: number };
export type Report = {
  scopeName: string;
  from: string;
  to: string;
  bySource: Bar[];
  byReason: Bar[];
  byMonth: { month: string; received: number; accepted: number; declined: number }[];
  outcomes: Bar[];
  daysToFirstContact: { count: number; median: number | null; mean: number | null; buckets: Bar[] };
  onward: { organisation: string; kind: string; outcome: string; n: number }[];
  outcomeChange: { measure: string; people: number; items: { label: string; first: number; latest: number; change: number; betterWhen: 'higher' | 'lower' }[] }[];
};

const sourceNames: Record<string, string> = { gp: 'GP practice', other_organisation: 'Other organisation', self: 'Self-referral' };
const outcomeNames: Record<string, string> = {
  new: 'Waiting for triage',
  accepted: 'Accepted',
  'declined:person_declined': 'Declined by the person',
  'declined:not_eligible': 'Not eligible',
  'declined:could_not_contact': 'Could not contact after three attempts',
};

const round1 = (n: number) => Math.round(n * 10) / 10;
const mean = (xs: number[]) => (xs.length ? round1(xs.reduce((s, x) => s + x, 0) / xs.length) : null);
function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : round1((s[mid - 1] + s[mid]) / 2);
}

function defaultRange(clock?: Clock): { from: string; to: string } {
  const to = ukToday(clock);
  return { from: `${addDays(to, -364).slice(0, 7)}-01`, to };
}

export async function buildReport(db: Database, actor: Actor, input: { pcnId?: string; from?: string; to?: string }, ip: string | null, clock?: Clock): Promise<Report> {
  if (!canSeeReports(actor)) throw refuse.forbidden('Reports are for partnership admins, analysts, programme managers and link workers.');
  const allowed = reportScope(actor);
  const range = defaultRange(clock);
  const from = input.from ?? range.from;
  const to = input.to ?? range.to;
  let pcnIds: string[] | 'all';
  if (!input.pcnId || input.pcnId === 'all') {
    pcnIds = allowed;
  } else {
    if (!canSeeReportOf(actor, input.pcnId)) throw refuse.forbidden('You can see reports only for your own PCN.');
    pcnIds = [input.pcnId];
  }
  const f = { pcnIds, from, to };
  const today = ukToday(clock);
  const [bySource, byReason, byMonth, outcomes, days, onward, changes] = await Promise.all([
    reports.referralsBySource(db, f),
    reports.referralsByReason(db, f),
    reports.referralsByMonth(db, f),
    reports.referralOutcomes(db, f),
    reports.daysToFirstContact(db, f),
    reports.onwardByOrganisation(db, f, addDays(today, -RESPOND_WITHIN_DAYS)),
    reports.measureChanges(db, f),
  ]);
  const scopeName = pcnIds === 'all' ? 'The whole partnership' : pcnIds.length === 1 ? ((await peopleRepo.listPcns(db, [pcnIds[0]]))[0]?.name ?? 'PCN') : `${pcnIds.length} PCNs`;
  await recordAudit(db, { actor, action: 'viewed', recordType: 'sp_report', recordId: null, ip, details: { pcnIds, from, to } });

  const ons = changes.filter((c) => c.measure === 'ons4');
  const ucla = changes.filter((c) => c.measure === 'ucla3');
  const outcomeChange: Report['outcomeChange'] = [];
  if (ons.length) {
    outcomeChange.push({
      measure: 'ONS4 personal wellbeing',
      people: ons.length,
      items: ons4Questions.map((q, i) => {
        const first = mean(ons.map((c) => c.firstAnswers[i]))!;
        const latest = mean(ons.map((c) => c.latestAnswers[i]))!;
        return { label: { life_satisfaction: 'Life satisfaction', worthwhile: 'Worthwhile', happiness: 'Happiness', anxiety: 'Anxiety' }[q.item], first, latest, change: round1(latest - first), betterWhen: q.item === 'anxiety' ? 'lower' : 'higher' };
      }),
    });
  }
  if (ucla.length) {
    const first = mean(ucla.map((c) => c.firstScore ?? 0))!;
    const latest = mean(ucla.map((c) => c.latestScore ?? 0))!;
    outcomeChange.push({ measure: 'UCLA 3-item loneliness', people: ucla.length, items: [{ label: 'Loneliness total (3–9)', first, latest, change: round1(latest - first), betterWhen: 'lower' }] });
  }

  return {
    scopeName,
    from,
    to,
    bySource: bySource.map((r) => ({ label: sourceNames[r.source] ?? r.source, value: r.n })),
    byReason: byReason.map((r) => ({ label: needs.find((n) => n.id === r.reason)?.name ?? 'Other', value: r.n })),
    byMonth,
    outcomes: outcomes.map((r) => ({ label: outcomeNames[r.declineReason ? `${r.status}:${r.declineReason}` : r.status] ?? r.status, value: r.n })),
    daysToFirstContact: {
      count: days.length,
      median: median(days),
      mean: mean(days),
      buckets: [
        { label: 'Same day to 2 days', value: days.filter((d) => d <= 2).length },
        { label: '3 to 7 days', value: days.filter((d) => d >= 3 && d <= 7).length },
        { label: '8 to 14 days', value: days.filter((d) => d >= 8 && d <= 14).length },
        { label: 'More than 14 days', value: days.filter((d) => d > 14).length },
      ],
    },
    onward: onward.map((r) => ({ organisation: r.organisationName, kind: r.kind, outcome: onwardOutcomeNames[r.outcome] ?? r.outcome, n: r.n })),
    outcomeChange,
  };
}

/** The PCNs a report can be narrowed to: all of them for the partnership's reporters, or the actor's own. */
export async function reportPcns(db: Database, actor: Actor) {
  const scope = reportScope(actor);
  return { wholePartnership: scope === 'all', pcns: await peopleRepo.listPcns(db, scope === 'all' ? undefined : scope) };
}

/** The report as CSV rows: section, label, value (and extra columns where a section has them). */
export function reportRows(r: Report): string[][] {
  const rows: string[][] = [['section', 'label', 'value', 'detail']];
  rows.push(['scope', r.scopeName, '', `${r.from} to ${r.to}`]);
  for (const b of r.bySource) rows.push(['referrals by source', b.label, String(b.value), '']);
  for (const b of r.byReason) rows.push(['referrals by reason', b.label, String(b.value), '']);
  for (const m of r.byMonth) rows.push(['referrals by month', m.month, String(m.received), `accepted ${m.accepted}; declined ${m.declined}`]);
  for (const b of r.outcomes) rows.push(['triage outcome', b.label, String(b.value), '']);
  rows.push(['days to first contact', 'median', r.daysToFirstContact.median === null ? '' : String(r.daysToFirstContact.median), `${r.daysToFirstContact.count} referrals`]);
  rows.push(['days to first contact', 'mean', r.daysToFirstContact.mean === null ? '' : String(r.daysToFirstContact.mean), '']);
  for (const b of r.daysToFirstContact.buckets) rows.push(['days to first contact', b.label, String(b.value), '']);
  for (const o of r.onward) rows.push(['onward referrals', `${o.organisation}: ${o.outcome}`, String(o.n), o.kind]);
  for (const m of r.outcomeChange) for (const i of m.items) rows.push(['outcome change', `${m.measure}: ${i.label}`, String(i.change), `first ${i.first}, latest ${i.latest}, ${m.people} people; better when ${i.betterWhen}`]);
  return rows;
}
