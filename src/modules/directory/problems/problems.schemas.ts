import { z } from 'zod';

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v);

export const problemReasons = {
  closed: 'The service has closed or stopped',
  wrong_contact_details: 'The contact details are wrong',
  wrong_times: 'The times or places are wrong',
  other: 'Something else',
} as const;

export const MAX_DETAILS = 2000;

export const ProblemReportForm = z.object({
  reason: z.enum(Object.keys(problemReasons) as [keyof typeof problemReasons], { error: 'Select what is wrong' }),
  details: z.preprocess(
    blank,
    z.string({ error: 'Enter what is wrong, and what it should say' }).max(MAX_DETAILS, `Details must be ${MAX_DETAILS.toLocaleString('en-GB')} characters or fewer`),
  ),
  email: z
    .preprocess(blank, z.email({ error: 'Enter an email address in the correct format, like name@example.org' }).max(254).optional())
    .transform((v) => v ?? null),
});

export const ResolveProblemForm = z.object({
  note: z.preprocess(blank, z.string({ error: 'Enter what you did about this report' }).max(2000, 'The note must be 2,000 characters or fewer')),
});
