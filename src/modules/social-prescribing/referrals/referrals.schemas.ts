import { z } from 'zod';
import { PersonFields, blank, declineReasons, many, needIds, opt, phone, req, text, uuid } from '../social-prescribing.schemas.ts';

/** Referral forms (staff and self-referral), triage, and the API's referrals. */

const reasons = many(z.enum(needIds, { error: 'Choose reasons from the list' })).refine((r) => r.length > 0, 'Select at least one reason for the referral');

const ReferralFields = {
  reasons,
  notes: opt(text('Notes', 2000)),
};

/** A staff referral: a new person, or an existing person by id. */

export const StaffReferralForm = z.object({
  ...PersonFields,
  ...ReferralFields,
  consentToContact: z.preprocess(blank, z.literal('yes', { error: 'Confirm the person agreed to be contacted by a link worker' })),
  createAnyway: opt(z.literal('yes')),
});

export const ExistingPersonReferralForm = z.object({ ...ReferralFields });

export const SelfReferralForm = z.object({
  ...PersonFields,
  phone: req(phone, 'Enter a phone number so a link worker can call you'),
  ...ReferralFields,
  consentToContact: z.preprocess(blank, z.literal('yes', { error: 'Tick the box to say a link worker may contact you' })),
});

export const TriageForm = z
  .object({
    decision: z.preprocess(blank, z.enum(['accept', 'decline'], { error: 'Select accept or decline' })),
    declineReason: opt(z.enum(declineReasons, { error: 'Select a reason' })),
    linkWorkerId: opt(uuid('Select a link worker from the list')),
  })
  .refine((f) => f.decision !== 'decline' || f.declineReason, { path: ['declineReason'], message: 'Select why the referral is declined' });

export const ApiReferralCreate = z.object({
  personId: z.string().uuid(),
  reasons: z.array(z.enum(needIds)).min(1, 'Give at least one reason'),
  notes: z.string().max(2000).optional(),
});

export const ApiTriage = z
  .object({
    decision: z.enum(['accept', 'decline']),
    declineReason: z.enum(declineReasons).optional(),
    linkWorkerId: z.string().uuid().optional(),
  })
  .refine((f) => f.decision !== 'decline' || f.declineReason, { path: ['declineReason'], message: 'Give a reason to decline' });

export const ApiReferral = z.object({
  id: z.string(),
  personId: z.string(),
  status: z.string(),
  source: z.string(),
  reasons: z.array(z.string()),
  snomedCode: z.string().nullable(),
  declineReason: z.string().nullable(),
  caseId: z.string().nullable(),
});
