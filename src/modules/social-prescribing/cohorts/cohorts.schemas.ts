import { z } from 'zod';
import { blank, cohortOutcomes, opt, req, text, uploadedFile, uuid } from '../social-prescribing.schemas.ts';

/** Loading an outreach cohort and recording calls. */

export const CohortUploadForm = z.object({
  name: req(text('Cohort name', 120), 'Enter a name for the cohort'),
  description: opt(text('Description', 500)),
  pcnId: req(uuid('Select a PCN'), 'Select the PCN'),
  file: uploadedFile('Choose a CSV file of people to call'),
});

export const CohortCallForm = z.object({
  outcome: z.preprocess(blank, z.enum(cohortOutcomes, { error: 'Select the outcome of the call' })),
  notes: opt(text('Notes', 2000)),
});

/** A page of a cohort: the people still to call (or everyone), 50 at a time. */
export const CohortQuery = z.object({
  show: z.string().optional(),
  page: z.coerce.number().int().min(1).max(99_999).catch(1).default(1),
});
