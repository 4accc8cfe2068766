import { drawChart, everyMonth, monthLabel } from '../../../platform/charts.ts';
import type { Report } from './reports.service.ts';

/**
 * The report's pictures, drawn with the platform's drawChart (Vega-Lite compiled to SVG on the
 * server). Each sits beside a table of the same figures.
 */

type Bar = { label: string; value: number };

/** Every month of the report, with nothing shown as nothing rather than left out. */
export function reportMonths(report: Pick<Report, 'from' | 'to' | 'byMonth'>) {
  return everyMonth(report.from.slice(0, 7), report.to.slice(0, 7)).map((month) => {
    const found = report.byMonth.find((m) => m.month === month);
    return { month, label: monthLabel(month), received: found?.received ?? 0, accepted: found?.accepted ?? 0, declined: found?.declined ?? 0 };
  });
}

function barChart(bars: Bar[], title: string, axisTitle: string): Promise<string> | string {
  if (!bars.length) return '';
  return drawChart({
    title,
    description: bars.map((b) => `${b.label}: ${b.value}`).join('. ') + '.',
    spec: {
      width: 420,
      height: { step: 28 },
      data: { values: bars },
      layer: [
        { mark: { type: 'bar' }, encoding: { y: { field: 'label', type: 'nominal', sort: null, title: null, axis: { labelLimit: 0 } }, x: { field: 'value', type: 'quantitative', title: axisTitle, axis: { tickMinStep: 1, format: 'd' } } } },
        { mark: { type: 'text', align: 'left', dx: 4, fontSize: 13, color: '#212b32' }, encoding: { y: { field: 'label', type: 'nominal', sort: null }, x: { field: 'value', type: 'quantitative' }, text: { field: 'value' } } },
      ],
    },
  });
}

function monthChart(months: ReturnType<typeof reportMonths>): Promise<string> | string {
  if (!months.length) return '';
  const series = ['Received', 'Accepted', 'Declined'];
  const values = months.flatMap((m) => [
    { month: m.label, order: m.month, series: 'Received', n: m.received },
    { month: m.label, order: m.month, series: 'Accepted', n: m.accepted },
    { month: m.label, order: m.month, series: 'Declined', n: m.declined },
  ]);
  return drawChart({
    title: 'Referrals by month',
    description: months.map((m) => `${m.label}: ${m.received} received, ${m.accepted} accepted, ${m.declined} declined`).join('. ') + '.',
    spec: {
      width: { step: 12 },
      height: 220,
      data: { values },
      mark: { type: 'bar' },
      encoding: {
        x: { field: 'month', type: 'ordinal', sort: { field: 'order' }, title: null, axis: { labelAngle: -45 } },
        xOffset: { field: 'series', sort: series },
        y: { field: 'n', type: 'quantitative', title: 'Referrals', axis: { tickMinStep: 1, format: 'd' } },
        color: { field: 'series', type: 'nominal', sort: series, title: null, scale: { range: ['#005eb8', '#007f3b', '#d5281b'] } },
      },
    },
  });
}

/** Each measure's average first score and average latest score, joined: a dumbbell, no names. */
function changeChart(m: Report['outcomeChange'][number]): Promise<string> {
  const values = m.items.flatMap((i) => [
    { item: i.label, when: 'First measure', score: i.first },
    { item: i.label, when: 'Latest measure', score: i.latest },
  ]);
  return drawChart({
    title: `${m.measure}: first and latest scores (${m.people} people)`,
    description:
      m.items.map((i) => `${i.label}: average ${i.first} at first, ${i.latest} at the latest measure (${i.change > 0 ? '+' : ''}${i.change}; better when ${i.betterWhen})`).join('. ') + '.',
    spec: {
      width: 420,
      height: { step: 36 },
      data: { values },
      encoding: { y: { field: 'item', type: 'nominal', sort: null, title: null, axis: { labelLimit: 0 } } },
      layer: [
        { mark: { type: 'line', color: '#aeb7bd', strokeWidth: 4 }, encoding: { x: { field: 'score', type: 'quantitative', title: 'Average score', scale: { zero: false, nice: true } }, detail: { field: 'item' } } },
        {
          mark: { type: 'point', filled: true, size: 140, opacity: 1 },
          encoding: {
            x: { field: 'score', type: 'quantitative' },
            color: { field: 'when', type: 'nominal', title: null, legend: { labelLimit: 0 }, sort: ['First measure', 'Latest measure'], scale: { range: ['#768692', '#005eb8'] } },
            shape: { field: 'when', type: 'nominal', legend: null, sort: ['First measure', 'Latest measure'], scale: { range: ['circle', 'diamond'] } },
          },
        },
      ],
    },
  });
}

export async function reportCharts(report: Report) {
  const months = reportMonths(report);
  const [byMonth, bySource, byReason, outcomes, days, changes] = await Promise.all([
    report.byMonth.length ? monthChart(months) : '',
    barChart(report.bySource, 'Referrals by source', 'Referrals'),
    barChart(report.byReason, 'Referrals by reason', 'Referrals'),
    barChart(report.outcomes, 'Triage outcome', 'Referrals'),
    barChart(report.daysToFirstContact.buckets, 'Days from referral to first contact', 'Referrals'),
    Promise.all(report.outcomeChange.map(changeChart)),
  ]);
  return { months, charts: { byMonth, bySource, byReason, outcomes, days, changes } };
}
