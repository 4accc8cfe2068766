import { z } from 'zod';

function isCalendarDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

const dateField = (label: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${label} must be a real date, like 2026-03-27`)
    .refine(isCalendarDate, `${label} must be a real date, like 2026-03-27`)
    .describe('A date, YYYY-MM-DD (UK time)');

/** Filters for the audit log: the same for the page, the CSV export and the API. */
export const AuditFilter = z
  .object({
    userId: z.string().uuid('Select a person from the list').optional().describe('Who did it (user id)'),
    recordType: z.string().max(100, 'Record type must be 100 characters or fewer').optional().describe("The kind of record, e.g. 'user', 'service'"),
    recordId: z.string().trim().max(200, 'Record id must be 200 characters or fewer').optional(),
    action: z.string().max(100, 'Action must be 100 characters or fewer').optional().describe("e.g. 'invited', 'role_added', 'viewed'"),
    from: dateField('The from date').optional().describe('On or after this date (YYYY-MM-DD, UK time)'),
    to: dateField('The to date').optional().describe('On or before this date (YYYY-MM-DD, UK time)'),
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
