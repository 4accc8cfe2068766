import type { Actor } from '../../../platform/actor.ts';
import { recordAudit } from '../../../platform/audit.ts';
import type { Chart } from '../../../platform/charts.ts';
import type { Database } from '../../../platform/db/database.ts';
import { refuse } from '../../../platform/refusal.ts';
import { canUseInsight } from '../insight.policy.ts';
import { ageBands, financialYearLabel, settings, type SettingCode } from '../settings.ts';
import type { InsightStore } from '../store/insight-store.ts';
import * as repo from './analysis.repository.ts';
import { suppress, suppressedText, type Suppressible } from './suppression.ts';
import type { AnalysisQuery } from './analysis.schemas.ts';

/** A column of a figures table: how its cells read on the page and in the download. */
export type Column = { key: string; label: string; kind: 'text' | 'count' | 'money' | 'share' };
export type FigureRow = Record<string, string | number | boolean | null> & { suppressed?: boolean };

/** What every analysis page, download and API answer is made of: suppressed before it leaves here. */
export type Figures = {
  slug: string;
  title: string;
  /** Plain-English findings above the chart ("2.4% of people account for half the cost"). */
  findings: string[];
  columns: Column[];
  rows: FigureRow[];
  chart: Chart | null;
  filters: repo.Filters & { measure: repo.Measure };
  smallNumber: number;
  /** Whether any figure was hidden, so the page can say why. */
  anySuppressed: boolean;
  years: number[];
};

const pounds = (n: number) => `£${Math.round(n).toLocaleString('en-GB')}`;
const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
const measureName: Record<repo.Measure, string> = { health: 'health', social: 'social care', both: 'health and social care' };
const settingName = (code: string) => settings[code as SettingCode]?.name ?? code;

type Definition = {
  title: string;
  compute(store: InsightStore, f: repo.Filters, measure: repo.Measure, small: number): Promise<Omit<Figures, 'slug' | 'title' | 'filters' | 'smallNumber' | 'anySuppressed' | 'years'>>;
};

/**
 * The one way every analysis makes its table: figures about fewer than `small` people hidden, with
 * a second one in the same group (`groupOf`) where a total would give the first away; hidden rows
 * keep their labels and every number about people or cost in them is blanked. `after` finishes a
 * row once it is marked (the cost page puts back the age band's population).
 */
function table<T extends Suppressible>(found: T[], columns: Column[], small: number, groupOf?: (row: T) => string, after: (row: T & { suppressed: boolean }) => object = (row) => row): FigureRow[] {
  return (suppress(found, small, groupOf).map(after) as FigureRow[]).map((row) =>
    row.suppressed ? (Object.fromEntries(Object.entries(row).map(([k, v]) => [k, columns.find((c) => c.key === k)?.kind === 'text' || k === 'suppressed' ? v : null])) as FigureRow) : row);
}

/** The chart, drawn only from the rows the table shows (those `charted` picks), so it cannot show more than the table; none when nothing is shown. */
function chartOf(rows: FigureRow[], draw: (shown: FigureRow[]) => Chart, charted: (row: FigureRow) => boolean = () => true): Chart | null {
  const shown = rows.filter((r) => !r.suppressed && charted(r));
  return shown.length ? draw(shown) : null;
}

export const analyses: Record<string, Definition> = {
  cost: {
    title: 'Cost by setting and age',
    async compute(store, f, _measure, small) {
      const { cells, bands } = await repo.costBySettingAndAge(store, f);
      const columns: Column[] = [
        { key: 'side', label: 'Side', kind: 'text' },
        { key: 'setting', label: 'Setting', kind: 'text' },
        { key: 'ageBand', label: 'Age band', kind: 'text' },
        { key: 'people', label: 'People in the age band', kind: 'count' },
        { key: 'users', label: 'People who used it', kind: 'count' },
        { key: 'cost', label: 'Cost', kind: 'money' },
        { key: 'perHead', label: 'Cost per head', kind: 'money' },
      ];
      const rows = table(
        cells.map((c) => ({ side: c.side === 'health' ? 'Health' : 'Social care', setting: settingName(c.setting), ageBand: c.ageBand, people: c.users, users: c.users, cost: c.cost, perHead: c.people ? c.cost / c.people : 0 })),
        columns,
        small,
        (r) => r.setting,
        (r) => ({ ...r, people: bands.find((b) => b.ageBand === r.ageBand)?.people ?? 0 }),
      );
      const total = cells.reduce((a, c) => a + c.cost, 0);
      const population = bands.reduce((a, b) => a + b.people, 0);
      return {
        findings: population >= small ? [`Total cost ${pounds(total)} for ${population.toLocaleString('en-GB')} people: ${pounds(total / population)} a head.`] : [],
        columns,
        rows,
        chart: chartOf(rows, (shown) => ({
          title: 'Cost per head by setting and age band',
          description: shown.map((r) => `${r.setting}, ${r.ageBand}: ${pounds(Number(r.perHead))} a head`).join('; '),
          spec: {
            data: { values: shown },
            mark: 'bar',
            encoding: {
              y: { field: 'setting', type: 'nominal', title: null, sort: null },
              x: { field: 'perHead', type: 'quantitative', title: 'Cost per head (£)', stack: 'zero' },
              color: { field: 'ageBand', type: 'ordinal', title: 'Age band', sort: [...ageBands] },
            },
            width: 560,
          },
        })),
      };
    },
  },
  concentration: {
    title: 'How concentrated the cost is',
    async compute(store, f, measure, small) {
      const c = await repo.concentration(store, f, measure);
      const columns: Column[] = [
        { key: 'by', label: 'By', kind: 'text' },
        { key: 'group', label: 'Group', kind: 'text' },
        { key: 'band', label: 'Share of cumulative cost', kind: 'text' },
        { key: 'people', label: 'People', kind: 'count' },
        { key: 'cost', label: 'Cost', kind: 'money' },
        { key: 'min', label: 'Lowest cost', kind: 'money' },
        { key: 'mean', label: 'Mean cost', kind: 'money' },
        { key: 'max', label: 'Highest cost', kind: 'money' },
      ];
      const rows = table(c.bands, columns, small, (r) => `${r.by}|${r.group}`);
      const enough = c.people >= small;
      return {
        findings: enough && c.shareForHalf !== null ? [`${percent(c.shareForHalf)} of people account for half of the ${measureName[measure]} cost (${pounds(c.totalCost)} in all, ${c.people.toLocaleString('en-GB')} people).`] : [],
        columns,
        rows,
        chart: enough && c.totalCost > 0
          ? {
              title: `Share of ${measureName[measure]} cost held by the highest-cost people`,
              description: [0.01, 0.02, 0.05, 0.1, 0.2, 0.5].map((p) => `the highest-cost ${percent(p)} of people hold ${percent(c.curve.find((pt) => pt.peopleShare >= p)?.costShare ?? 1)} of the cost`).join('; '),
              spec: {
                data: { values: c.curve },
                layer: [
                  { mark: { type: 'line', interpolate: 'linear' }, encoding: { x: { field: 'peopleShare', type: 'quantitative', title: 'Share of people, highest cost first', axis: { format: '.0%' } }, y: { field: 'costShare', type: 'quantitative', title: 'Share of cost', axis: { format: '.0%' } } } },
                  { mark: { type: 'rule', strokeDash: [4, 4], color: '#d5281b' }, encoding: { y: { datum: 0.5 } } },
                ],
                width: 560,
                height: 300,
              },
            }
          : null,
      };
    },
  },
  'health-and-social-care': {
    title: 'High-resource people in health and social care',
    async compute(store, f, _measure, small) {
      const q = await repo.healthAndSocialCare(store, f);
      const columns: Column[] = [
        { key: 'health', label: 'Health', kind: 'text' },
        { key: 'social', label: 'Social care', kind: 'text' },
        { key: 'people', label: 'People', kind: 'count' },
        { key: 'peopleShare', label: 'Share of people', kind: 'share' },
        { key: 'cost', label: 'Cost', kind: 'money' },
        { key: 'costShare', label: 'Share of cost', kind: 'share' },
      ];
      const label = (high: boolean) => (high ? 'High-resource' : 'Not high-resource');
      const cells = [true, false].flatMap((health) => [true, false].map((social) => q.cells.find((c) => c.health === health && c.social === social) ?? { health, social, people: 0, cost: 0 }));
      const rows = table(cells.map((c) => ({ health: label(c.health), social: label(c.social), people: c.people, peopleShare: q.people ? c.people / q.people : 0, cost: c.cost, costShare: q.cost ? c.cost / q.cost : 0 })), columns, small);
      return {
        findings: [],
        columns,
        rows,
        chart: chartOf(
          rows,
          (shown) => ({
            title: 'People and cost in each group',
            description: shown.map((r) => `health ${r.health}, social care ${r.social}: ${percent(Number(r.peopleShare))} of people, ${percent(Number(r.costShare))} of cost`).join('; '),
            spec: {
              data: { values: shown.flatMap((r) => [{ group: `Health: ${r.health} / Social care: ${r.social}`, measure: 'Share of people', share: r.peopleShare }, { group: `Health: ${r.health} / Social care: ${r.social}`, measure: 'Share of cost', share: r.costShare }]) },
              mark: 'bar',
              encoding: {
                y: { field: 'group', type: 'nominal', title: null },
                yOffset: { field: 'measure' },
                x: { field: 'share', type: 'quantitative', title: 'Share', axis: { format: '.0%' } },
                color: { field: 'measure', type: 'nominal', title: null },
              },
              width: 520,
            },
          }),
          (r) => Number(r.people) > 0,
        ),
      };
    },
  },
  deprivation: {
    title: 'Cost by deprivation',
    async compute(store, f, measure, small) {
      const quintiles = await repo.deprivation(store, f, 'quintile', measure);
      const deciles = await repo.deprivation(store, f, 'decile', measure);
      const columns: Column[] = [
        { key: 'group', label: 'Deprivation (1 = most deprived)', kind: 'text' },
        { key: 'people', label: 'People', kind: 'count' },
        { key: 'cost', label: 'Cost', kind: 'money' },
        { key: 'perHead', label: 'Cost per head', kind: 'money' },
        { key: 'standardised', label: 'Cost per head, age-standardised', kind: 'money' },
      ];
      const asRows = (list: repo.DeprivationRow[], by: 'quintile' | 'decile') =>
        list.map((r) => ({ group: r[by] === null ? 'Not known' : `${by === 'quintile' ? 'Quintile' : 'Decile'} ${r[by]}`, people: r.people, cost: r.cost, perHead: r.people ? r.cost / r.people : 0, standardised: r.standardised ?? 0, by }));
      const rows = table([...asRows(quintiles, 'quintile'), ...asRows(deciles, 'decile')], columns, small, (r) => r.by);
      const q = (n: number) => rows.find((r) => r.group === `Quintile ${n}` && !r.suppressed);
      const most = q(1);
      const least = q(5);
      return {
        findings: most && least && Number(least.standardised) > 0 ? [`Age-standardised, the most deprived fifth cost ${(Number(most.standardised) / Number(least.standardised)).toFixed(2)} times as much a head as the least deprived fifth.`] : [],
        columns,
        rows,
        chart: chartOf(
          rows,
          (shown) => ({
            title: 'Cost per head by deprivation quintile, age-standardised',
            description: shown.map((r) => `${r.group}: ${pounds(Number(r.standardised))} a head`).join('; '),
            spec: { data: { values: shown }, mark: 'bar', encoding: { x: { field: 'group', type: 'ordinal', title: 'Deprivation quintile (1 = most deprived)', sort: null }, y: { field: 'standardised', type: 'quantitative', title: 'Cost per head (£)' } }, width: 480 },
          }),
          (r) => String(r.group).startsWith('Quintile'),
        ),
      };
    },
  },
  variation: {
    title: 'Variation by locality and GP practice',
    async compute(store, f, measure, small) {
      const localities = await repo.variation(store, f, 'locality', measure);
      const practices = await repo.variation(store, f, 'gp_practice', measure);
      const columns: Column[] = [
        { key: 'level', label: 'By', kind: 'text' },
        { key: 'area', label: 'Area', kind: 'text' },
        { key: 'people', label: 'People', kind: 'count' },
        { key: 'cost', label: 'Cost', kind: 'money' },
        { key: 'perHead', label: 'Cost per head', kind: 'money' },
        { key: 'outside', label: 'Outside the 99.8% limits', kind: 'text' },
      ];
      const limit = (n: number, z: number) => practices.mean + (z * practices.sd) / Math.sqrt(n);
      const asRows = (v: typeof localities, level: string) =>
        v.areas.map((a) => {
          const perHead = a.people ? a.cost / a.people : 0;
          return { level, area: a.area, people: a.people, cost: a.cost, perHead, outside: perHead > limit(a.people, 3.09) ? 'Above' : perHead < limit(a.people, -3.09) ? 'Below' : '' };
        });
      const rows = table([...asRows(localities, 'Locality'), ...asRows(practices, 'GP practice')], columns, small, (r) => r.level);
      return {
        findings: [],
        columns,
        rows,
        chart: chartOf(
          rows,
          (shownPractices) => {
            const sizes = shownPractices.map((r) => Number(r.people));
            const funnel = Array.from({ length: 40 }, (_, i) => Math.round(Math.min(...sizes) + ((Math.max(...sizes) - Math.min(...sizes)) * i) / 39)).filter((n) => n > 0);
            return {
              title: 'Cost per head by GP practice, against practice size (funnel plot)',
              description: `Mean ${pounds(practices.mean)} a head. ${shownPractices.map((r) => `${r.area}: ${pounds(Number(r.perHead))} a head for ${r.people} people${r.outside ? ` (${String(r.outside).toLowerCase()} the limits)` : ''}`).join('; ')}`,
              spec: {
                width: 560,
                height: 320,
                layer: [
                  { data: { values: funnel.flatMap((n) => [{ n, limit: limit(n, 1.96), which: '95% limits' }, { n, limit: limit(n, -1.96), which: '95% limits, lower' }, { n, limit: limit(n, 3.09), which: '99.8% limits' }, { n, limit: limit(n, -3.09), which: '99.8% limits, lower' }]) }, mark: { type: 'line', strokeDash: [4, 4] }, encoding: { x: { field: 'n', type: 'quantitative', title: 'People registered' }, y: { field: 'limit', type: 'quantitative', title: 'Cost per head (£)' }, detail: { field: 'which' }, color: { value: '#768692' } } },
                  { data: { values: shownPractices }, mark: 'point', encoding: { x: { field: 'people', type: 'quantitative' }, y: { field: 'perHead', type: 'quantitative' } } },
                ],
              },
            };
          },
          (r) => r.level === 'GP practice',
        ),
      };
    },
  },
  'last-year-of-life': {
    title: 'The last year of life',
    async compute(store, f, _measure, small) {
      const { rows: found, deaths } = await repo.lastYearOfLife(store, f);
      const columns: Column[] = [
        { key: 'monthsBefore', label: 'Months before death', kind: 'text' },
        { key: 'setting', label: 'Setting', kind: 'text' },
        { key: 'people', label: 'People', kind: 'count' },
        { key: 'cost', label: 'Cost', kind: 'money' },
      ];
      const rows = deaths < small ? [] : table(found.map((r) => ({ monthsBefore: String(r.monthsBefore), setting: settingName(r.setting), people: r.people, cost: r.cost })), columns, small, (r) => String(r.monthsBefore));
      return {
        findings: deaths >= small ? [`${deaths.toLocaleString('en-GB')} people in scope died in the year.`] : [`Fewer than ${small} people in scope died in the year, so nothing is shown.`],
        columns,
        rows,
        chart: chartOf(rows, (shown) => ({
          title: 'Cost by setting in each month before death',
          description: shown.map((r) => `${r.monthsBefore} months before, ${r.setting}: ${pounds(Number(r.cost))}`).join('; '),
          spec: { data: { values: shown }, mark: 'bar', encoding: { x: { field: 'monthsBefore', type: 'ordinal', title: 'Months before death', sort: 'descending' }, y: { field: 'cost', type: 'quantitative', title: 'Cost (£)', stack: 'zero' }, color: { field: 'setting', type: 'nominal', title: 'Setting' } }, width: 520 },
        })),
      };
    },
  },
};

export const analysisSlugs = Object.keys(analyses);

/** One analysis, its figures suppressed, for the page, the download or the API; the view is audited. */
export async function viewAnalysis(store: InsightStore, db: Database, actor: Actor, slug: string, query: AnalysisQuery, ip: string, smallNumber: number, how: 'page' | 'csv' | 'api'): Promise<Figures> {
  if (!canUseInsight(actor)) throw refuse.forbidden('Whole-system insight is for analysts.');
  const definition = analyses[slug];
  if (!definition) throw refuse.notFound('Analysis');
  const years = await repo.financialYears(store);
  const fy = query.year ?? (await repo.latestWholeYear(store)) ?? undefined;
  if (fy === undefined) throw refuse.conflict('form', 'Nothing is loaded yet: load a person register and activity extracts first.');
  if (!years.includes(fy)) throw refuse.badParameter('querystring.year', `No data for the financial year ${financialYearLabel(fy)}. Loaded: ${years.map(financialYearLabel).join(', ')}.`);
  const filters = { fy, locality: query.locality ?? null, ageBand: query.ageBand ?? null, sex: query.sex ?? null, quintile: query.quintile ?? null, setting: query.setting ?? null };
  const figures = await definition.compute(store, filters, query.measure, smallNumber);
  await recordAudit(db, { actor, action: how === 'page' ? 'viewed' : 'downloaded', recordType: 'insight_analysis', recordId: null, ip, details: { analysis: slug, how, filters, measure: query.measure } });
  return {
    slug,
    title: definition.title,
    ...figures,
    filters: { ...filters, measure: query.measure },
    smallNumber,
    anySuppressed: figures.rows.some((r) => r.suppressed),
    years,
  };
}

export async function filterChoices(store: InsightStore) {
  return { years: await repo.financialYears(store), ...(await repo.choices(store)) };
}

/** A cell as the page and the download show it. */
export function cellText(row: FigureRow, column: Column, smallNumber: number): string {
  const value = row[column.key];
  if (row.suppressed && column.kind !== 'text') return column.kind === 'count' ? suppressedText(smallNumber) : 'hidden';
  if (value === null || value === undefined) return '';
  if (column.kind === 'money') return pounds(Number(value));
  if (column.kind === 'share') return percent(Number(value));
  if (column.kind === 'count') return Number(value).toLocaleString('en-GB');
  return String(value);
}
