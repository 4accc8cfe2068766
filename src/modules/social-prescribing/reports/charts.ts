/**
 * Small server-rendered SVG bar charts: no script, no inline styles (the CSP forbids them), a
 * title and description for screen readers, and the numbers printed on each bar. Each chart sits
 * beside a table of the same figures.
 */

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const COLOURS = ['#005eb8', '#007f3b', '#d5281b', '#ffb81c', '#330072'];

type ChartBar = { label: string; value: number };

export function barChart(bars: ChartBar[], title: string): string {
  if (!bars.length) return '';
  const rowHeight = 28;
  const labelWidth = 260;
  const width = 640;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const height = bars.length * rowHeight + 8;
  const rows = bars
    .map((b, i) => {
      const y = i * rowHeight + 4;
      const w = Math.max(1, Math.round(((width - labelWidth - 60) * b.value) / max));
      return `<text x="${labelWidth - 8}" y="${y + 17}" text-anchor="end" font-size="14" fill="#212b32">${esc(b.label.length > 34 ? `${b.label.slice(0, 33)}…` : b.label)}</text>
<rect x="${labelWidth}" y="${y + 3}" width="${w}" height="${rowHeight - 8}" fill="${COLOURS[0]}"><title>${esc(b.label)}: ${b.value}</title></rect>
<text x="${labelWidth + w + 6}" y="${y + 17}" font-size="14" fill="#212b32">${b.value}</text>`;
    })
    .join('\n');
  const desc = bars.map((b) => `${b.label}: ${b.value}`).join('; ');
  return `<svg class="cg-chart" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-labelledby="t-${slug(title)} d-${slug(title)}" xmlns="http://www.w3.org/2000/svg"><title id="t-${slug(title)}">${esc(title)}</title><desc id="d-${slug(title)}">${esc(desc)}</desc>${rows}</svg>`;
}

/** Several values per label (such as received, accepted and declined each month), with a key. */
export function groupedBarChart(groups: { label: string; values: number[] }[], series: string[], title: string): string {
  if (!groups.length) return '';
  const width = 640;
  const chartHeight = 200;
  const top = 30;
  const max = Math.max(1, ...groups.flatMap((g) => g.values));
  const groupWidth = (width - 40) / groups.length;
  const barWidth = Math.max(2, Math.min(24, (groupWidth - 6) / series.length));
  const key = series.map((s, i) => `<rect x="${40 + i * 130}" y="6" width="14" height="14" fill="${COLOURS[i % COLOURS.length]}"></rect><text x="${58 + i * 130}" y="18" font-size="13" fill="#212b32">${esc(s)}</text>`).join('');
  const bars = groups
    .map((g, gi) => {
      const x0 = 40 + gi * groupWidth;
      const rects = g.values
        .map((v, si) => {
          const h = Math.round((chartHeight * v) / max);
          return `<rect x="${x0 + si * barWidth}" y="${top + chartHeight - h}" width="${barWidth - 1}" height="${h}" fill="${COLOURS[si % COLOURS.length]}"><title>${esc(g.label)} ${esc(series[si])}: ${v}</title></rect>`;
        })
        .join('');
      return `${rects}<text x="${x0}" y="${top + chartHeight + 16}" font-size="11" fill="#212b32">${esc(g.label.slice(2))}</text>`;
    })
    .join('\n');
  const desc = groups.map((g) => `${g.label}: ${g.values.map((v, i) => `${series[i]} ${v}`).join(', ')}`).join('; ');
  const height = top + chartHeight + 24;
  return `<svg class="cg-chart" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-labelledby="t-${slug(title)} d-${slug(title)}" xmlns="http://www.w3.org/2000/svg"><title id="t-${slug(title)}">${esc(title)}</title><desc id="d-${slug(title)}">${esc(desc)}</desc>${key}<line x1="38" y1="${top + chartHeight}" x2="${width}" y2="${top + chartHeight}" stroke="#4c6272"></line>${bars}</svg>`;
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-');
