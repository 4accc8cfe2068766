import { z } from 'zod';
import { pageNumber } from '../../../platform/http/pagination.ts';
import { UUID_PATTERN } from '../../../platform/ids.ts';

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

/** An id in the path; a malformed one is a 404 (the platform answers it). */
export const IdParams = z.object({ id: z.string().regex(UUID_PATTERN) });

/** The inbox: ?page=, and `done` naming the message after a redirect. */
export const ProblemsQuery = z.object({ page: z.string().optional().transform(pageNumber), done: z.string().optional() });
