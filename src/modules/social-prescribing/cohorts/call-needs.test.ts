import { describe, expect, it } from 'vitest';
import { needs } from '../../directory/index.ts';
import { drawChart } from '../../../platform/charts.ts';
import { callNeeds, directoryNeedOf } from './call-needs.ts';
import { progressChart } from './progress-chart.ts';

describe('needs found on an outreach call', () => {
  it('maps every choice on the call to a need of the directory, so each finds services', () => {
    for (const n of callNeeds) expect(needs.map((x) => x.id)).toContain(directoryNeedOf(n.code)!.need.id);
    expect(directoryNeedOf('shopping')!.need.code).toBe('practical-help-at-home');
    expect(directoryNeedOf('someone_to_talk_to')!.need.code).toBe('loneliness');
    expect(directoryNeedOf('unicorns')).toBeNull();
  });

  it('draws each worker’s progress with the figures in words for people who cannot see the chart', async () => {
    const counts = { not_called: 3, no_answer: 1, no_needs: 4, needs_support: 2, declined: 0 };
    const svg = await drawChart(progressChart('Shielding list', [{ workerId: 'a', name: 'Lee Linkworker', counts, total: 10, called: 7 }]));
    expect(svg).toContain('Lee Linkworker: not called yet 3, no answer yet 1, called: no needs 4, called: needs support 2, declined 0');
    expect(svg).toContain('role="img"');
    expect(svg).not.toMatch(/style="/);
  });
});
