import { z } from 'zod';
import { blankToUndefined } from '../../../platform/http/forms.ts';
import { Pence, timeField } from '../innovation.schemas.ts';
import { money, optionalDate, optionalText, text, uuid } from '../../../platform/form-fields.ts';
import { stages } from '../stages.ts';

export const ProgrammeForm = z
  .object({
    name: text('the programme name', 200),
    purpose: text('the purpose', 5000),
    startsOn: optionalDate('the start date'),
    endsOn: optionalDate('the end date'),
    fund: money('The fund'),
    caseDeadlineDate: optionalDate('the deadline date'),
    caseDeadlineTime: z.preprocess(blankToUndefined, timeField('the deadline time').optional()),
    publicIdeas: z.preprocess((v) => v === 'yes' || v === true, z.boolean()),
  })
  .refine((f) => !f.startsOn || !f.endsOn || f.endsOn >= f.startsOn, { path: ['endsOn'], message: 'The end date must be the same as or after the start date' });

export type ProgrammeForm = z.infer<typeof ProgrammeForm>;

export const StageForm = z.object({ stage: z.enum(stages, { error: 'Choose a stage' }) });

export const MemberForm = z.object({
  name: text('their full name', 200),
  email: z.preprocess((v) => (typeof v === 'string' ? v.trim() : v), z.string({ error: 'Enter their email address' }).email('Enter an email address in the correct format, like name@example.org')),
  organisationId: uuid('Choose the organisation they take part for'),
  role: z.enum(['participant', 'panel', 'chair'], { error: 'Choose how they take part' }),
});

export const CriterionForm = z.object({
  name: text('the criterion', 200),
  description: optionalText('the description', 1000),
  weight: z.coerce.number({ error: 'Weight must be a whole number from 1 to 10' }).int('Weight must be a whole number from 1 to 10').min(1, 'Weight must be a whole number from 1 to 10').max(10, 'Weight must be a whole number from 1 to 10'),
});

export const ApiFund = z.object({
  fundPence: Pence,
  awardedPence: Pence,
  heldForVotePence: Pence,
  remainingPence: Pence,
  fund: z.string().describe('The fund, as £1,234.56'),
  awarded: z.string(),
  heldForVote: z.string(),
  remaining: z.string(),
  decisions: z.number().int(),
});

export const ApiProgramme = z.object({
  id: z.string().uuid(),
  name: z.string(),
  purpose: z.string(),
  stage: z.enum(stages),
  startsOn: z.string().nullable(),
  endsOn: z.string().nullable(),
  caseDeadline: z.string().nullable().describe('ISO 8601; cases cannot change after it'),
  fund: ApiFund,
});
