import type { InsightStore } from '../store/insight-store.ts';
import { settings } from '../settings.ts';

/**
 * Synthetic Wyndale extracts, generated inside DuckDB and written as the partners' CSV files, so
 * the demo goes through the same checks as a real load. The shapes are made to look like real
 * systems' data: older and more deprived people use more care, and a lognormal factor per person
 * gives the heavy tail (a few per cent of people hold half the cost).
 */
export type DemoSize = { people: number; events: number; seed: number; from: string; to: string };

const localities = ['Wyndale North', 'Wyndale South', 'Cragmoor', 'Hollins Vale', 'Greystones'];

/** Health boards count events in these shares; social care settings mostly for older people. */
const mix: { setting: keyof typeof settings; weight: number; older: number; units: string; cost: string | null }[] = [
  { setting: 'prescribing', weight: 30, older: 1.2, units: '1 + floor(r2 * 6)', cost: 'round(units * (8 + r3 * 30), 2)' },
  { setting: 'outpatient', weight: 14, older: 1.2, units: '1', cost: 'round(120 + r3 * 160, 2)' },
  { setting: 'ae', weight: 8, older: 1, units: '1', cost: null },
  { setting: 'gp-ooh', weight: 6, older: 1, units: '1', cost: null },
  { setting: 'community-nursing', weight: 12, older: 3, units: '1', cost: null },
  { setting: 'mental-health', weight: 4, older: 0.5, units: '1', cost: 'round(90 + r3 * 120, 2)' },
  { setting: 'inpatient-elective', weight: 3, older: 1.5, units: '1 + floor(-ln(greatest(r2, 1e-9)) * 2)', cost: 'round(units * (420 + r3 * 200), 2)' },
  { setting: 'inpatient-emergency', weight: 5, older: 2.5, units: '1 + floor(-ln(greatest(r2, 1e-9)) * 5)', cost: 'round(units * (450 + r3 * 250), 2)' },
  { setting: 'care-home', weight: 0.6, older: 8, units: '1 + floor(r2 * 8)', cost: null },
  { setting: 'home-care', weight: 5, older: 6, units: '2 + floor(r2 * 20)', cost: null },
  { setting: 'reablement', weight: 1, older: 4, units: '2 + floor(r2 * 12)', cost: null },
  { setting: 'telecare', weight: 3, older: 5, units: '4 + floor(r2 * 9)', cost: null },
  { setting: 'day-care', weight: 2, older: 4, units: '1 + floor(r2 * 6)', cost: null },
];

/** How many files the demo loads: the register, the unit costs and one per setting. */
export const demoFileCount = 2 + mix.length;

/** Unit costs in pounds for the settings whose events come without a cost, per financial year. */
export const demoUnitCosts: Record<string, number> = { ae: 210, 'gp-ooh': 95, 'community-nursing': 48, 'care-home': 880, 'home-care': 27.5, reablement: 31, telecare: 6.5, 'day-care': 62 };

/**
 * NHS numbers valid under the modulus 11 check, in ranges never issued to patients: the 999 range
 * kept for testing while it lasts (about 130,000 people), then 900 … for larger populations.
 */
const nhsNumberSql = (base: string) => `(
  select case when c = 11 then n || '0' else n || c::varchar end from (
    select n, 11 - ((
      cast(substr(n,1,1) as int)*10 + cast(substr(n,2,1) as int)*9 + cast(substr(n,3,1) as int)*8 + cast(substr(n,4,1) as int)*7 + cast(substr(n,5,1) as int)*6
      + cast(substr(n,6,1) as int)*5 + cast(substr(n,7,1) as int)*4 + cast(substr(n,8,1) as int)*3 + cast(substr(n,9,1) as int)*2) % 11) as c
    from (select cast(${base} as varchar) as n)))`;

export async function generateDemoFiles(store: InsightStore, size: DemoSize, dir: string, extraPeople: { nhsNumber: string; yearOfBirth: number }[]): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  await store.write(async (w) => {
    await w.run(`select setseed(${(size.seed % 1000) / 1000})`);
    // Everyone's fixed traits, then a need factor from age, deprivation and chance.
    await w.run(`create or replace temp table demo_people as
      with base as (
        select i, random() as a, random() as b, random() as c, random() as d, random() as e, random() as f from range(${size.people * 2}) t(i)
      ), numbered as (
        select *, ${nhsNumberSql('case when i * 7 < 1000000 then 999000000 + i * 7 else 900000000 + i end')} as nhs_number from base
      )
      select nhs_number,
        cast(year(date '${size.to}') - least(100, floor(case when a < 0.2 then a / 0.2 * 18 when a < 0.78 then 18 + (a - 0.2) / 0.58 * 47 when a < 0.9 then 65 + (a - 0.78) / 0.12 * 10 when a < 0.97 then 75 + (a - 0.9) / 0.07 * 10 else 85 + (a - 0.97) / 0.03 * 15 end)) as integer) as year_of_birth,
        case when b < 0.49 then 'M' else 'F' end as sex,
        (['${localities.join("','")}'])[1 + floor(c * ${localities.length})::int] as locality,
        1 + least(9, floor(d * d * 10 + (case when c < 0.4 then 0 else 3 * c end))::int) as imd_decile,
        'W8' || lpad(cast(1000 + floor(e * ${Math.max(4, Math.round(size.people / 7000))}) as varchar), 4, '0') as gp_practice,
        f as chance
      from numbered where length(nhs_number) = 10 and nhs_number not like '%10' limit ${size.people}`);
    if (extraPeople.length) {
      await w.run('create or replace temp table demo_extra (nhs_number varchar, year_of_birth varchar)');
      await w.appendText('demo_extra', extraPeople.map((p) => [p.nhsNumber, String(p.yearOfBirth)]));
      await w.run(`insert into demo_people select nhs_number, cast(year_of_birth as integer), case when random() < 0.5 then 'M' else 'F' end,
        '${localities[0]}', 1 + floor(random() * 5)::int, 'W81000', random() from demo_extra where nhs_number not in (select nhs_number from demo_people)`);
    }
    await w.run(`create or replace temp table demo_need as
      select *, year(date '${size.to}') - year_of_birth as age,
        exp(0.035 * (year(date '${size.to}') - year_of_birth)) * (1.6 - imd_decile * 0.08) * exp(1.3 * sqrt(-2 * ln(greatest(chance, 1e-9))) * cos(2 * pi() * random())) as need
      from demo_people`);
    // Deaths: about one in a hundred a year, far more among the oldest.
    await w.run(`create or replace temp table demo_deaths as
      select nhs_number, date '${size.from}' + cast(floor(random() * (date '${size.to}' - date '${size.from}')) as integer) as date_of_death
      from demo_need where random() < least(0.6, 0.008 * exp(0.075 * greatest(age - 40, 0)))`);
    const totalWeight = mix.reduce((a, m) => a + m.weight, 0);
    await w.run(`create or replace temp table demo_events as
      with counts as (
        select nhs_number, age, need, floor(need / (select sum(need) from demo_need) * ${size.events} + random())::integer as n from demo_need
      ), each as (
        select c.nhs_number, c.age, unnest(range(c.n)) as k, random() as r1, random() as r2, random() as r3, random() as r4 from counts c where c.n > 0
      ), chosen as (
        select *, ${(() => {
          // A setting by weight, with older people's weights raised for the settings they use more.
          const weights = mix.map((m) => `${m.weight} * (case when age >= 75 then ${m.older} else 1 end)`);
          let cumulative = '0';
          const cases = mix.map((m, i) => {
            cumulative = `${cumulative} + ${weights[i]}`;
            return `when r1 * (${weights.join(' + ')}) < ${cumulative} then '${m.setting}'`;
          });
          return `case ${cases.join(' ')} else 'prescribing' end`;
        })()} as setting from each
      )
      select c.nhs_number, c.setting, date '${size.from}' + cast(floor(c.r4 * (date '${size.to}' - date '${size.from}')) as integer) as start_date, c.r2, c.r3
      from chosen c left join demo_deaths d on d.nhs_number = c.nhs_number
      where d.date_of_death is null or date '${size.from}' + cast(floor(c.r4 * (date '${size.to}' - date '${size.from}')) as integer) <= d.date_of_death`);
    void totalWeight;
    const q = (file: string) => `'${file.replace(/'/g, "''")}'`;
    files.people = `${dir}/people.csv`;
    await w.run(`copy (select p.nhs_number, p.year_of_birth, p.sex, null as lsoa, p.gp_practice, p.locality, d.date_of_death, p.imd_decile
      from demo_people p left join demo_deaths d using (nhs_number) order by p.nhs_number) to ${q(files.people)} (header, delimiter ',')`);
    files['unit-costs'] = `${dir}/unit-costs.csv`;
    const years = Array.from({ length: Number(size.to.slice(0, 4)) - Number(size.from.slice(0, 4)) + 2 }, (_, i) => Number(size.from.slice(0, 4)) - 1 + i);
    const unitRows = years.flatMap((y, i) => Object.entries(demoUnitCosts).map(([s, c]) => `('${y}-${String((y + 1) % 100).padStart(2, '0')}', '${s}', ${(c * (1 + 0.03 * i)).toFixed(2)})`));
    await w.run(`copy (select * from (values ${unitRows.join(', ')}) v(financial_year, setting, unit_cost)) to ${q(files['unit-costs'])} (header, delimiter ',')`);
    for (const m of mix) {
      files[m.setting] = `${dir}/${m.setting}.csv`;
      const units = m.units;
      // Stays and weekly services run on from their start, but not past the end of the extract.
      const endDate = ['inpatient-elective', 'inpatient-emergency'].includes(m.setting) ? `least(date '${size.to}', start_date + cast(${units} as integer) - 1)`
        : m.setting === 'care-home' || m.setting === 'telecare' ? `least(date '${size.to}', start_date + cast(${units} as integer) * 7 - 1)` : 'null';
      await w.run(`copy (select nhs_number, start_date, ${endDate} as end_date, ${units} as units, ${m.cost ? m.cost.replace(/units/g, `(${units})`) : 'null'} as cost
        from demo_events where setting = '${m.setting}' order by start_date) to ${q(files[m.setting])} (header, delimiter ',')`);
    }
  });
  return files;
}
