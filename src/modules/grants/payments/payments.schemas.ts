import { z } from 'zod';
import { dateField, text } from '../../../platform/form-fields.ts';

export const ScheduleForm = z.object({ schedule: text('the payment schedule', 5000) });
export const PaidForm = z.object({
  paidOn: dateField('the date paid'),
  paymentReference: z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() : v),
    z.string({ error: 'Enter the payment reference' }).min(1, 'Enter the payment reference').max(100, 'The payment reference must be 100 characters or fewer'),
  ),
});
