import { z } from 'zod';
import { blank, opt, req, text, uuid } from '../social-prescribing.schemas.ts';

/** Merging two records, and searching people for an access review. */

export const MergeForm = z.object({
  duplicateId: req(uuid('Choose the other record from the list'), 'Choose the other record'),
  version: z.coerce.number().int().min(1),
  confirmed: z.preprocess(blank, z.literal('yes', { error: 'Confirm you have checked these records are the same person' })),
});

export const AccessSearchForm = z.object({ q: opt(text('Search', 100)) });
