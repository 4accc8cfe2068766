import { describe, expect, it } from 'vitest';
import { drawChart, everyMonth, monthLabel } from './charts.ts';

describe('charts drawn on the server', () => {
  it('draws an accessible SVG with its title, description, axes and no inline styles', async () => {
    const svg = await drawChart({
      title: 'Referrals each month',
      description: 'January 2026: 3; February 2026: 0; March 2026: 5',
      spec: {
        data: { values: everyMonth('2026-01', '2026-03').map((month, i) => ({ month: monthLabel(month), referrals: [3, 0, 5][i] })) },
        mark: 'bar',
        encoding: { x: { field: 'month', type: 'ordinal', sort: null, title: 'Month' }, y: { field: 'referrals', type: 'quantitative', title: 'Referrals' } },
      },
    });
    expect(svg).toMatch(/^<svg[^>]* role="img" aria-labelledby="(chart-\d+)-title \1-desc"/);
    expect(svg).toMatch(/viewBox="0 0 [\d.]+ [\d.]+"/);
    expect(svg.match(/^<svg[^>]*>/)![0].match(/ class=/g)).toHaveLength(1); // a second class attribute would be dropped
    expect(svg).toMatch(/^<svg[^>]* class="[^"]*\bcg-chart\b/);
    expect(svg).toContain('<title id=');
    expect(svg).toContain('February 2026: 0');
    expect(svg).toContain('Feb 2026'); // the empty month is still on the axis
    expect(svg).toContain('Referrals');
    expect(svg).not.toMatch(/style="/);
    expect(svg).not.toMatch(/role="graphics-/); // the marks inside one image carry no roles of their own
  });

  it('lists every month between two, across a year end', () => {
    expect(everyMonth('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthLabel('2026-01')).toBe('Jan 2026');
  });
});
