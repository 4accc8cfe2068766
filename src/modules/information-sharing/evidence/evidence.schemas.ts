import { z } from 'zod';
import { isoDateField } from '../../../platform/dates.ts';

/** The period for counting reads of people's records (defaults: the last 12 months). */
export const EvidenceQuery = z.object({
  from: isoDateField('the start of the period').optional(),
  to: isoDateField('the end of the period').optional(),
});
export type EvidenceQuery = z.infer<typeof EvidenceQuery>;
