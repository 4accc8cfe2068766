import { drawChart } from '../../../platform/charts.ts';
import type { Help } from './needs-offers.repository.ts';

/** Who helped whom: each helping organisation against each team it helped, with the number of needs taken up. */
export function helpedChart(help: Help[]): Promise<string> | string {
  const pairs = new Map<string, { helper: string; team: string; needs: number; crossing: boolean }>();
  for (const h of help) {
    const helper = h.helperOrganisation ?? h.helperName ?? 'Someone';
    const key = `${helper}\u0000${h.teamName}`;
    const crossing = !!h.helperOrganisation && !(h.helpedOrganisations ?? '').split('; ').includes(h.helperOrganisation);
    const found = pairs.get(key) ?? { helper, team: h.teamName, needs: 0, crossing };
    found.needs += 1;
    pairs.set(key, found);
  }
  const values = [...pairs.values()].map((p) => ({ ...p, across: p.crossing ? 'From another organisation' : 'From within the team’s organisations' }));
  if (!values.length) return '';
  return drawChart({
    title: 'Who helped whom',
    description: values.map((v) => `${v.helper} helped ${v.team} with ${v.needs} need${v.needs === 1 ? '' : 's'} (${v.across.toLowerCase()})`).join('. ') + '.',
    spec: {
      data: { values },
      width: { step: 170 },
      height: { step: 40 },
      encoding: {
        x: { field: 'team', type: 'nominal', title: 'Team helped', axis: { orient: 'top', labelAngle: 0, labelLimit: 165 } },
        y: { field: 'helper', type: 'nominal', title: 'Helped by', axis: { labelLimit: 0 } },
      },
      layer: [
        { mark: { type: 'rect', stroke: '#ffffff', strokeWidth: 2 }, encoding: { color: { field: 'across', type: 'nominal', title: null, legend: { labelLimit: 0, orient: 'bottom', direction: 'vertical' }, scale: { range: ['#005eb8', '#768692'] }, sort: ['From another organisation', 'From within the team’s organisations'] } } },
        { mark: { type: 'text', fontSize: 15, fontWeight: 'bold', color: '#ffffff' }, encoding: { text: { field: 'needs', type: 'quantitative' } } },
      ],
    },
  });
}
