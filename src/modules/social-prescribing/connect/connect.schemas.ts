import { z } from 'zod';
import { attendanceValues, blank, many, needIds, opt, req, shareableFields, text, uuid } from '../social-prescribing.schemas.ts';

/** Searching the directory for a case, signposting or referring, and the receiving organisation's answers. */

export const ConnectSearchForm = z.object({
  need: opt(z.enum(needIds, { error: 'Choose a need from the list' })),
  miles: opt(z.coerce.number({ error: 'Distance must be a number of miles' }).min(0.1).max(100)),
  text: opt(text('Search text', 200)),
});

export const OnwardReferralForm = z
  .object({
    serviceId: req(uuid('Choose a service'), 'Choose a service'),
    kind: z.preprocess(blank, z.enum(['signpost', 'refer'], { error: 'Select signpost or refer' })),
    sharedFields: many(z.enum(shareableFields, { error: 'Choose details from the list' })),
    consentConfirmed: opt(z.literal('yes')),
    consentBasis: opt(z.literal('yes')),
    notes: opt(text('Notes for the organisation', 2000)),
  })
  .refine((f) => f.kind !== 'refer' || f.sharedFields.includes('name'), { path: ['sharedFields'], message: 'A referral needs at least the person’s name: select the details they agreed to share' })
  .refine((f) => f.kind !== 'refer' || f.consentConfirmed === 'yes', { path: ['consentConfirmed'], message: 'Confirm the person agreed to share these details with the organisation' });

export const InboxAnswerForm = z
  .object({
    decision: z.preprocess(blank, z.enum(['accept', 'decline'], { error: 'Select accept or decline' })),
    reason: opt(text('Reason', 1000)),
  })
  .refine((f) => f.decision !== 'decline' || f.reason, { path: ['reason'], message: 'Enter why you cannot take this referral' });

export const AttendanceForm = z.object({ attendance: z.preprocess(blank, z.enum(attendanceValues, { error: 'Select how they are getting on' })) });
