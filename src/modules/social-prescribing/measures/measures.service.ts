import crypto from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import type { Database, Queryable } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/actor.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { refuse } from '../../../platform/refusal.ts';
import * as repo from './measures.repository.ts';
import * as peopleRepo from '../people/people.repository.ts';
import { canManageMeasures } from '../social-prescribing.policy.ts';
import { auditPerson, today, type Clock } from '../people/people.service.ts';
import { caseForTeam } from '../cases/cases.service.ts';
import type { MeasureChoice } from './measures.schemas.ts';
import { change, loadedMeasureScore, ons4Band, ons4Questions, uclaQuestions, uclaTotal, type LoadedMeasure, type Ons4Item } from './scoring.ts';

/** Taking outcome measures, showing change per person, and loading a licensed measure as data. */

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

export async function recordMeasurement(db: Database, actor: Actor, caseId: string, m: { measure: string; stage: string; takenOn: string; answers: number[] }, ip: string | null, clock?: Clock): Promise<void> {
  const found = await caseForTeam(db, actor, caseId);
  if (m.takenOn > today(clock)) throw refuse.invalid('takenOn', 'The date taken must be today or in the past');
  let score: number | null = null;
  try {
    if (m.measure === 'ons4') {
      if (m.answers.length !== 4) throw new RangeError('ONS4 has four answers');
      m.answers.forEach((a, i) => ons4Band(ons4Questions[i].item, a));
    } else if (m.measure === 'ucla3') score = uclaTotal(m.answers);
    else {
      const def = await repo.findMeasureDefinition(db, m.measure);
      if (!def) throw refuse.invalid('measure', 'Choose a measure from the list');
      score = loadedMeasureScore(def, m.answers);
    }
  } catch (error) {
    if (error instanceof RangeError) throw refuse.invalid('form', `The answers are not valid. ${error.message}`);
    throw error;
  }
  await db.transaction(async (tx) => {
    const id = crypto.randomUUID();
    await repo.insertMeasurement(tx, { id, caseId, personId: found.personId, measure: m.measure, stage: m.stage, takenOn: m.takenOn, answers: m.answers, score, recordedBy: actor.userId });
    await auditPerson(tx, actor, 'measure_recorded', found.personId, ip, { caseId, measurementId: id, measure: m.measure, stage: m.stage });
  });
}

type MeasureSummary = {
  code: string;
  name: string;
  rows: { label: string; first: number | null; latest: number | null; change: number | null; firstBand?: string; latestBand?: string; betterWhen: 'higher' | 'lower' }[];
  taken: repo.Measurement[];
};

/** Per measure: first and latest score (each ONS4 question separately, with its band) and the change. */
function summariseMeasurements(rows: repo.Measurement[], definitions: { code: string; name: string }[]): MeasureSummary[] {
  const byMeasure = new Map<string, repo.Measurement[]>();
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
  const [person, rows, choices] = await Promise.all([peopleRepo.findPerson(db, found.personId), repo.listMeasurementsForPerson(db, found.personId), measureChoices(db)]);
  await auditPerson(db, actor, 'viewed', found.personId, ip, { part: 'measures', caseId });
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
function parseMeasureFile(content: string): { questions: LoadedMeasure['questions']; conversion: LoadedMeasure['conversion'] } {
  const refused = (message: string) => refuse.invalid('file', message);
  const trimmed = content.replace(/^\uFEFF/, '').trim();
  let candidate: unknown;
  if (trimmed.startsWith('{')) {
    try {
      candidate = JSON.parse(trimmed);
    } catch {
      throw refused('The file is not valid JSON');
    }
  } else {
    let records: Record<string, string>[];
    try {
      records = parse(trimmed, { columns: (h: string[]) => h.map((x) => x.trim().toLowerCase()), skip_empty_lines: true, trim: true });
    } catch {
      throw refused('The file is not valid CSV');
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
    throw refused(`The file does not describe a measure: ${issue.path.join('.') || 'file'} ${issue.message}. It needs questions (text, min, max) and may have a conversion table (raw, score)`);
  }
  const { questions, conversion } = parsed.data;
  if (conversion.length) {
    const minRaw = questions.reduce((s, q) => s + q.min, 0);
    const maxRaw = questions.reduce((s, q) => s + q.max, 0);
    const missing = [];
    for (let raw = minRaw; raw <= maxRaw; raw++) if (!conversion.some((c) => c.raw === raw)) missing.push(raw);
    if (missing.length) throw refused(`The conversion table has no score for raw totals ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? '…' : ''}: it must cover ${minRaw} to ${maxRaw}`);
  }
  return { questions, conversion };
}

export async function loadMeasureDefinition(db: Database, actor: Actor, input: { code: string; name: string; content: string }, ip: string | null): Promise<void> {
  if (!canManageMeasures(actor)) throw refuse.forbidden('Only partnership admins can load measures.');
  if (input.code === 'ons4' || input.code === 'ucla3') throw refuse.invalid('code', 'That code belongs to a built-in measure: choose another');
  const parsed = parseMeasureFile(input.content);
  await db.transaction(async (tx) => {
    await repo.upsertMeasureDefinition(tx, { id: crypto.randomUUID(), code: input.code, name: input.name, questions: parsed.questions, conversion: parsed.conversion, loadedBy: actor.userId });
    await recordAudit(tx, { actor, action: 'loaded', recordType: 'sp_measure_definition', recordId: input.code, ip, details: { name: input.name, questions: parsed.questions.length, conversionRows: parsed.conversion.length } });
  });
}

export async function listLoadedMeasures(db: Queryable, actor: Actor) {
  if (!canManageMeasures(actor)) throw refuse.forbidden('Only partnership admins can load measures.');
  return repo.listMeasureDefinitions(db);
}
