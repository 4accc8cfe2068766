import { z } from 'zod';
import { linesOf, wholeNumber } from '../grants.schemas.ts';
import { dateField, money, optionalDate, optionalMoney, optionalText, text, uuid } from '../../../platform/form-fields.ts';

export const FundForm = z
  .object({
    funderOrganisationId: uuid('Choose the funder organisation'),
    name: text('the fund name', 200),
    total: money('The fund total'),
    opensOn: dateField('the open date'),
    closesOn: dateField('the close date'),
    programmes: z.preprocess((v) => (typeof v === 'string' ? linesOf(v) : []), z.array(z.string().max(200, 'Each programme name must be 200 characters or fewer')).max(20, 'Enter at most 20 programmes')),
    spendOutOn: optionalDate('the spend-out date'),
    endMonthsBeforeSpendOut: z.preprocess((v) => (v === '' || v === undefined ? 6 : v), wholeNumber('the months before spend-out', 0, 36)),
    approvalThreshold: optionalMoney('The approval threshold'),
    lateMovePercent: z.preprocess((v) => (v === '' || v === undefined ? 10 : v), wholeNumber('the late-move percentage', 0, 100)),
    lateMoveMax: optionalMoney('The largest late move'),
    letterTemplate: optionalText('the closure letter template', 20000),
  })
  .refine((f) => f.closesOn >= f.opensOn, { path: ['closesOn'], message: 'The close date must be the same as or after the open date' })
  .refine((f) => !f.spendOutOn || f.spendOutOn >= f.opensOn, { path: ['spendOutOn'], message: 'The spend-out date must be after the open date' });
export type FundInput = z.infer<typeof FundForm>;

export const DEFAULT_LETTER_TEMPLATE = `Dear {{recipient}},

Closure of grant {{grantId}}: {{title}}

This letter closes the grant of {{amount}} made by {{funder}} from {{fund}} on {{awardDate}}. Both parties sign below to agree what follows.

Reporting
{{reporting}}

Money
{{money}}

Intellectual property
{{intellectualProperty}}

Personal data
{{personalData}}

Communications and publicity
{{communications}}

Assets bought with the grant
{{assets}}

Closure meeting
{{meeting}}

With thanks for your work,
{{funder}}`;
