import type { InsightStore } from '../store/insight-store.ts';

/** One outcome of a test of change: per person, before and after, for the cohort and its comparison group. */
export type OutcomeRow = {
  outcome: 'cost' | 'events' | 'emergency_admissions';
  cohortBefore: number; cohortAfter: number; comparisonBefore: number; comparisonAfter: number;
  difference: number; low: number; high: number; matched: number;
};
export type ChangeResult = { cohort: number; known: number; tooRecent: number; matched: number; unmatched: number; comparators: number; outcomes: OutcomeRow[]; dataEnds: string | null };

const COMPARATORS = 5;
const CANDIDATES = 40;

/**
 * Difference in differences against a matched comparison group. Each cohort member is matched to
 * up to five people outside the cohort with the same age band, sex, deprivation quintile and cost
 * band in the months before the start (chosen at random among up to forty of the same age band,
 * sex and quintile); the change from before to after in the cohort member, less the mean change in
 * their comparators, is averaged, with a 95 % confidence interval from the normal approximation.
 */
export async function testOfChange(store: InsightStore, cohort: { pseudonym: string; startDate: string }[], months: number): Promise<ChangeResult> {
  return store.write(async (w) => {
    await w.run('create or replace temp table tc_input (pseudonym varchar, start_date varchar)');
    await w.appendText('tc_input', cohort.map((c) => [c.pseudonym, c.startDate]));
    const [{ dataEnds }] = await w.query<{ dataEnds: string | null }>('select max(month)::varchar as "dataEnds" from person_months');
    await w.run(`create or replace temp table tc_cases as
      select i.pseudonym, min(date_trunc('month', cast(i.start_date as date)))::date as sm from tc_input i join people p on p.pseudonym = i.pseudonym group by i.pseudonym`);
    const [{ known }] = await w.query<{ known: number }>('select count(*)::integer as known from tc_cases');
    // Only people followed for the whole period after their start can be compared.
    await w.run(`delete from tc_cases where sm + to_months(${months}) > (select max(month) + interval 1 month from person_months)`);
    const [{ followed }] = await w.query<{ followed: number }>('select count(*)::integer as followed from tc_cases');
    const [{ refYear }] = await w.query<{ refYear: number | null }>('select cast(median(year(sm)) as integer) as "refYear" from tc_cases');
    const band = (yob: string, year: string) =>
      `case when ${year} - ${yob} < 18 then '0-17' when ${year} - ${yob} < 65 then '18-64' when ${year} - ${yob} < 75 then '65-74' when ${year} - ${yob} < 85 then '75-84' else '85+' end`;
    await w.run(`create or replace temp table tc_strata as
      select c.pseudonym, c.sm, ${band('p.year_of_birth', 'year(c.sm)')} || '|' || p.sex || '|' || coalesce(cast((p.imd_decile + 1) // 2 as varchar), '?') as stratum,
        row_number() over (partition by ${band('p.year_of_birth', 'year(c.sm)')} || '|' || p.sex || '|' || coalesce(cast((p.imd_decile + 1) // 2 as varchar), '?') order by hash(c.pseudonym)) - 1 as k
      from tc_cases c join people p on p.pseudonym = c.pseudonym`);
    // Candidates: the pool ranked at random within each stratum, dealt out to that stratum's cases.
    await w.run(`create or replace temp table tc_pairs as
      with sizes as (select stratum, count(*) as n from tc_strata group by stratum),
      pool as (
        select p.pseudonym, p.date_of_death, s.stratum, s.n,
          row_number() over (partition by s.stratum order by hash(p.pseudonym || 'comparison')) - 1 as r
        from people p
        join sizes s on s.stratum = ${band('p.year_of_birth', String(refYear ?? 2025))} || '|' || p.sex || '|' || coalesce(cast((p.imd_decile + 1) // 2 as varchar), '?')
        where p.pseudonym not in (select pseudonym from tc_input)
      )
      select t.pseudonym as case_id, t.sm, pool.pseudonym as control_id
      from tc_strata t join pool on pool.stratum = t.stratum and pool.r % pool.n = t.k and pool.r < pool.n * ${CANDIDATES}
      where pool.date_of_death is null or pool.date_of_death >= t.sm + to_months(${months})`);
    // Before and after, for every case and candidate, around the case's start month.
    await w.run(`create or replace temp table tc_windows as
      with people_windows as (
        select case_id, sm, case_id as person, true as is_case from tc_strata t(case_id, sm, stratum, k)
        union all select case_id, sm, control_id, false from tc_pairs
      )
      select pw.case_id, pw.person, pw.is_case,
        coalesce(sum(case when m.month < pw.sm then m.cost end), 0) as cost_before, coalesce(sum(case when m.month >= pw.sm then m.cost end), 0) as cost_after,
        coalesce(sum(case when m.month < pw.sm then m.events end), 0) as events_before, coalesce(sum(case when m.month >= pw.sm then m.events end), 0) as events_after,
        coalesce(sum(case when m.month < pw.sm then m.emergency_admissions end), 0) as emergency_admissions_before, coalesce(sum(case when m.month >= pw.sm then m.emergency_admissions end), 0) as emergency_admissions_after
      from people_windows pw left join person_months m on m.pseudonym = pw.person and m.month >= pw.sm - to_months(${months}) and m.month < pw.sm + to_months(${months})
      group by pw.case_id, pw.person, pw.is_case`);
    const costBand = (column: string) => `case when ${column} = 0 then 0 when ${column} < 500 then 1 when ${column} < 2000 then 2 when ${column} < 10000 then 3 else 4 end`;
    await w.run(`create or replace temp table tc_matched as
      with cases as (select * from tc_windows where is_case),
      controls as (
        select c.*, row_number() over (partition by c.case_id order by hash(c.person || 'pick')) as pick
        from tc_windows c join cases k on k.case_id = c.case_id
        where not c.is_case and ${costBand('c.cost_before')} = ${costBand('k.cost_before')}
      )
      select * from controls where pick <= ${COMPARATORS}`);
    const outcomes: OutcomeRow[] = [];
    for (const outcome of ['cost', 'events', 'emergency_admissions'] as const) {
      const [row] = await w.query<Omit<OutcomeRow, 'outcome' | 'low' | 'high'> & { se: number | null }>(
        `with per_case as (
           select k.case_id, k.${outcome}_before as before, k.${outcome}_after as after,
             avg(m.${outcome}_before) as c_before, avg(m.${outcome}_after) as c_after
           from tc_windows k join tc_matched m on m.case_id = k.case_id where k.is_case group by k.case_id, k.${outcome}_before, k.${outcome}_after
         )
         select count(*)::integer as matched, coalesce(avg(before), 0)::double as "cohortBefore", coalesce(avg(after), 0)::double as "cohortAfter",
           coalesce(avg(c_before), 0)::double as "comparisonBefore", coalesce(avg(c_after), 0)::double as "comparisonAfter",
           coalesce(avg((after - before) - (c_after - c_before)), 0)::double as difference,
           (stddev_samp((after - before) - (c_after - c_before)) / sqrt(count(*)))::double as se
         from per_case`,
      );
      const se = row.se ?? 0;
      outcomes.push({ outcome, ...row, low: row.difference - 1.96 * se, high: row.difference + 1.96 * se });
    }
    const [{ comparators }] = await w.query<{ comparators: number }>('select count(distinct person)::integer as comparators from tc_matched');
    const matched = outcomes[0]?.matched ?? 0;
    return { cohort: cohort.length, known, tooRecent: known - followed, matched, unmatched: followed - matched, comparators, outcomes, dataEnds };
  });
}

/** A cohort from a rule: people of an age band whose first use of a setting in a financial year starts their period. */
export async function cohortFromRule(store: InsightStore, rule: { fy: number; setting: string; ageBand: string | null }): Promise<{ pseudonym: string; startDate: string }[]> {
  return store.query<{ pseudonym: string; startDate: string }>(
    `select e.pseudonym, min(e.start_date)::varchar as "startDate" from events e join person_years py on py.pseudonym = e.pseudonym and py.fy = $fy
     where e.setting = $setting and e.start_date between make_date($fy, 4, 1) and make_date($fy + 1, 3, 31) and ($ageBand::varchar is null or py.age_band = $ageBand)
     group by e.pseudonym`,
    { fy: rule.fy, setting: rule.setting, ageBand: rule.ageBand },
  );
}
