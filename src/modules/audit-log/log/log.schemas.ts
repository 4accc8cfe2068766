import { z } from 'zod';
import { isoDateField } from '../../../platform/dates.ts';

/** The filter form's fields as the page's query string sends them: text, each at most once. */
export const FILTER_KEYS = ['userId', 'recordType', 'recordId', 'action', 'from', 'to', 'page'] as const;
export const AuditFilterQuery = z.object(Object.fromEntries(FILTER_KEYS.map((k) => [k, z.string().optional()])) as Record<(typeof FILTER_KEYS)[number], z.ZodOptional<z.ZodString>>);

/** Filters for the audit log: the same for the page, the CSV export and the API. */
export const AuditFilter = z
  .object({
    userId: z.string().uuid('Select a person from the list').optional().describe('Who did it (user id)'),
    recordType: z.string().max(100, 'Record type must be 100 characters or fewer').optional().describe("The kind of record, e.g. 'user', 'service'"),
    recordId: z.string().trim().max(200, 'Record id must be 200 characters or fewer').optional(),
    action: z.string().max(100, 'Action must be 100 characters or fewer').optional().describe("e.g. 'invited', 'role_added', 'viewed'"),
    from: isoDateField('the from date').optional().describe('On or after this date (YYYY-MM-DD, UK time)'),
    to: isoDateField('the to date').optional().describe('On or before this date (YYYY-MM-DD, UK time)'),
    page: z.coerce.number({ error: 'Page must be a whole number' }).int('Page must be a whole number').min(1, 'Page must be 1 or more').max(100_000).optional(),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { path: ['to'], message: 'The to date must be the same as or after the from date' });
export type AuditFilter = z.infer<typeof AuditFilter>;

export const AuditEntrySchema = z.object({
  id: z.string().uuid(),
  at: z.string().describe('When, ISO 8601'),
  actorUserId: z.string().uuid().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  recordType: z.string(),
  recordId: z.string().nullable(),
  ip: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});

export const AuditPage = z.object({
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
  items: z.array(AuditEntrySchema),
});
