import { drawChart } from '../../../platform/charts.ts';
import { formatPence } from '../../../platform/money.ts';
import type { FundPosition } from '../programmes/programmes.repository.ts';

/** The fund as one bar: awarded, held for the community vote, and what remains for the panel. */
export function fundChart(position: FundPosition): Promise<string> {
  const parts = [
    { part: 'Awarded', pounds: position.awardedPence / 100, order: 1 },
    ...(position.heldForVotePence > 0 ? [{ part: 'Held for the community vote', pounds: position.heldForVotePence / 100, order: 2 }] : []),
    { part: 'Remaining', pounds: position.remainingPence / 100, order: 3 },
  ];
  return drawChart({
    title: `The fund: ${formatPence(position.awardedPence)} awarded of ${formatPence(position.fundPence)}`,
    description: parts.map((p) => `${p.part}: ${formatPence(Math.round(p.pounds * 100))}`).join('. ') + '.',
    spec: {
      width: 560,
      height: 56,
      data: { values: parts },
      mark: { type: 'bar' },
      encoding: {
        x: { field: 'pounds', type: 'quantitative', stack: 'zero', title: 'Pounds', scale: { domain: [0, Math.max(position.fundPence / 100, 1)] }, axis: { format: ',.0f', labelExpr: "'£' + datum.label" } },
        color: { field: 'part', type: 'nominal', title: null, sort: parts.map((p) => p.part), scale: { range: parts.length === 3 ? ['#007f3b', '#ffb81c', '#aeb7bd'] : ['#007f3b', '#aeb7bd'] } },
        order: { field: 'order', type: 'quantitative' },
        tooltip: [{ field: 'part' }, { field: 'pounds', format: ',.2f' }],
      },
    },
  });
}
