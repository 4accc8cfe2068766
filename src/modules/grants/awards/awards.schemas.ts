import { z } from 'zod';
import { dateField, money, optionalText, text, uuid } from '../../../platform/form-fields.ts';

export const GrantForm = z
  .object({
    recipientOrganisationId: uuid('Choose the organisation receiving the grant'),
    title: text('the title', 139),
    description: text('the description', 5000),
    amount: money('The amount'),
    awardDate: dateField('the award date'),
    plannedStart: dateField('the planned start date'),
    plannedEnd: dateField('the planned end date'),
    programme: optionalText('the grant programme', 200),
    budgetLines: text('the budget lines', 5000),
    conditions: optionalText('the conditions', 5000),
    locations: optionalText('the beneficiary locations', 2000),
    classifications: optionalText('the classifications', 1000),
    publish: z.preprocess((v) => v === 'yes' || v === true, z.boolean()),
    investmentDecisionId: z.preprocess((v) => (v === '' ? undefined : v), z.string().uuid().optional()),
  })
  .refine((f) => f.plannedEnd >= f.plannedStart, { path: ['plannedEnd'], message: 'The planned end date must be the same as or after the planned start date' })
  .refine((f) => f.title.trim().toLowerCase() !== f.description.trim().toLowerCase(), { path: ['description'], message: 'The description must say more than the title' });
export type GrantInput = z.infer<typeof GrantForm>;

export const PublishForm = z.object({ publish: z.enum(['yes', 'no'], { error: 'Choose whether to publish this grant' }) });
