import type { Queryable } from '../../../platform/db/database.ts';
import { camelRow, camelRows } from '../rows.ts';

/** Outcome measurements taken on cases, and the licensed measures a partnership loads. */

export type Measurement = { id: string; caseId: string; measure: string; stage: string; takenOn: string; answers: number[]; score: number | null };
type MeasureDefinition = { id: string; code: string; name: string; questions: { text: string; min: number; max: number }[]; conversion: { raw: number; score: number }[] };

export async function insertMeasurement(db: Queryable, m: { id: string; caseId: string; personId: string; measure: string; stage: string; takenOn: string; answers: number[]; score: number | null; recordedBy: string }): Promise<void> {
  await db.query(
    `insert into sp_measurements (id, case_id, person_id, measure, stage, taken_on, answers, score, recorded_by) values ($1, $2, $3, $4, $5, $6, $7::int[], $8, $9)`,
    [m.id, m.caseId, m.personId, m.measure, m.stage, m.takenOn, m.answers, m.score, m.recordedBy],
  );
}

export async function listMeasurementsForPerson(db: Queryable, personId: string): Promise<Measurement[]> {
  return camelRows<Measurement>(
    await db.query('select id, case_id, measure, stage, taken_on, answers, score::float8 as score from sp_measurements where person_id = $1 order by measure, taken_on, created_at', [personId]),
  );
}

export async function listMeasurementsForCase(db: Queryable, caseId: string): Promise<Measurement[]> {
  return camelRows<Measurement>(
    await db.query('select id, case_id, measure, stage, taken_on, answers, score::float8 as score from sp_measurements where case_id = $1 order by measure, taken_on, created_at', [caseId]),
  );
}

export async function listMeasureDefinitions(db: Queryable): Promise<MeasureDefinition[]> {
  return db.query<MeasureDefinition>('select id, code, name, questions, conversion from sp_measure_definitions order by name');
}

export async function findMeasureDefinition(db: Queryable, code: string): Promise<MeasureDefinition | null> {
  const [row] = await db.query('select id, code, name, questions, conversion from sp_measure_definitions where code = $1', [code]);
  return row ? camelRow<MeasureDefinition>(row) : null;
}

/** Loads or replaces a definition by its code. */
export async function upsertMeasureDefinition(db: Queryable, d: { id: string; code: string; name: string; questions: unknown; conversion: unknown; loadedBy: string }): Promise<void> {
  await db.query(
    `insert into sp_measure_definitions (id, code, name, questions, conversion, loaded_by) values ($1, $2, $3, $4::jsonb, $5::jsonb, $6)
     on conflict (code) do update set name = excluded.name, questions = excluded.questions, conversion = excluded.conversion, loaded_by = excluded.loaded_by, updated_at = now()`,
    [d.id, d.code, d.name, JSON.stringify(d.questions), JSON.stringify(d.conversion), d.loadedBy],
  );
}
