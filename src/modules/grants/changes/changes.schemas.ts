import { z } from 'zod';
import { dateField, money, text, uuid } from '../../../platform/form-fields.ts';

export const MoveForm = z.object({
  fromLineId: uuid('Choose the budget line to move money from'),
  toLineId: uuid('Choose the budget line to move money to'),
  amount: money('The amount to move'),
  reason: text('why the change is needed', 2000),
});
export const ExtendForm = z.object({ newEndOn: dateField('the new end date'), reason: text('why the change is needed', 2000) });
export const DecideForm = z.object({
  decision: z.enum(['approve', 'decline'], { error: 'Choose whether to approve or decline' }),
  decisionReason: text('the reason for your decision', 2000),
});
