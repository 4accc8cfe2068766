import { rebuildSummary } from '../loads/loads.repository.ts';
import type { InsightStore } from './insight-store.ts';

/**
 * The store's tables. Plain SQL types and no DuckDB-only syntax in the tables themselves, so the
 * same tables can live as Parquet files read by a distributed engine (docs/ARCHITECTURE.md).
 */
const TABLES = `
create table if not exists loads (
  id varchar primary key, kind varchar not null, partner varchar not null, file_name varchar not null,
  status varchar not null, rows_read bigint not null, rows_loaded bigint not null, rows_opted_out bigint not null,
  period_from date, period_to date, loaded_by varchar not null, loaded_at timestamp not null, problems varchar
);
create table if not exists people (
  pseudonym varchar primary key, key_version varchar not null, year_of_birth integer not null, sex varchar not null,
  lsoa varchar, gp_practice varchar, locality varchar, date_of_death date, imd_decile integer, load_id varchar not null
);
create table if not exists events (
  load_id varchar not null, pseudonym varchar not null, setting varchar not null,
  start_date date not null, end_date date not null, units double not null, cost double
);
create table if not exists unit_costs (
  financial_year integer not null, setting varchar not null, unit_cost double not null, load_id varchar not null,
  primary key (financial_year, setting)
);
create table if not exists opted_out (pseudonym varchar primary key);
create table if not exists person_years (
  pseudonym varchar, fy integer, age integer, age_band varchar, sex varchar, locality varchar, gp_practice varchar,
  imd_decile integer, imd_quintile integer, died_in_year boolean, health_cost double, social_cost double, total_cost double,
  rank_total bigint, rank_health bigint, rank_social bigint
);
create table if not exists person_months (pseudonym varchar, month date, cost double, events integer, emergency_admissions integer);
create table if not exists person_year_settings (pseudonym varchar, fy integer, setting varchar, side varchar, cost double, units double);
`;

export async function createTables(store: InsightStore): Promise<void> {
  await store.write(async (w) => {
    for (const statement of TABLES.split(';').map((s) => s.trim()).filter(Boolean)) await w.run(statement);
    // A store whose summary was built before it held each person's cost ranks and the last year of life: build it again.
    const [built] = await w.query<{ ranks: number; lastYear: number }>(
      `select (select count(*) from information_schema.columns where table_name = 'person_years' and column_name = 'rank_total')::integer as ranks,
         (select count(*) from information_schema.tables where table_name = 'person_last_year')::integer as "lastYear"`);
    if (!built.ranks || !built.lastYear) await rebuildSummary(w);
  });
}
