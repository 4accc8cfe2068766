/**
 * Charts drawn on the server: a Vega-Lite specification compiled to SVG in Node, so a page needs no
 * script and the CSP (no inline styles, no other hosts) holds. Each chart is an `<svg role="img">`
 * with a title and a description for screen readers; pages put the same figures in a table beside it.
 */
import type { TopLevelSpec } from 'vega-lite';

// Loaded when the first chart is drawn, not at start: together they hold about 40 MB, which counts
// against the embedded database's memory on a small server, and most processes never draw a chart.
let chartLibraries: Promise<[typeof import('vega'), typeof import('vega-lite')]> | undefined;
const loadChartLibraries = () => (chartLibraries ??= Promise.all([import('vega'), import('vega-lite')]));

/** NHS.UK colours, in the order series take them. */
export const chartColours = ['#005eb8', '#007f3b', '#ffb81c', '#d5281b', '#330072', '#768692', '#ae2573', '#00a499'];

const look = {
  font: 'Arial, sans-serif',
  background: '#ffffff',
  padding: 8,
  // The whole chart is one image with a title and description; marks inside carry no roles of their own.
  aria: false,
  range: { category: chartColours },
  axis: { labelFontSize: 13, titleFontSize: 14, labelColor: '#212b32', titleColor: '#212b32', gridColor: '#d8dde0', domainColor: '#4c6272', tickColor: '#4c6272' },
  legend: { labelFontSize: 13, titleFontSize: 14, labelColor: '#212b32', titleColor: '#212b32', orient: 'bottom', labelLimit: 400 },
  title: { fontSize: 16, color: '#212b32', anchor: 'start' },
  view: { stroke: null },
  bar: { color: chartColours[0] },
  line: { color: chartColours[0], strokeWidth: 3 },
  point: { color: chartColours[0], filled: true, size: 60 },
} as const;

export type Chart = {
  /** Read out first by a screen reader; also drawn at the top of the chart. */
  title: string;
  /** What the chart shows in words, e.g. the figures or the trend, for people who cannot see it. */
  description: string;
  /** A Vega-Lite specification, data inline (`data: { values }`); its title and look are set here. */
  spec: TopLevelSpec;
};

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

let chartCount = 0;

/** The chart as an SVG element to place in a page (mark it `| safe` in a template). */
export async function drawChart(chart: Chart): Promise<string> {
  const [vega, vegaLite] = await loadChartLibraries();
  const spec = { ...chart.spec, title: chart.title, config: look } as TopLevelSpec;
  const compiled = vegaLite.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  // Vega still gives mark containers roles of their own; inside one role="img" they would need names.
  const svg = (await view.toSVG()).replace(/ (role="graphics-[a-z-]+"|aria-roledescription="[^"]*"|aria-label="[^"]*")/g, '');
  view.finalize();
  const id = `chart-${++chartCount}`;
  // Scale with the page: keep the drawing's own size as the viewBox, let CSS set the width.
  return svg.replace(/^<svg([^>]*?) width="([\d.]+)" height="([\d.]+)"([^>]*)>/, (_all, before: string, width: string, height: string, after: string) => {
    // Vega marks the root `class="marks"`: keep it, add ours (a second class attribute would be dropped).
    const attributes = `${before}${after}`.replace(/ viewBox="[^"]*"/, '').replace(/ class="([^"]*)"/, '');
    const classes = /class="([^"]*)"/.exec(`${before}${after}`)?.[1];
    return `<svg${attributes} viewBox="0 0 ${width} ${height}" class="${classes ? `${classes} ` : ''}cg-chart" role="img" aria-labelledby="${id}-title ${id}-desc" focusable="false"><title id="${id}-title">${escapeXml(chart.title)}</title><desc id="${id}-desc">${escapeXml(chart.description)}</desc>`;
  });
}

/**
 * Every month from the first to the last, so months with nothing show as nothing rather than
 * disappearing from a chart. Months are `YYYY-MM`.
 */
export function everyMonth(from: string, to: string): string[] {
  const months: string[] = [];
  let [year, month] = from.split('-').map(Number) as [number, number];
  const [lastYear, lastMonth] = to.split('-').map(Number) as [number, number];
  while (year < lastYear || (year === lastYear && month <= lastMonth)) {
    months.push(`${year}-${String(month).padStart(2, '0')}`);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return months;
}

/** "Jan 2026" for `2026-01`: how people read a month on an axis. */
export function monthLabel(month: string): string {
  const [year, number] = month.split('-').map(Number) as [number, number];
  return `${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][number - 1]} ${year}`;
}
