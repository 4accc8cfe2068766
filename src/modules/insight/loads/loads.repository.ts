import type { HmacPads } from '../pseudonyms/pseudonym-key.ts';
import type { InsightStore, Writer } from '../store/insight-store.ts';
import { settings } from '../settings.ts';
import { layoutOf, type LoadKind } from './layouts.ts';

/** One kind of problem found in a file: how many rows, and the first few with their line numbers. */
export type LoadProblem = { problem: string; rows: number; examples: { line: number; value: string | null }[] };

export type LoadRecord = {
  id: string; kind: LoadKind; partner: string; fileName: string; status: 'loaded' | 'refused' | 'removed';
  rowsRead: number; rowsLoaded: number; rowsOptedOut: number; periodFrom: string | null; periodTo: string | null;
  loadedBy: string; loadedAt: string; problems: LoadProblem[];
};

const DATE = "'%Y-%m-%d'";

/** Each text column a layout reads as a date or a number, read once into a typed column beside it (null where it cannot be read). */
const TYPED: Record<string, string> = {
  start_date: `try_strptime(start_date, ${DATE})::date as start_d`,
  end_date: `try_strptime(end_date, ${DATE})::date as end_d`,
  date_of_death: `try_strptime(date_of_death, ${DATE})::date as date_of_death_d`,
  units: 'try_cast(units as double) as units_n',
  cost: 'try_cast(cost as double) as cost_n',
  unit_cost: 'try_cast(unit_cost as double) as unit_cost_n',
  year_of_birth: 'try_cast(year_of_birth as integer) as year_of_birth_n',
  imd_decile: 'try_cast(imd_decile as integer) as imd_decile_n',
};

/**
 * Reads the file, in one pass, into a temporary table of text columns (`line` is the line in the
 * file, the header being line 1), with every optional column present, and beside each date or
 * number its typed value, so the checks and the insert read each value once. Returns the file's
 * own column names.
 */
export async function stageFile(w: Writer, file: string, format: 'csv' | 'parquet', kind: LoadKind): Promise<string[]> {
  const source = format === 'csv' ? 'read_csv($1, all_varchar = true, header = true, null_padding = true)' : 'read_parquet($1)';
  const original = (await w.query<{ column_name: string }>(`describe select * from ${source}`, [file])).map((c) => c.column_name);
  // Headers as people type them ("NHS Number ") name the layout's columns (nhs_number).
  const byName = new Map(original.map((c) => [c.trim().toLowerCase().replace(/[\s-]+/g, '_'), c]));
  const columns = [...byName.keys()];
  const layout = layoutOf(kind);
  const wanted = [...layout.required, ...layout.optional, 'nhs_number', 'pseudonym'];
  const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;
  const list = wanted.map((c) => (byName.has(c) ? `nullif(trim(cast(${quoted(byName.get(c)!)} as varchar)), '') as "${c}"` : `cast(null as varchar) as "${c}"`)).join(', ');
  const typed = wanted.filter((c) => TYPED[c]).map((c) => `, ${TYPED[c]}`).join('');
  // Read in parallel (a numbering window over the read would make it one thread): the table keeps
  // the file's order, so each row's line is its row id counted from the first (the header is line 1).
  await w.run(`create or replace temp table staged_rows as select *${typed} from (select ${list} from ${source}) as read`, [file]);
  const [ids] = await w.query<{ first: string | null; span: string | null; n: string }>(
    'select min(rowid)::varchar as first, (max(rowid) - min(rowid) + 1)::varchar as span, count(*)::varchar as n from staged_rows');
  if (ids.first === null || ids.span === ids.n) {
    await w.run(`create or replace temp view staged as select rowid - ${BigInt(ids.first ?? 0)} + 2 as line, * from staged_rows`);
  } else {
    // Row ids with gaps (not seen in practice): number the rows in their stored order instead.
    await w.run('create or replace temp table staged_numbered as select row_number() over (order by rowid) + 1 as line, * from staged_rows');
    await w.run('create or replace temp view staged as select * from staged_numbered');
  }
  return columns;
}

/** Drops what a load read and made for itself (the file, the pseudonym lookup, the opt-out list as pseudonyms). */
export async function dropStaging(w: Writer): Promise<void> {
  await w.run('drop view if exists temp.main.staged');
  for (const table of ['staged_rows', 'staged_numbered', 'raw_ids', 'id_exceptions', 'ids', 'listed', 'listed_numbers', 'area_deprivation']) await w.run(`drop table if exists temp.main.${table}`);
}

export async function countStaged(w: Writer): Promise<number> {
  return Number((await w.query<{ n: number }>('select count(*)::integer as n from staged'))[0].n);
}

/** HMAC-SHA-256 of a text column with the key whose pads are $1 (inner) and $2 (outer): the same as pseudonymOf. */
const hmacSql = (column: string) => `sha256(unhex($2) || unhex(sha256(unhex($1) || encode(${column}))))`;

/**
 * Every different value of the person column, numbered, to check outside SQL a batch at a time (so
 * that a million people are never all in memory at once); returns how many. Starts the empty list
 * of values whose pseudonym is not the usual one (see finishIds).
 */
export async function distinctIds(w: Writer, column: 'nhs_number' | 'pseudonym'): Promise<number> {
  await w.run(`create or replace temp table raw_ids as select row_number() over () as n, id from (select distinct "${column}" as id from staged where "${column}" is not null)`);
  await w.run('create or replace temp table id_exceptions (raw varchar, pseudonym varchar)');
  return Number((await w.query<{ n: number }>('select count(*)::integer as n from raw_ids'))[0].n);
}

/** The different values numbered first to last (from 1). */
export async function idBatch(w: Writer, first: number, last: number): Promise<string[]> {
  return w.column('select id from raw_ids where n between $1 and $2', [first, last]);
}

/** Values whose pseudonym is not made from the value as it is: '' where the value is not valid, or the pseudonym made outside SQL. */
export async function putIdExceptions(w: Writer, rows: string[][]): Promise<void> {
  if (rows.length) await w.appendText('id_exceptions', rows);
}

/**
 * Makes the lookup from each raw value to its pseudonym (null where the value is not valid). With
 * the key's HMAC pads, every other value's pseudonym is made here, in parallel, as
 * HMAC-SHA-256(key, value) (the same as pseudonymOf); without them (a file of pseudonyms) every
 * other value is its own pseudonym. The checks look each person up here once, and name their rows
 * by the raw value; only the insert joins it to every row.
 */
export async function finishIds(w: Writer, pads: HmacPads | null): Promise<void> {
  const made = pads ? hmacSql('r.id') : 'r.id';
  await w.run(
    `create or replace temp table ids as select r.id as raw, case when x.raw is null then ${made} else nullif(x.pseudonym, '') end as pseudonym
     from raw_ids r left join id_exceptions x on x.raw = r.id`,
    pads ? [pads.inner, pads.outer] : []);
  await w.run('drop table raw_ids');
  await w.run('drop table id_exceptions');
}

export async function putAreaDeprivation(w: Writer, rows: string[][]): Promise<void> {
  await w.run('create or replace temp table area_deprivation (lsoa varchar, decile varchar)');
  await w.appendText('area_deprivation', rows);
}

/** Each row with its person's pseudonym, leaving out people on the national data opt-out list (as it stands for this load). */
const keptRows = (idColumn: string) => `staged s join ids on ids.raw = s."${idColumn}" where not exists (select 1 from opted_out o where o.pseudonym = ids.pseudonym)`;

/** The checks for each kind of file, as (problem, line, value) rows. */
function checks(kind: LoadKind, idColumn: string | null): string[] {
  const id = idColumn ? [
    `select 'No ${idColumn} given' as problem, line, null as value from staged where "${idColumn}" is null`,
    `select '${idColumn === 'nhs_number' ? 'NHS number fails its check digit (modulus 11) or is not 10 digits' : "Not a pseudonym made with this partnership''s key (64 hexadecimal characters)"}', line, "${idColumn}" from staged where "${idColumn}" in (select raw from ids where pseudonym is null)`,
  ] : [];
  const date = (column: string, typed: string, label: string) =>
    `select '${label}: a date that does not exist or is not written YYYY-MM-DD', line, "${column}" from staged where "${column}" is not null and ${typed} is null`;
  const number = (column: string, label: string, nonNegative: boolean) => [
    `select '${label}: not a number', line, "${column}" from staged where "${column}" is not null and ${column}_n is null`,
    ...(nonNegative ? [`select '${label}: negative', line, "${column}" from staged where ${column}_n < 0`] : []),
  ];
  const known = Object.keys(settings).map((c) => `'${c}'`).join(', ');
  if (kind === 'people') {
    return [
      ...id,
      `select 'year_of_birth: not a year from 1890 to this year', line, year_of_birth from staged where year_of_birth_n is null or year_of_birth_n not between 1890 and year(current_date)`,
      `select 'sex: not one of male, female, unknown (or M, F, 1, 2, 9)', line, sex from staged where lower(coalesce(sex, '')) not in ('male', 'female', 'm', 'f', '1', '2', 'unknown', 'u', '9', '0')`,
      date('date_of_death', 'date_of_death_d', 'date_of_death'),
      `select 'imd_decile: not a whole number from 1 to 10', line, imd_decile from staged where imd_decile is not null and coalesce(imd_decile_n, 0) not between 1 and 10`,
      `select 'The same person twice in one register', line, "${idColumn}" from (select line, "${idColumn}", count(*) over (partition by "${idColumn}") as n from staged where "${idColumn}" is not null) where n > 1`,
    ];
  }
  if (kind === 'unit-costs') {
    return [
      `select 'financial_year: not a year like 2025-26', line, financial_year from staged where not regexp_full_match(coalesce(financial_year, ''), '\\d{4}([-/]\\d{2})?')`,
      `select 'setting: not a setting code (${Object.keys(settings).join(', ')})', line, setting from staged where coalesce(setting, '') not in (${known})`,
      ...number('unit_cost', 'unit_cost', true),
      `select 'unit_cost: not given', line, null from staged where unit_cost is null`,
    ];
  }
  return [
    ...id,
    `select 'start_date: not given', line, null from staged where start_date is null`,
    date('start_date', 'start_d', 'start_date'),
    date('end_date', 'end_d', 'end_date'),
    `select 'end_date before start_date', line, start_date || ' to ' || end_date from staged where end_d < start_d`,
    `select 'units: not given', line, null from staged where units is null`,
    ...number('units', 'units', true),
    ...number('cost', 'cost', true),
    `select 'setting: not a setting code (${Object.keys(settings).join(', ')})', line, setting from staged where setting is not null and setting not in (${known})`,
    `select 'setting: a different setting from this load''s (${kind})', line, setting from staged where setting in (${known}) and setting <> '${kind}'`,
    // Each different person is looked up once (in ids), then their rows named.
    `select 'Person not in any loaded register (load the person register first)', line, "${idColumn}" from staged where "${idColumn}" in (
       select i.raw from ids i where i.pseudonym is not null
         and not exists (select 1 from people p where p.pseudonym = i.pseudonym) and not exists (select 1 from opted_out o where o.pseudonym = i.pseudonym))`,
    `select 'No cost given and no unit cost for ${kind} in that financial year (load the unit costs first)', line, start_date from staged where cost is null and start_d is not null
       and year(start_d - interval 3 month) not in (select u.financial_year from unit_costs u where u.setting = '${kind}')`,
  ];
}

/** Every problem in the staged file, counted, with the first five lines of each. */
export async function findProblems(w: Writer, kind: LoadKind, idColumn: string | null): Promise<LoadProblem[]> {
  const rows = await w.query<{ problem: string; n: number; examples: { line: number; value: string | null }[] }>(
    `select problem, count(*)::integer as n, list({'line': line::integer, 'value': value} order by line)[1:5] as examples
     from (${checks(kind, idColumn).join(' union all ')}) as found(problem, line, value) group by problem order by min(line)`,
  );
  return rows.map((r) => ({ problem: r.problem, rows: r.n, examples: r.examples }));
}

/**
 * The national data opt-out list as it stands (NHS numbers, pseudonymised here with the load's
 * key): it replaces the store's copy, and anyone newly on it is taken out of what the store
 * already holds. An unchanged list (the usual case, load after load) leaves the copy as it is.
 */
export async function useOptOutList(w: Writer, numbers: string[], pads: HmacPads | null): Promise<void> {
  const [held] = await w.query<{ n: number }>('select count(*)::integer as n from opted_out');
  if (!numbers.length && !held.n) return;
  await w.run('create or replace temp table listed_numbers (nhs_number varchar)');
  await w.appendText('listed_numbers', numbers.map((n) => [n]));
  await w.run(`create or replace temp table listed as select ${pads ? hmacSql('nhs_number') : 'null::varchar'} as pseudonym from listed_numbers`, pads ? [pads.inner, pads.outer] : []);
  await w.run('drop table listed_numbers');
  const [{ added, gone }] = await w.query<{ added: number; gone: number }>(
    `select (select count(*) from (select pseudonym from listed except select pseudonym from opted_out))::integer as added,
       (select count(*) from (select pseudonym from opted_out except select pseudonym from listed))::integer as gone`);
  if (added > 0) {
    await w.run('delete from events where pseudonym in (select pseudonym from listed)');
    await w.run('delete from people where pseudonym in (select pseudonym from listed)');
  }
  if (added > 0 || gone > 0) {
    await w.run('delete from opted_out');
    await w.run('insert into opted_out select distinct pseudonym from listed');
  }
}

/** Rows of people on the national data opt-out list: left out of the load. */
export async function countOptedOut(w: Writer, idColumn: string): Promise<number> {
  return Number((await w.query<{ n: number }>(`select count(*)::integer as n from staged where "${idColumn}" in (select raw from ids join opted_out o on o.pseudonym = ids.pseudonym)`))[0].n);
}

export async function insertPeople(w: Writer, loadId: string, idColumn: string, keyVersion: string): Promise<number> {
  await w.run(
    `insert or replace into people
     select ids.pseudonym, $2, s.year_of_birth_n,
       case lower(s.sex) when 'm' then 'male' when '1' then 'male' when 'male' then 'male' when 'f' then 'female' when '2' then 'female' when 'female' then 'female' else 'unknown' end,
       upper(s.lsoa), upper(s.gp_practice), s.locality, s.date_of_death_d,
       coalesce(s.imd_decile_n, (select max(cast(d.decile as integer)) from area_deprivation d where d.lsoa = upper(s.lsoa))), $1
     from ${keptRows(idColumn)}`,
    [loadId, keyVersion],
  );
  return Number((await w.query<{ n: number }>('select count(*)::integer as n from people where load_id = $1', [loadId]))[0].n);
}

/**
 * Inserts the checked rows of people not opted out; returns how many, and the period they cover
 * (from the file itself when nobody in it is opted out).
 */
export async function insertEvents(w: Writer, loadId: string, idColumn: string, setting: string, anyOptedOut: boolean): Promise<{ rows: number; from: string | null; to: string | null }> {
  const rows = await w.change(
    `insert into events select $1, ids.pseudonym, $2, s.start_d, coalesce(s.end_d, s.start_d), s.units_n, s.cost_n from ${keptRows(idColumn)}`,
    [loadId, setting],
  );
  const [period] = await w.query<{ from: string | null; to: string | null }>(
    `select min(s.start_d)::varchar as "from", max(coalesce(s.end_d, s.start_d))::varchar as "to" from ${anyOptedOut ? keptRows(idColumn) : 'staged s'}`);
  return { rows, ...period };
}

export async function insertUnitCosts(w: Writer, loadId: string): Promise<number> {
  await w.run(
    `insert or replace into unit_costs
     select cast(left(financial_year, 4) as integer), setting, cast(unit_cost as double), $1 from staged`,
    [loadId],
  );
  return countStaged(w);
}

export async function recordLoad(w: Writer, load: LoadRecord): Promise<void> {
  await w.run(
    `insert into loads values ($1, $2, $3, $4, $5, $6, $7, $8, try_cast($9 as date), try_cast($10 as date), $11, cast($12 as timestamp), $13)`,
    [load.id, load.kind, load.partner, load.fileName, load.status, load.rowsRead, load.rowsLoaded, load.rowsOptedOut, load.periodFrom, load.periodTo, load.loadedBy, load.loadedAt, JSON.stringify(load.problems)],
  );
}

const loadColumns = `id, kind, partner, file_name as "fileName", status, rows_read::integer as "rowsRead", rows_loaded::integer as "rowsLoaded",
  rows_opted_out::integer as "rowsOptedOut", period_from::varchar as "periodFrom", period_to::varchar as "periodTo", loaded_by as "loadedBy",
  strftime(loaded_at, '%Y-%m-%dT%H:%M:%SZ') as "loadedAt", problems`;

type LoadRow = Omit<LoadRecord, 'problems'> & { problems: string | null };
const toLoad = (r: LoadRow): LoadRecord => ({ ...r, problems: r.problems ? (JSON.parse(r.problems) as LoadProblem[]) : [] });

export async function listLoads(store: InsightStore): Promise<LoadRecord[]> {
  return (await store.query<LoadRow>(`select ${loadColumns} from loads order by loaded_at desc, id`)).map(toLoad);
}

export async function findLoad(store: InsightStore, id: string): Promise<LoadRecord | undefined> {
  const [row] = await store.query<LoadRow>(`select ${loadColumns} from loads where id = $1`, [id]);
  return row ? toLoad(row) : undefined;
}

/** Removes what a load brought in. The load stays listed, marked removed, for the record. */
export async function removeLoadData(w: Writer, id: string): Promise<void> {
  await w.run('delete from events where load_id = $1', [id]);
  await w.run('delete from people where load_id = $1', [id]);
  await w.run('delete from unit_costs where load_id = $1', [id]);
  await w.run("update loads set status = 'removed' where id = $1", [id]);
}

/**
 * Rebuilds the person-year summary the pages read. Each event is priced (its own cost, or units ×
 * the unit cost of its setting in the financial year it starts), then split across financial years
 * (1 April to 31 March) by its share of days in each. Everyone in the register is counted in each
 * year they were alive at its start, so per-head figures have the whole population beneath them.
 */
export async function rebuildSummary(w: Writer): Promise<void> {
  await w.run(`create or replace table person_year_settings as
    with priced as (
      select e.pseudonym, e.setting, e.start_date, e.end_date, e.units, coalesce(e.cost, e.units * u.unit_cost) as cost
      from events e left join unit_costs u on u.setting = e.setting and u.financial_year = year(e.start_date - interval 3 month)
    ), years as (
      select p.*, cast(unnest(range(year(p.start_date - interval 3 month), year(p.end_date - interval 3 month) + 1)) as integer) as fy
      from priced p
    ), shared as (
      select pseudonym, setting, fy, cost, units,
        (date_diff('day', greatest(start_date, make_date(fy, 4, 1)), least(end_date, make_date(fy + 1, 3, 31))) + 1)::double
          / (date_diff('day', start_date, end_date) + 1) as share
      from years
    )
    select pseudonym, fy, setting, ${sideCase('setting')} as side, sum(cost * share) as cost, sum(units * share) as units
    from shared group by pseudonym, fy, setting`);
  // Cost and activity by person and calendar month, for comparing the months before and after a start date.
  await w.run(`create or replace table person_months as
    select e.pseudonym, date_trunc('month', e.start_date)::date as month, sum(coalesce(e.cost, e.units * u.unit_cost)) as cost, count(*)::integer as events,
      sum(case when e.setting = 'inpatient-emergency' then 1 else 0 end)::integer as emergency_admissions
    from events e left join unit_costs u on u.setting = e.setting and u.financial_year = year(e.start_date - interval 3 month)
    group by e.pseudonym, date_trunc('month', e.start_date)`);
  // For everyone who has died: cost by setting in each of the 12 months before death (months of
  // 30.4 days counted back from the day of death), so the last-year-of-life page reads this, not the events.
  await w.run(`create or replace table person_last_year as
    select e.pseudonym, (floor(date_diff('day', e.start_date, p.date_of_death) / 30.4375) + 1)::integer as months_before, e.setting,
      sum(coalesce(e.cost, e.units * u.unit_cost)) as cost
    from people p join events e on e.pseudonym = p.pseudonym
    left join unit_costs u on u.setting = e.setting and u.financial_year = year(e.start_date - interval 3 month)
    where p.date_of_death is not null and e.start_date <= p.date_of_death and e.start_date > p.date_of_death - interval 12 month
    group by e.pseudonym, 2, e.setting`);
  await w.run(`create or replace temp table person_years_unranked as
    with fys as (select distinct fy from person_year_settings),
    totals as (
      select pseudonym, fy, sum(case when side = 'health' then cost else 0 end) as health_cost, sum(case when side = 'social' then cost else 0 end) as social_cost
      from person_year_settings group by pseudonym, fy
    ), summed as (
      select p.pseudonym, f.fy, f.fy - p.year_of_birth as age,
        case when f.fy - p.year_of_birth < 18 then '0-17' when f.fy - p.year_of_birth < 65 then '18-64' when f.fy - p.year_of_birth < 75 then '65-74'
             when f.fy - p.year_of_birth < 85 then '75-84' else '85+' end as age_band,
        p.sex, coalesce(p.locality, 'Not known') as locality, coalesce(p.gp_practice, 'Not known') as gp_practice,
        p.imd_decile, case when p.imd_decile is null then null else (p.imd_decile + 1) // 2 end as imd_quintile,
        coalesce(p.date_of_death between make_date(f.fy, 4, 1) and make_date(f.fy + 1, 3, 31), false) as died_in_year,
        coalesce(t.health_cost, 0) as health_cost, coalesce(t.social_cost, 0) as social_cost, coalesce(t.health_cost, 0) + coalesce(t.social_cost, 0) as total_cost
      from people p cross join fys f
      left join totals t on t.pseudonym = p.pseudonym and t.fy = f.fy
      where (p.date_of_death is null or p.date_of_death >= make_date(f.fy, 4, 1)) and p.year_of_birth <= f.fy + 1
    )
    select * from summed`);
  // Each person's place in the year's ranking by cost, highest first (ties by pseudonym), for each
  // measure: a page ranking any subset of people by cost sorts by one whole number instead. Ranked
  // on the few columns the order needs, then joined back: sorting the whole rows three times
  // spills to disk at a million people under the store's memory limit.
  await w.run(`create or replace table person_years as
    with ranked as (
      select pseudonym, fy, row_number() over (partition by fy order by total_cost desc, pseudonym) as rank_total,
        row_number() over (partition by fy order by health_cost desc, pseudonym) as rank_health,
        row_number() over (partition by fy order by social_cost desc, pseudonym) as rank_social
      from person_years_unranked
    )
    select p.*, r.rank_total, r.rank_health, r.rank_social
    from person_years_unranked p join ranked r on r.pseudonym = p.pseudonym and r.fy = p.fy`);
  await w.run('drop table person_years_unranked');
}

const sideCase = (column: string) =>
  `case ${column} ${Object.entries(settings).map(([code, s]) => `when '${code}' then '${s.side}'`).join(' ')} end`;
