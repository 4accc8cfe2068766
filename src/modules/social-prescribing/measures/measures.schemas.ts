import { z } from 'zod';
import { blank, isoDate, measureStages, req, text, uploadedFile } from '../social-prescribing.schemas.ts';

/** Taking a measure on a case, and loading a licensed measure. */

const MeasurementForm = z.object({
  measure: req(text('Measure', 60), 'Choose a measure'),
  stage: z.preprocess(blank, z.enum(measureStages, { error: 'Select when this was taken: start, review or end' })),
  takenOn: req(isoDate('Date taken'), 'Enter the date it was taken'),
});

const MeasureDefinitionForm = z.object({
  code: req(z.string().regex(/^[a-z0-9-]{2,40}$/, 'Code must be 2 to 40 lower-case letters, numbers or hyphens, like my-scale'), 'Enter a short code'),
  name: req(text('Name', 120), 'Enter the measure’s name'),
});

/** The measure file beside the code and name. */
export const MeasureUploadForm = MeasureDefinitionForm.extend({ file: uploadedFile('Choose a JSON or CSV file with the questions and conversion table') });

export type MeasureChoice = { code: string; name: string; questions: { text: string; min: number; max: number; options?: { value: number; text: string }[] }[] };

/** Reads answers a0, a1 … from a form; each must be a whole number within its question's range. */
function readAnswers(measure: MeasureChoice, body: Record<string, unknown>): { answers: number[] } | { errors: { field: string; message: string }[] } {
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

/** The measurement form for the measures on offer: its fields and every answer, all checked at once. */
export function measurementFormFor(choices: MeasureChoice[]) {
  return z.record(z.string(), z.unknown()).transform((input, ctx) => {
    const form = MeasurementForm.safeParse(input);
    if (!form.success) for (const issue of form.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    const choice = choices.find((c) => c.code === input.measure);
    const answers = choice ? readAnswers(choice, input) : { errors: [{ field: 'measure', message: 'Choose a measure from the list' }] };
    if ('errors' in answers) for (const e of answers.errors) ctx.addIssue({ code: 'custom', message: e.message, path: [e.field] });
    if (!form.success || 'errors' in answers) return z.NEVER;
    return { ...form.data, answers: answers.answers };
  });
}
