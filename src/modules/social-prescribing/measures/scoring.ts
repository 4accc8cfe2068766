/**
 * Outcome measures. ONS4 personal wellbeing is four 0–10 questions, each reported on its own with
 * the ONS thresholds (anxiety runs the other way: low is good). The UCLA 3-item loneliness scale
 * scores each answer 1–3 and totals 3–9. Other measures a partnership holds a licence for are
 * loaded as data (question text and a conversion table): none is shipped.
 */

export type Ons4Item = 'life_satisfaction' | 'worthwhile' | 'happiness' | 'anxiety';

export const ons4Questions: { item: Ons4Item; text: string }[] = [
  { item: 'life_satisfaction', text: 'Overall, how satisfied are you with your life nowadays?' },
  { item: 'worthwhile', text: 'Overall, to what extent do you feel that the things you do in your life are worthwhile?' },
  { item: 'happiness', text: 'Overall, how happy did you feel yesterday?' },
  { item: 'anxiety', text: 'On a scale where 0 is “not at all anxious” and 10 is “completely anxious”, overall, how anxious did you feel yesterday?' },
];

type Ons4Band = 'Low' | 'Medium' | 'High' | 'Very high' | 'Very low';

/** The ONS thresholds: for the three positive questions 0–4 low, 5–6 medium, 7–8 high, 9–10 very high; for anxiety 0–1 very low, 2–3 low, 4–5 medium, 6–10 high. */
export function ons4Band(item: Ons4Item, score: number): Ons4Band {
  if (!Number.isInteger(score) || score < 0 || score > 10) throw new RangeError('ONS4 answers are whole numbers from 0 to 10');
  if (item === 'anxiety') return score <= 1 ? 'Very low' : score <= 3 ? 'Low' : score <= 5 ? 'Medium' : 'High';
  return score <= 4 ? 'Low' : score <= 6 ? 'Medium' : score <= 8 ? 'High' : 'Very high';
}

export const uclaQuestions = [
  'How often do you feel that you lack companionship?',
  'How often do you feel left out?',
  'How often do you feel isolated from others?',
];

/** UCLA 3-item total, 3 (least lonely) to 9 (most lonely). */
export function uclaTotal(answers: number[]): number {
  if (answers.length !== 3 || answers.some((a) => !Number.isInteger(a) || a < 1 || a > 3)) {
    throw new RangeError('The UCLA 3-item scale has three answers, each 1, 2 or 3');
  }
  return answers[0] + answers[1] + answers[2];
}

export type LoadedMeasure = {
  code: string;
  name: string;
  questions: { text: string; min: number; max: number }[];
  conversion: { raw: number; score: number }[];
};

/** Raw total through the loaded conversion table; the raw total itself when the table is empty. */
export function loadedMeasureScore(measure: LoadedMeasure, answers: number[]): number {
  if (answers.length !== measure.questions.length) throw new RangeError(`${measure.name} has ${measure.questions.length} questions`);
  measure.questions.forEach((q, i) => {
    const a = answers[i];
    if (!Number.isInteger(a) || a < q.min || a > q.max) throw new RangeError(`Answer ${i + 1} must be from ${q.min} to ${q.max}`);
  });
  const raw = answers.reduce((s, a) => s + a, 0);
  if (!measure.conversion.length) return raw;
  const row = measure.conversion.find((c) => c.raw === raw);
  if (!row) throw new RangeError(`The conversion table has no score for a raw total of ${raw}`);
  return row.score;
}

/** Change from the first to the latest measurement: later minus earlier. */
export function change(first: number | null | undefined, latest: number | null | undefined): number | null {
  if (first === null || first === undefined || latest === null || latest === undefined) return null;
  return Math.round((latest - first) * 100) / 100;
}
