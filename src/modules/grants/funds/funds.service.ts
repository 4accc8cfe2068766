import type { Actor } from '../../../platform/actor.ts';
import { isAdmin, organisationsWithRole } from '../../../platform/actor.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { drawChart, everyMonth, monthLabel, type Chart } from '../../../platform/charts.ts';
import type { Database } from '../../../platform/db/database.ts';
import { ukToday } from '../../../platform/dates.ts';
import { formatPence } from '../../../platform/money.ts';
import { refuse } from '../../../platform/refusal.ts';
import { canManageFund, canSetUpFunds } from '../grants.policy.ts';
import * as repo from './funds.repository.ts';
import { DEFAULT_LETTER_TEMPLATE, type FundInput } from './funds.schemas.ts';

/** The funder organisations this person may run funds for (null: any, for admins). */
export function funderScope(actor: Actor): string[] | null {
  return isAdmin(actor) ? null : organisationsWithRole(actor, 'grants_manager');
}

export async function listFundsFor(db: Database, actor: Actor) {
  if (!canSetUpFunds(actor)) return [];
  return repo.listFunds(db, funderScope(actor));
}

export async function createFund(db: Database, actor: Actor, input: FundInput, ip: string): Promise<string> {
  if (!canSetUpFunds(actor) || !canManageFund(actor, { funderOrganisationId: input.funderOrganisationId }))
    throw refuse.forbidden('You can set up funds only for the organisation you are a grants manager in.', 'funderOrganisationId');
  if (!(await repo.organisationExists(db, input.funderOrganisationId))) throw refuse.invalid('funderOrganisationId', 'Choose a funder organisation from the directory');
  return db.transaction(async (tx) => {
    const id = await repo.insertFund(tx, { ...input, letterTemplate: input.letterTemplate || DEFAULT_LETTER_TEMPLATE }, actor.userId);
    await recordAudit(tx, { actor, action: 'created', recordType: 'grant_fund', recordId: id, ip, details: { name: input.name, totalPence: input.total } });
    return id;
  });
}

/** A fund the actor runs, or a refusal. */
export async function openFund(db: Database, actor: Actor, fundId: string): Promise<repo.Fund> {
  const fund = await repo.findFund(db, fundId);
  if (!fund) throw refuse.notFound('Fund');
  if (!canManageFund(actor, fund)) throw refuse.forbidden('Only the grants managers of this fund’s funder can see it.');
  return fund;
}

const dashboards = new Map<string, { figures: Awaited<ReturnType<typeof repo.fundFigures>>; grants: Awaited<ReturnType<typeof repo.fundGrants>> }>();

/** Charts drawn recently, by their specification: the same figures are not drawn twice. */
const charts = new Map<string, string>();
async function cachedChart(chart: Chart): Promise<string> {
  const key = JSON.stringify(chart);
  const found = charts.get(key);
  if (found) return found;
  const svg = await drawChart(chart);
  if (charts.size > 200) charts.delete(charts.keys().next().value!);
  charts.set(key, svg);
  return svg;
}

/** The date every grant's work must end by: the set number of months before the spend-out date. */
export function workDeadline(fund: Pick<repo.Fund, 'spendOutOn' | 'endMonthsBeforeSpendOut'>): string | null {
  if (!fund.spendOutOn) return null;
  const [y, m, d] = fund.spendOutOn.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1 - fund.endMonthsBeforeSpendOut, 1, 12));
  const last = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0, 12)).getUTCDate();
  date.setUTCDate(Math.min(d, last));
  return date.toISOString().slice(0, 10);
}

export const stageNames: Record<string, string> = { awarded: 'Awarded', in_delivery: 'In delivery', closing: 'Closing', closed: 'Closed' };

/** The spend-out planning dashboard: figures, the grants at risk, and a timeline towards the spend-out date. */
export async function fundDashboard(db: Database, actor: Actor, fundId: string, ip: string) {
  const fund = await openFund(db, actor, fundId);
  const today = ukToday();
  const deadline = workDeadline(fund);
  // Worked out over every grant, tranche and report of the fund: kept until the grants data changes
  // (a counter the database bumps on every change, so two app processes agree) or the day turns.
  const key = `${fund.id}:${await repo.changesVersion(db)}:${today}:${deadline}:${fund.totalPence}`;
  let cached = dashboards.get(key);
  if (!cached) {
    cached = { figures: await repo.fundFigures(db, fund.id, today, deadline), grants: await repo.fundGrants(db, fund.id, 100) };
    if (dashboards.size > 100) dashboards.delete(dashboards.keys().next().value!);
    dashboards.set(key, cached);
  }
  const { figures, grants } = cached;
  const stageOrder = Object.keys(stageNames);
  figures.stages.sort((a, b) => stageOrder.indexOf(a.stage) - stageOrder.indexOf(b.stage));
  const toPayPence = figures.committedPence - figures.paidPence - figures.underspendPence;
  // Forecast underspend: what is not committed yet, plus what grants have handed back.
  const forecastUnderspendPence = fund.totalPence - figures.committedPence + figures.underspendPence;
  const first = figures.months[0]?.month ?? today.slice(0, 7);
  const last = [figures.months.at(-1)?.month, fund.spendOutOn?.slice(0, 7), today.slice(0, 7)].filter((m): m is string => !!m).sort().at(-1)!;
  const byMonth = new Map(figures.months.map((m) => [m.month, m]));
  let paid = 0;
  let scheduled = 0;
  const timeline = everyMonth(first, last).map((month) => {
    const m = byMonth.get(month);
    paid += m?.paidPence ?? 0;
    scheduled += (m?.paidPence ?? 0) + (m?.duePence ?? 0);
    return { month, label: monthLabel(month), paidPence: paid, scheduledPence: scheduled };
  });
  const chart = await cachedChart({
    title: `Money paid and scheduled, month by month${fund.spendOutOn ? ', towards the spend-out date' : ''}`,
    description: `By ${timeline.at(-1)?.label ?? 'now'}, ${formatPence(paid)} paid and ${formatPence(scheduled)} scheduled in all, of a fund of ${formatPence(fund.totalPence)}.`,
    spec: {
      width: 560,
      height: 240,
      data: {
        values: timeline.flatMap((t) => [
          { month: t.label, order: t.month, series: 'Paid', pounds: t.paidPence / 100 },
          { month: t.label, order: t.month, series: 'Scheduled (paid and to pay)', pounds: t.scheduledPence / 100 },
        ]),
      },
      layer: [
        {
          mark: { type: 'line', point: true },
          encoding: {
            x: { field: 'month', type: 'ordinal', sort: { field: 'order' }, title: null },
            y: { field: 'pounds', type: 'quantitative', title: 'Pounds (cumulative)' },
            color: { field: 'series', type: 'nominal', title: null },
          },
        },
        ...(fund.spendOutOn
          ? [{ mark: { type: 'rule' as const, color: '#d5281b', strokeDash: [6, 4] }, encoding: { x: { datum: monthLabel(fund.spendOutOn.slice(0, 7)), type: 'ordinal' as const } } }]
          : []),
      ],
    } as never,
  });
  await recordAudit(db, { actor, action: 'viewed', recordType: 'grant_fund', recordId: fund.id, ip });
  return { fund, today, deadline, figures, toPayPence, forecastUnderspendPence, timeline, chart, grants };
}
