import type { InsightStore } from '../store/insight-store.ts';

/**
 * The questions the pages answer, as SQL over the person-year summary. Window functions and
 * ordinary aggregates only (no DuckDB-only syntax in the analyses), so that the same SQL runs on a
 * distributed engine reading the same tables (docs/ARCHITECTURE.md).
 */
export type Filters = { fy: number; locality: string | null; ageBand: string | null; sex: string | null; quintile: number | null; setting: string | null };
export type Measure = 'health' | 'social' | 'both';

const params = (f: Filters) => ({ fy: f.fy, locality: f.locality, ageBand: f.ageBand, sex: f.sex, quintile: f.quintile, setting: f.setting });

/** The people in scope: everyone in the register alive in the year, within the filters. */
const population = `select * from person_years
  where fy = $fy and ($locality::varchar is null or locality = $locality) and ($ageBand::varchar is null or age_band = $ageBand)
    and ($sex::varchar is null or sex = $sex) and ($quintile::integer is null or imd_quintile = $quintile)`;

const costColumn = (measure: Measure) => (measure === 'health' ? 'health_cost' : measure === 'social' ? 'social_cost' : 'total_cost');

/**
 * Each person's cost for the measure (health, social care or both), or in one setting when
 * filtered; `rank` orders them by that cost, highest first, ties by pseudonym. For a measure the
 * summary already holds each person's place in the year's ranking, and the order within any subset
 * of people is the same, so one whole number is sorted instead of a cost and a pseudonym.
 */
const personCost = (measure: Measure, f: Filters) =>
  f.setting
    ? `select pop.*, coalesce(sc.cost, 0) as cost from (${population}) pop
       left join (select pseudonym, sum(cost) as cost from person_year_settings where fy = $fy and setting = $setting group by pseudonym) sc on sc.pseudonym = pop.pseudonym`
    : `select pop.*, pop.${costColumn(measure)} as cost from (${population}) pop`;
const rankOrder = (measure: Measure, f: Filters) => (f.setting ? 'cost desc, pseudonym' : `rank_${measure === 'both' ? 'total' : measure}`);

export async function financialYears(store: InsightStore): Promise<number[]> {
  return (await store.query<{ fy: number }>('select distinct fy from person_years order by fy')).map((r) => r.fy);
}

/** The latest financial year the activity covers to its end (31 March), else the latest there is. */
export async function latestWholeYear(store: InsightStore): Promise<number | null> {
  const [row] = await store.query<{ whole: number | null; latest: number | null }>(
    `select max(fy) filter (where make_date(fy + 1, 3, 31) <= (select max(end_date) from events))::integer as whole, max(fy)::integer as latest from person_years`);
  return row?.whole ?? row?.latest ?? null;
}

export async function choices(store: InsightStore): Promise<{ localities: string[]; practices: number }> {
  const localities = (await store.query<{ locality: string }>('select distinct locality from person_years order by locality')).map((r) => r.locality);
  const [{ n }] = await store.query<{ n: number }>('select count(distinct gp_practice)::integer as n from person_years');
  return { localities, practices: n };
}

export type CostCell = { setting: string; side: string; ageBand: string; people: number; users: number; cost: number };

/** Cost by setting and age band, with the number of people in each band (the per-head denominator). */
export async function costBySettingAndAge(store: InsightStore, f: Filters): Promise<{ cells: CostCell[]; bands: { ageBand: string; people: number }[] }> {
  const bands = await store.query<{ ageBand: string; people: number }>(
    `select age_band as "ageBand", count(*)::integer as people from (${population}) group by age_band order by age_band`, params(f));
  const cells = await store.query<CostCell>(
    `select s.setting, s.side, p.age_band as "ageBand", count(*)::integer as users, sum(s.cost)::double as cost, 0 as people
     from (${population}) p join person_year_settings s on s.pseudonym = p.pseudonym and s.fy = p.fy
     where ($setting::varchar is null or s.setting = $setting) and s.cost > 0
     group by s.setting, s.side, p.age_band order by s.side, s.setting, p.age_band`, params(f));
  const people = new Map(bands.map((b) => [b.ageBand, b.people]));
  return { cells: cells.map((c) => ({ ...c, people: people.get(c.ageBand) ?? 0 })), bands };
}

export type Concentration = {
  people: number; totalCost: number; shareForHalf: number | null;
  curve: { peopleShare: number; costShare: number }[];
  bands: { band: string; by: string; group: string; people: number; cost: number; min: number; mean: number; max: number }[];
};

const BANDS = ['under 50%', '50-65%', '65-80%', '80-95%', '95% and over', 'no cost'];
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

type Cell = { band: number; ageBand: string; locality: string; point: number | null; people: number; cost: number; min: number; max: number; cum: number | null; ranked: number; forHalf: number | null };
type Band = Concentration['bands'][number];

/**
 * Everyone sorted by cost, highest first, once: the share of people holding half the cost, the
 * curve and the high-resource bands all come from one pass over the ranking, counted by band, age
 * band and locality (a few hundred cells, added up here), and only people with some cost are ranked
 * (everyone else is at the end, in "no cost").
 */
export async function concentration(store: InsightStore, f: Filters, measure: Measure): Promise<Concentration> {
  const order = rankOrder(measure, f);
  const cells = await store.query<Cell>(
    `with costed as (${personCost(measure, f)}),
     totals as (select count(*) as n, sum(cost) as total from costed),
     ranked as (
       select age_band, locality, cost, row_number() over (order by ${order}) as rn,
         sum(cost) over (order by ${order} rows between unbounded preceding and current row) as cum
       from costed where cost > 0
     ),
     banded as (
       select r.age_band, r.locality, r.cost, r.rn, r.cum, t.total,
         case when (r.cum - r.cost) / t.total < 0.5 then 0 when (r.cum - r.cost) / t.total < 0.65 then 1
           when (r.cum - r.cost) / t.total < 0.8 then 2 when (r.cum - r.cost) / t.total < 0.95 then 3 else 4 end as band,
         case when r.rn = t.n or r.rn % greatest(1, t.n // 100) = 0 then r.rn end as point
       from ranked r cross join totals t
       union all
       select age_band, locality, cost, null, null, null, 5, null from costed where not (cost > 0)
     )
     select band, age_band as "ageBand", locality, point::integer as point, count(*)::integer as people, sum(cost)::double as cost,
       min(cost)::double as min, max(cost)::double as max, max(cum)::double as cum, count(rn)::integer as ranked,
       min(case when cum >= total / 2 then rn end)::integer as "forHalf"
     from banded group by band, age_band, locality, point`, params(f));
  const people = cells.reduce((n, c) => n + c.people, 0);
  const totalCost = cells.reduce((n, c) => n + c.cost, 0);
  const ranked = cells.reduce((n, c) => n + c.ranked, 0);
  const forHalf = Math.min(...cells.map((c) => c.forHalf ?? Infinity));

  // The curve: a point every hundredth of the people (and the last), those with no cost holding none of it.
  const share = (cum: number) => (totalCost ? cum / totalCost : (null as unknown as number));
  const step = Math.max(1, Math.floor(people / 100));
  const curve = cells.filter((c) => c.point !== null).map((c) => ({ rn: c.point!, costShare: share(c.cum!) })).sort((a, b) => a.rn - b.rn);
  for (let rn = (Math.floor(ranked / step) + 1) * step; rn <= people; rn += step) curve.push({ rn, costShare: share(totalCost) });
  if (people > ranked && people % step !== 0) curve.push({ rn: people, costShare: share(totalCost) });

  // The high-resource bands: for everyone, by age band and by locality.
  const groups = new Map<string, Band & { order: number; bandNo: number; sum: number }>();
  const add = (by: string, order: number, group: string, c: Cell) => {
    const key = `${by}|${group}|${c.band}`;
    const g = groups.get(key) ?? { band: BANDS[c.band], bandNo: c.band, by, order, group, people: 0, cost: 0, sum: 0, min: Infinity, mean: 0, max: -Infinity };
    g.people += c.people;
    g.cost += c.cost;
    g.min = Math.min(g.min, c.min);
    g.max = Math.max(g.max, c.max);
    groups.set(key, g);
  };
  for (const c of cells) {
    add('All', 0, 'Everyone', c);
    add('Age band', 1, c.ageBand, c);
    add('Locality', 2, c.locality, c);
  }
  const bands = [...groups.values()]
    .sort((a, b) => a.order - b.order || byText(a.group, b.group) || a.bandNo - b.bandNo)
    .map(({ band, by, group, people: n, cost, min, max }) => ({ band, by, group, people: n, cost, min, mean: cost / n, max }));
  return {
    people,
    totalCost,
    shareForHalf: Number.isFinite(forHalf) && people ? forHalf / people : null,
    curve: [{ peopleShare: 0, costShare: 0 }, ...curve.map((p) => ({ peopleShare: p.rn / people, costShare: p.costShare }))],
    bands,
  };
}

export type QuadrantCell = { health: boolean; social: boolean; people: number; cost: number };

/** High-resource (within the first half of cumulative cost) for health, for social care, both or neither. */
export async function healthAndSocialCare(store: InsightStore, f: Filters): Promise<{ cells: QuadrantCell[]; people: number; cost: number }> {
  // Ranked by cost, the high-resource people are the first ones, up to the last whose cost starts
  // within the first half: so each side needs only that last place in its ranking, and no join.
  const last = (side: 'health' | 'social') => `select max(rank_${side}) as last from (
       select rank_${side}, sum(${side}_cost) over (order by rank_${side} rows between unbounded preceding and current row) - ${side}_cost as before,
         sum(${side}_cost) over () as total
       from pop where ${side}_cost > 0) as ranked
     where before < total / 2`;
  const cells = await store.query<QuadrantCell>(
    `with pop as (${population}), h as (${last('health')}), s as (${last('social')})
     select coalesce(p.health_cost > 0 and p.rank_health <= h.last, false) as health, coalesce(p.social_cost > 0 and p.rank_social <= s.last, false) as social,
       count(*)::integer as people, sum(p.health_cost + p.social_cost)::double as cost
     from pop p cross join h cross join s group by 1, 2 order by 1 desc, 2 desc`, params(f));
  return { cells, people: cells.reduce((a, c) => a + c.people, 0), cost: cells.reduce((a, c) => a + c.cost, 0) };
}

export type DeprivationRow = { quintile: number | null; decile: number | null; people: number; cost: number; standardised: number | null };

/**
 * Cost per head by deprivation quintile and decile, crude and age-standardised (direct: each
 * group's rate in each age band, weighted by the age bands of the partnership's own population).
 */
export async function deprivation(store: InsightStore, f: Filters, by: 'quintile' | 'decile', measure: Measure): Promise<DeprivationRow[]> {
  const group = by === 'quintile' ? 'imd_quintile' : 'imd_decile';
  return store.query<DeprivationRow>(
    `with costed as (${personCost(measure, f)}),
     standard as (select age_band, count(*)::double / sum(count(*)) over () as weight from costed group by age_band),
     rates as (select ${group} as g, age_band, avg(cost) as rate from costed group by ${group}, age_band)
     select c.${group}::integer as ${by}, count(*)::integer as people, sum(c.cost)::double as cost,
       (select sum(r.rate * s.weight) / sum(s.weight) from rates r join standard s on s.age_band = r.age_band where r.g is not distinct from c.${group})::double as standardised
     from costed c group by c.${group} order by c.${group} nulls last`, params(f)).then((rows) => rows.map((r) => ({ ...{ quintile: null, decile: null }, ...r }) as DeprivationRow));
}

export type AreaRow = { area: string; people: number; cost: number };

/** Cost per head by locality or GP practice, with the spread of person costs for a funnel plot's limits. */
export async function variation(store: InsightStore, f: Filters, by: 'locality' | 'gp_practice', measure: Measure): Promise<{ areas: AreaRow[]; mean: number; sd: number }> {
  const areas = await store.query<AreaRow>(
    `with costed as (${personCost(measure, f)}) select ${by} as area, count(*)::integer as people, sum(cost)::double as cost from costed group by ${by} order by ${by}`, params(f));
  const [spread] = await store.query<{ mean: number; sd: number }>(`with costed as (${personCost(measure, f)}) select coalesce(avg(cost), 0)::double as mean, coalesce(stddev_samp(cost), 0)::double as sd from costed`, params(f));
  return { areas, ...spread };
}

export type EndOfLifeRow = { monthsBefore: number; setting: string; people: number; cost: number };

/** Cost by setting in each of the 12 months before death (months of 30.4 days counted back from the day of death, from the summary), for people who died in the year. */
export async function lastYearOfLife(store: InsightStore, f: Filters): Promise<{ rows: EndOfLifeRow[]; deaths: number }> {
  const filters = params(f);
  const [{ deaths }] = await store.query<{ deaths: number }>(`select count(*)::integer as deaths from (${population}) where died_in_year`, filters);
  // One row per person, month and setting in person_last_year: counting rows counts people.
  const rows = await store.query<EndOfLifeRow>(
    `select l.months_before as "monthsBefore", l.setting, count(*)::integer as people, sum(l.cost)::double as cost
     from (${population}) p join person_last_year l on l.pseudonym = p.pseudonym
     where p.died_in_year
     group by 1, 2 order by 1, 2`, filters);
  return { rows, deaths };
}
