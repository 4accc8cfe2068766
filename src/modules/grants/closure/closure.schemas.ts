import { z } from 'zod';
import { dateField, optionalMoney, optionalText, text } from '../../../platform/form-fields.ts';

const tick = z.preprocess((v) => v === 'yes' || v === true, z.boolean());

export const ChecklistForm = z.object({
  finalReportReviewed: tick,
  spendReconciled: tick,
  meetingNotes: optionalText('the closure meeting notes', 10000),
  intellectualProperty: optionalText('who owns the intellectual property', 5000),
  personalData: optionalText('what happens to personal data', 5000),
  communications: optionalText('communications and publicity', 5000),
  assets: optionalText('assets bought', 5000),
  underspend: optionalMoney('The underspend'),
  underspendOutcome: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['returned', 'reallocated'], { error: 'Choose whether the underspend was returned or reallocated' }).optional()),
});
export type ChecklistInput = z.infer<typeof ChecklistForm>;

export const CommentForm = z.object({ comment: text('your comment', 5000), suggestedText: optionalText('the suggested wording', 10000) });
export const VersionForm = z.object({ body: text('the letter', 50000), note: optionalText('what changed', 1000) });
export const SignForm = z.object({
  party: z.enum(['funder', 'grantee'], { error: 'Choose who you are signing for' }),
  typedName: text('your full name', 200),
  signerRole: text('your role', 200),
  signedOn: dateField('the date'),
  fingerprint: z.string({ error: 'Sign the letter from its page' }).regex(/^[0-9a-f]{64}$/, 'Sign the letter from its page'),
});
