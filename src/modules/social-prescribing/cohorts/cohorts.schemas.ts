import { z } from 'zod';
import { blank, cohortOutcomes, many, opt, req, text, uploadedFile, uuid } from '../social-prescribing.schemas.ts';
import { callNeedCodes } from './call-needs.ts';

/** Loading an outreach cohort, sharing it out between link workers and recording calls. */

export const CohortUploadForm = z.object({
  name: req(text('Cohort name', 120), 'Enter a name for the cohort'),
  description: opt(text('Description', 500)),
  pcnId: req(uuid('Select a PCN'), 'Select the PCN'),
  file: uploadedFile('Choose a CSV file of people to call'),
});

/** Which people of a cohort a page lists. */
const cohortFilters = ['to_call', 'all', 'due', 'needs_support'] as const;

const filter = z.enum(cohortFilters).catch('to_call').default('to_call');
const pageNo = z.coerce.number().int().min(1).max(99_999).catch(1).default(1);
/** A worker's id, 'none' (nobody yet) or nothing (everyone); anything else is ignored. */
const worker = z.union([z.uuid(), z.literal('none')]).optional().catch(undefined);

/** A page of a cohort: the people still to call (or everyone, …), 50 at a time, of one worker or all. */
export const CohortQuery = z.object({ show: filter, page: pageNo, worker });
export type CohortListPlace = z.infer<typeof CohortQuery>;

/** Where the call form came from, so saving returns there: the list's filter, page and the next row. */
export const CallPlaceQuery = z.object({ show: filter, page: pageNo, worker, next: z.uuid().optional().catch(undefined) });

const version = z.coerce.number({ error: 'The form is missing its version: open the person again' }).int().min(1);

export const CohortCallForm = z
  .object({
    outcome: z.preprocess(blank, z.enum(cohortOutcomes, { error: 'Select the outcome of the call' })),
    needs: many(z.enum(callNeedCodes, { error: 'Choose needs from the list' })),
    notes: opt(text('Notes', 2000)),
    weekly: z.preprocess(blank, z.enum(['yes']).optional()),
    version,
  })
  .superRefine((form, ctx) => {
    if (form.outcome === 'needs_support' && form.needs.length === 0) ctx.addIssue({ code: 'custom', path: ['needs'], message: 'Select what they need help with' });
    if (form.outcome === 'no_answer' && form.needs.length > 0) ctx.addIssue({ code: 'custom', path: ['needs'], message: 'A call with no answer cannot record needs: untick them, or choose the outcome of the call' });
  });

/** Giving chosen people (ticked on the list) to a link worker, or back to nobody. */
export const AssignForm = z.object({
  members: many(z.uuid({ error: 'Choose people from the list' })).pipe(z.array(z.string()).min(1, 'Select the people to assign')),
  assignee: req(z.union([z.uuid({ error: 'Select a link worker' }), z.literal('none')]), 'Select who will call them'),
});

/** Sharing the people nobody is calling yet evenly between the ticked link workers. */
export const ShareOutForm = z.object({
  workers: many(z.uuid({ error: 'Select link workers from the list' })).pipe(z.array(z.string()).min(1, 'Select the link workers to share the cohort between')),
});

/** One person to another link worker, from their page. */
export const ReassignForm = z.object({
  assignee: req(z.union([z.uuid({ error: 'Select a link worker' }), z.literal('none')]), 'Select who will call them'),
  version,
});
