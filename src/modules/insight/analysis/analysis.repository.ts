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

/** Each person's cost for the measure (health, social care or both), or in one setting when filtered. */
const personCost = (measure: Measure) => `
  with pop as (${population}),
  setting_cost as (select pseudonym, sum(cost) as cost from person_year_settings where fy = $fy and setting = $setting group by pseudonym)
  select pop.*, case when $setting::varchar is not null then coalesce(sc.cost, 0)
    else ${measure === 'health' ? 'pop.health_cost' : measure === 'social' ? 'pop.social_cost' : 'pop.total_cost'} end as cost
  from pop left join setting_cost sc on sc.pseudonym = pop.pseudonym`;

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

const RANKED = (measure: Measure) => `
  with costed as (${personCost(measure)}),
  ranked as (
    select *, row_number() over (order by cost desc, pseudonym) as rn, count(*) over () as n,
      sum(cost) over (order by cost desc, pseudonym rows between unbounded preceding and current row) as cum,
      sum(cost) over () as total
    from costed
  )`;

/** Everyone sorted by cost, highest first: the share of people holding half the cost, the curve and the high-resource bands. */
export async function concentration(store: InsightStore, f: Filters, measure: Measure): Promise<Concentration> {
  const [summary] = await store.query<{ people: number; totalCost: number; forHalf: number | null }>(
    `${RANKED(measure)} select count(*)::integer as people, coalesce(sum(cost), 0)::double as "totalCost",
       min(case when cum >= total / 2 and total > 0 then rn end)::integer as "forHalf" from ranked`, params(f));
  const curve = await store.query<{ peopleShare: number; costShare: number }>(
    `${RANKED(measure)} select (rn::double / n) as "peopleShare", (cum / nullif(total, 0))::double as "costShare" from ranked
     where rn = n or rn % greatest(1, n // 100) = 0 order by rn`, params(f));
  const bands = await store.query<Concentration['bands'][number]>(
    `${RANKED(measure)}, banded as (
       select *, case when total = 0 or cost = 0 then 'no cost' when (cum - cost) / total < 0.5 then 'under 50%' when (cum - cost) / total < 0.65 then '50-65%'
         when (cum - cost) / total < 0.8 then '65-80%' when (cum - cost) / total < 0.95 then '80-95%' else '95% and over' end as band from ranked)
     select * from (
       select band, case when grouping(age_band) = 0 then 'Age band' when grouping(locality) = 0 then 'Locality' else 'All' end as "by",
         case when grouping(age_band) = 0 then age_band when grouping(locality) = 0 then locality else 'Everyone' end as "group",
         count(*)::integer as people, sum(cost)::double as cost, min(cost)::double as min, avg(cost)::double as mean, max(cost)::double as max
       from banded group by grouping sets ((band), (band, age_band), (band, locality))) as grouped
     order by case "by" when 'All' then 0 when 'Age band' then 1 else 2 end, "by", "group",
       case band when 'under 50%' then 1 when '50-65%' then 2 when '65-80%' then 3 when '80-95%' then 4 when '95% and over' then 5 else 6 end`, params(f));
  return { people: summary.people, totalCost: summary.totalCost, shareForHalf: summary.forHalf ? summary.forHalf / summary.people : null, curve: [{ peopleShare: 0, costShare: 0 }, ...curve], bands };
}

export type QuadrantCell = { health: boolean; social: boolean; people: number; cost: number };

/** High-resource (within the first half of cumulative cost) for health, for social care, both or neither. */
export async function healthAndSocialCare(store: InsightStore, f: Filters): Promise<{ cells: QuadrantCell[]; people: number; cost: number }> {
  const cells = await store.query<QuadrantCell>(
    `with pop as (${population}),
     h as (select pseudonym, health_cost, (sum(health_cost) over (order by health_cost desc, pseudonym rows between unbounded preceding and current row) - health_cost) < sum(health_cost) over () / 2 and health_cost > 0 as high from pop),
     s as (select pseudonym, social_cost, (sum(social_cost) over (order by social_cost desc, pseudonym rows between unbounded preceding and current row) - social_cost) < sum(social_cost) over () / 2 and social_cost > 0 as high from pop)
     select h.high as health, s.high as social, count(*)::integer as people, sum(h.health_cost + s.social_cost)::double as cost
     from h join s on s.pseudonym = h.pseudonym group by h.high, s.high order by h.high desc, s.high desc`, params(f));
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
    `with costed as (${personCost(measure)}),
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
    `with costed as (${personCost(measure)}) select ${by} as area, count(*)::integer as people, sum(cost)::double as cost from costed group by ${by} order by ${by}`, params(f));
  const [spread] = await store.query<{ mean: number; sd: number }>(`with costed as (${personCost(measure)}) select coalesce(avg(cost), 0)::double as mean, coalesce(stddev_samp(cost), 0)::double as sd from costed`, params(f));
  return { areas, ...spread };
}

export type EndOfLifeRow = { monthsBefore: number; setting: string; people: number; cost: number };

/** Cost by setting in each of the 12 months before death (months of 30.4 days counted back from the day of death), for people who died in the year. */
export async function lastYearOfLife(store: InsightStore, f: Filters): Promise<{ rows: EndOfLifeRow[]; deaths: number }> {
  const filters = params(f);
  const [{ deaths }] = await store.query<{ deaths: number }>(`select count(*)::integer as deaths from (${population}) where died_in_year`, filters);
  const rows = await store.query<EndOfLifeRow>(
    `with died as (select p.pseudonym, pe.date_of_death from (${population}) p join people pe on pe.pseudonym = p.pseudonym where p.died_in_year),
     priced as (select e.pseudonym, e.setting, e.start_date, coalesce(e.cost, e.units * u.unit_cost) as cost from events e
       left join unit_costs u on u.setting = e.setting and u.financial_year = year(e.start_date - interval 3 month))
     select (floor(date_diff('day', pr.start_date, d.date_of_death) / 30.4375) + 1)::integer as "monthsBefore", pr.setting, count(distinct pr.pseudonym)::integer as people, sum(pr.cost)::double as cost
     from died d join priced pr on pr.pseudonym = d.pseudonym
     where pr.start_date <= d.date_of_death and pr.start_date > d.date_of_death - interval 12 month
     group by 1, 2 order by 1, 2`, filters);
  return { rows, deaths };
}
