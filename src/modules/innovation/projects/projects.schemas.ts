import { z } from 'zod';
import { blankToUndefined } from '../../../platform/http/forms.ts';
import { capital, dateField, optionalText, text } from '../../../platform/form-fields.ts';

export const MilestoneForm = z.object({ title: text('the milestone', 500), dueOn: dateField('the due date') });

export const ProjectUpdateForm = z.object({
  progressPercent: z.coerce.number({ error: 'Progress must be a whole number from 0 to 100' }).int('Progress must be a whole number from 0 to 100').min(0, 'Progress must be a whole number from 0 to 100').max(100, 'Progress must be a whole number from 0 to 100'),
  summary: text('what has happened', 5000),
  risks: optionalText('the risks', 5000),
});

const decimal = (label: string) =>
  z.preprocess((v) => (typeof v === 'string' ? v.trim().replace(/,/g, '') : v), z.string({ error: `Enter ${label}` }).min(1, `Enter ${label}`).regex(/^-?\d{1,12}(\.\d{1,4})?$/, `${capital(label)} must be a number, like 12 or 3.5`));

export const MeasureForm = z.object({
  name: text('what is measured', 300),
  unit: optionalText('the unit', 100),
  baseline: decimal('the baseline'),
  target: z.preprocess(blankToUndefined, decimal('the target').optional()),
});

export const MeasureResultForm = z.object({ result: decimal('the result') });

export const EndProjectForm = z.object({
  endDecision: z.enum(['scale', 'adapt', 'stop'], { error: 'Choose whether to scale, adapt or stop' }),
  learning: text('what was learned', 10000),
});

/** Marking a milestone done, or not done after all. */
export const DoneForm = z.object({ done: z.enum(['yes', 'no']) });
