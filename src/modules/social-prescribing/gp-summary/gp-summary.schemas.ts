import { z } from 'zod';
import { blank } from '../social-prescribing.schemas.ts';

export const GpSummaryForm = z.object({
  how: z.preprocess(blank, z.enum(['email', 'other'], { error: 'Choose how the summary goes to the GP practice' })),
});
