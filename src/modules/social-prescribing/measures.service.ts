import crypto from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import type { Database, Queryable } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { recordAudit } from '../../platform/audit.ts';
import { forbidden, HttpProblem } from '../../platform/http/errors.ts';
import * as repo from './social-prescribing.repository.ts';
import { canManageMeasures } from './social-prescribing.policy.ts';
import { auditPerson, caseForTeam, type Clock } from './social-prescribing.service.ts';
import { change, loadedMeasureScore, ons4Band, ons4Questions, uclaQuestions, uclaTotal, type LoadedMeasure, type Ons4Item } from './measures.ts';
import { ukToday } from './dates.ts';

/** Taking outcome measures, showing change per person, and loading a licensed measure as data. */

export type MeasureChoice = { code: string; name: string; questions: { text: string; min: number; max: number; options?: { value: number; text: string }[] }[] };

const ons4: MeasureChoice = { code: 'ons4', name: 'ONS4 personal wellbeing', questions: ons4Questions.map((q) => ({ text: q.text, min: 0, max: 10 })) };
const ucla3: MeasureChoice = {
  code: 'ucla3',
  name: 'UCLA 3-item loneliness scale',
  questions: uclaQuestions.map((text) => ({ text, min: 1, max: 3, options: [{ value: 1, text: 'Hardly ever' }, { value: 2, text: 'Some of the time' }, { value: 3, text: 'Often' }] })),
};

export async function measureChoices(db: Queryable): Promise<MeasureChoice[]> {
  const loaded = await repo.listMeasureDefinitions(db);
  return [ons4, ucla3, ...loaded.map((d) => ({ code: d.code, name: d.name, questions: d.questions }))];
}

/** Reads answers a0, a1 … from a form; each must be a whole number within its question's range. */
export function readAnswers(measure: MeasureChoice, body: Record<string, unknown>): { answers: number[] } | { errors: { field: string; message: string }[] } {
  const answers: number[] = [];
  const errors: { field: string; message: string }[] = [];
  measure.questions.forEach((q, i) => {
    const raw = body[`a${i}`];
    const value = typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
    if (!Number.isInteger(value) || value < q.min || value > q.max) errors.push({ field: `a${i}`, message: `Answer question ${i + 1} with a whole number from ${q.min} to ${q.max}` });
    else answers.push(value);
  });
  return errors.length ? { errors } : { answers };
}

export async function recordMeasurement(db: Database, actor: Actor, caseId: string, m: { measure: string; stage: string; takenOn: string; answers: number[] }, ip: string | null, clock?: Clock): Promise<void> {
  const found = await caseForTeam(db, actor, caseId);
  if (m.takenOn > ukToday(clock?.now ?? new Date())) throw new HttpProblem(422, 'The date taken cannot be in the future', undefined, [{ name: 'takenOn', reason: 'The date taken must be today or in the past' }]);
  let score: number | null = null;
  try {
    if (m.measure === 'ons4') {
      if (m.answers.length !== 4) throw new RangeError('ONS4 has four answers');
      m.answers.forEach((a, i) => ons4Band(ons4Questions[i].item, a));
    } else if (m.measure === 'ucla3') score = uclaTotal(m.answers);
    else {
      const def = await repo.findMeasureDefinition(db, m.measure);
      if (!def) throw new HttpProblem(422, 'Choose a measure from the list', undefined, [{ name: 'measure', reason: 'Choose a measure from the list' }]);
      score = loadedMeasureScore(def, m.answers);
    }
  } catch (error) {
    if (error instanceof RangeError) throw new HttpProblem(422, 'The answers are not valid', error.message);
    throw error;
  }
  await db.transaction(async (tx) => {
    const id = crypto.randomUUID();
    await repo.insertMeasurement(tx, { id, case_id: caseId, person_id: found.person_id, measure: m.measure, stage: m.stage, taken_on: m.takenOn, answers: m.answers, score, recorded_by: actor.userId });
    await auditPerson(tx, actor, 'measure_recorded', found.person_id, ip, { caseId, measurementId: id, measure: m.measure, stage: m.stage });
  });
}

export type MeasureSummary = {
  code: string;
  name: string;
  rows: { label: string; first: number | null; latest: number | null; change: number | null; firstBand?: string; latestBand?: string; betterWhen: 'higher' | 'lower' }[];
  taken: repo.MeasurementRow[];
};

/** Per measure: first and latest score (each ONS4 question separately, with its band) and the change. */
export function summariseMeasurements(rows: repo.MeasurementRow[], definitions: { code: string; name: string }[]): MeasureSummary[] {
  const byMeasure = new Map<string, repo.MeasurementRow[]>();
  for (const r of rows) byMeasure.set(r.measure, [...(byMeasure.get(r.measure) ?? []), r]);
  const out: MeasureSummary[] = [];
  for (const [code, taken] of byMeasure) {
    const first = taken[0];
    const latest = taken[taken.length - 1];
    if (code === 'ons4') {
      out.push({
        code,
        name: ons4.name,
        taken,
        rows: ons4Questions.map((q, i) => ({
          label: labelFor(q.item),
          first: first.answers[i],
          latest: taken.length > 1 ? latest.answers[i] : null,
          change: taken.length > 1 ? change(first.answers[i], latest.answers[i]) : null,
          firstBand: ons4Band(q.item, first.answers[i]),
          latestBand: taken.length > 1 ? ons4Band(q.item, latest.answers[i]) : undefined,
          betterWhen: q.item === 'anxiety' ? 'lower' : 'higher',
        })),
      });
    } else {
      const name = code === 'ucla3' ? ucla3.name : (definitions.find((d) => d.code === code)?.name ?? code);
      out.push({ code, name, taken, rows: [{ label: code === 'ucla3' ? 'Loneliness total (3–9)' : 'Score', first: first.score, latest: taken.length > 1 ? latest.score : null, change: taken.length > 1 ? change(first.score, latest.score) : null, betterWhen: code === 'ucla3' ? 'lower' : 'higher' }] });
    }
  }
  return out;
}

const labelFor = (item: Ons4Item) => ({ life_satisfaction: 'Life satisfaction', worthwhile: 'Worthwhile', happiness: 'Happiness', anxiety: 'Anxiety' })[item];

export async function viewMeasures(db: Database, actor: Actor, caseId: string, ip: string | null) {
  const found = await caseForTeam(db, actor, caseId);
  const [person, rows, choices] = await Promise.all([repo.findPerson(db, found.person_id), repo.listMeasurementsForPerson(db, found.person_id), measureChoices(db)]);
  await auditPerson(db, actor, 'viewed', found.person_id, ip, { part: 'measures', caseId });
  return { case: found, person: person!, choices, summaries: summariseMeasurements(rows, choices) };
}

// ---- loading a licensed measure -------------------------------------------------------------

const Definition = z.object({
  questions: z.array(z.object({ text: z.string().min(1).max(500), min: z.number().int(), max: z.number().int() }).refine((q) => q.min < q.max, 'min must be below max')).min(1).max(50),
  conversion: z.array(z.object({ raw: z.number().int(), score: z.number() })).max(1000).default([]),
});

/**
 * Reads a measure a partnership holds a licence for. JSON: { "questions": [{ "text", "min",
 * "max" }], "conversion": [{ "raw", "score" }] }. CSV: columns type,text,min,max,raw,score with
 * type "question" or "conversion" on each row.
 */
export function parseMeasureFile(content: string): { ok: true; questions: LoadedMeasure['questions']; conversion: LoadedMeasure['conversion'] } | { ok: false; message: string } {
  const trimmed = content.replace(/^\uFEFF/, '').trim();
  let candidate: unknown;
  if (trimmed.startsWith('{')) {
    try {
      candidate = JSON.parse(trimmed);
    } catch {
      return { ok: false, message: 'The file is not valid JSON' };
    }
  } else {
    let records: Record<string, string>[];
    try {
      records = parse(trimmed, { columns: (h: string[]) => h.map((x) => x.trim().toLowerCase()), skip_empty_lines: true, trim: true });
    } catch {
      return { ok: false, message: 'The file is not valid CSV' };
    }
    const num = (v: string | undefined) => (v === undefined || v === '' ? Number.NaN : Number(v));
    candidate = {
      questions: records.filter((r) => r.type === 'question').map((r) => ({ text: r.text, min: num(r.min), max: num(r.max) })),
      conversion: records.filter((r) => r.type === 'conversion').map((r) => ({ raw: num(r.raw), score: num(r.score) })),
    };
  }
  const parsed = Definition.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, message: `The file does not describe a measure: ${issue.path.join('.') || 'file'} ${issue.message}. It needs questions (text, min, max) and may have a conversion table (raw, score)` };
  }
  const { questions, conversion } = parsed.data;
  if (conversion.length) {
    const minRaw = questions.reduce((s, q) => s + q.min, 0);
    const maxRaw = questions.reduce((s, q) => s + q.max, 0);
    const missing = [];
    for (let raw = minRaw; raw <= maxRaw; raw++) if (!conversion.some((c) => c.raw === raw)) missing.push(raw);
    if (missing.length) return { ok: false, message: `The conversion table has no score for raw totals ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? '…' : ''}: it must cover ${minRaw} to ${maxRaw}` };
  }
  return { ok: true, questions, conversion };
}

export async function loadMeasureDefinition(db: Database, actor: Actor, input: { code: string; name: string; content: string }, ip: string | null): Promise<{ ok: true } | { ok: false; message: string }> {
  if (!canManageMeasures(actor)) throw forbidden('Only partnership admins can load measures.');
  if (input.code === 'ons4' || input.code === 'ucla3') return { ok: false, message: 'That code belongs to a built-in measure: choose another' };
  const parsed = parseMeasureFile(input.content);
  if (!parsed.ok) return parsed;
  await db.transaction(async (tx) => {
    await repo.upsertMeasureDefinition(tx, { id: crypto.randomUUID(), code: input.code, name: input.name, questions: parsed.questions, conversion: parsed.conversion, loaded_by: actor.userId });
    await recordAudit(tx, { actor, action: 'loaded', recordType: 'sp_measure_definition', recordId: input.code, ip, details: { name: input.name, questions: parsed.questions.length, conversionRows: parsed.conversion.length } });
  });
  return { ok: true };
}

export const listLoadedMeasures = (db: Queryable) => repo.listMeasureDefinitions(db);
