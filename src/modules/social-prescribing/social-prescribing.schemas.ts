import { z } from 'zod';
import { needs } from '../directory/index.ts';
import { normalisePostcode } from '../directory/index.ts';
import { isCalendarDate } from './dates.ts';
import { isValidNhsNumber, normaliseNhsNumber } from './nhs-number.ts';

/*
 * One set of schemas reads the pages' forms (every value arrives as text, blanks mean "not
 * given") and the JSON API, so both give the same messages.
 */

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v);
const opt = <T extends z.ZodType>(schema: T) => z.preprocess(blank, schema.optional());
/** A required field: blank gives the "enter …" message, anything else is checked by the schema. */
const req = <T extends z.ZodType>(schema: T, message: string) =>
  z.preprocess(blank, z.any().superRefine((v, ctx) => {
    if (v === undefined || v === null) ctx.addIssue({ code: 'custom', message });
  }).pipe(schema as z.ZodType<z.output<T>, unknown>));

const text = (label: string, max = 200) => z.string().max(max, `${label} must be ${max} characters or fewer`);
export const isoDate = (label: string) => z.string().refine(isCalendarDate, `${label} must be a real date, like 2026-03-27`);
/** Several checkboxes with one name arrive as a string for one, an array for more. */
const many = <T extends z.ZodType>(item: T) => z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(item));

export const needIds = needs.map((n) => n.id) as [string, ...string[]];
export const preferredContacts = ['phone', 'text', 'email', 'letter'] as const;
export const caseStatuses = ['new', 'contacting', 'active', 'on_hold', 'closed'] as const;
export const contactMethods = ['phone', 'video', 'face_to_face', 'home_visit'] as const;
export const contactOutcomes = ['attempted', 'made'] as const;
export const declineReasons = ['person_declined', 'not_eligible', 'could_not_contact'] as const;
export const shareableFields = ['name', 'date_of_birth', 'phone', 'email', 'address', 'communication_needs', 'reasons'] as const;
export const attendanceValues = ['started', 'attending', 'stopped', 'did_not_attend'] as const;
export const cohortOutcomes = ['no_answer', 'no_needs', 'needs_support', 'declined'] as const;
export const measureStages = ['start', 'review', 'end'] as const;

export const nhsNumber = z
  .string()
  .transform((v) => normaliseNhsNumber(v))
  .refine((v) => /^\d{10}$/.test(v), 'NHS number must be 10 digits, like 999 000 0018')
  .refine((v) => isValidNhsNumber(v), 'Enter a valid NHS number: the last digit of this one does not match the others. Check it against a letter or the NHS App');

const postcode = z.string().transform((v, ctx) => {
  const p = normalisePostcode(v);
  if (!p) {
    ctx.addIssue({ code: 'custom', message: 'Enter a real postcode, like WY1 2AB' });
    return z.NEVER;
  }
  return p;
});

const phone = z.string().regex(/^\+?[0-9 ()-]{10,20}$/, 'Enter a phone number, like 01632 960 001 or 07700 900 123');
const email = z.string().max(254).email('Enter an email address in the correct format, like name@example.org');
const uuid = (message: string) => z.string().uuid(message);

export const PersonFields = {
  givenName: req(text('First name', 100), 'Enter their first name'),
  familyName: req(text('Last name', 100), 'Enter their last name'),
  dateOfBirth: req(
    isoDate('Date of birth').refine((v) => v <= new Date().toISOString().slice(0, 10), 'Date of birth must be in the past').refine((v) => v >= '1900-01-01', 'Date of birth must be after 1900'),
    'Enter their date of birth',
  ),
  nhsNumber: opt(nhsNumber),
  address: opt(text('Address', 300)),
  postcode: req(postcode, 'Enter their postcode'),
  phone: opt(phone),
  email: opt(email),
  preferredContact: z.preprocess(blank, z.enum(preferredContacts, { error: 'Select how they prefer to be contacted' }).default('phone')),
  communicationNeeds: opt(text('Communication needs', 500)),
  gpPracticeId: req(uuid('Select their GP practice'), 'Select their GP practice'),
};

export const PersonForm = z.object(PersonFields);
export type PersonInput = z.infer<typeof PersonForm>;

export const PersonEditForm = PersonForm.extend({ version: z.coerce.number().int().min(1) });

const reasons = many(z.enum(needIds, { error: 'Choose reasons from the list' })).refine((r) => r.length > 0, 'Select at least one reason for the referral');

export const ReferralFields = {
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
export type StaffReferralInput = z.infer<typeof StaffReferralForm>;

export const ExistingPersonReferralForm = z.object({ ...ReferralFields });

export const SelfReferralForm = z.object({
  ...PersonFields,
  phone: req(phone, 'Enter a phone number so a link worker can call you'),
  ...ReferralFields,
  consentToContact: z.preprocess(blank, z.literal('yes', { error: 'Tick the box to say a link worker may contact you' })),
});
export type SelfReferralInput = z.infer<typeof SelfReferralForm>;

export const TriageForm = z
  .object({
    decision: z.preprocess(blank, z.enum(['accept', 'decline'], { error: 'Select accept or decline' })),
    declineReason: opt(z.enum(declineReasons, { error: 'Select a reason' })),
    linkWorkerId: opt(uuid('Select a link worker from the list')),
  })
  .refine((f) => f.decision !== 'decline' || f.declineReason, { path: ['declineReason'], message: 'Select why the referral is declined' });

export const ConsentForm = z.object({
  kind: z.preprocess(blank, z.enum(['contact', 'share_outcomes_with_gp'], { error: 'Select what the person agreed to' })),
  given: z.preprocess(blank, z.enum(['yes', 'no'], { error: 'Select whether they agreed' })),
});

export const CaseStatusForm = z
  .object({
    version: z.coerce.number().int().min(1),
    status: z.preprocess(blank, z.enum(caseStatuses, { error: 'Select a status' })),
    closedReason: opt(text('Reason for closing', 300)),
  })
  .refine((f) => f.status !== 'closed' || f.closedReason, { path: ['closedReason'], message: 'Enter why the case is closed' });

export const MergeForm = z.object({
  duplicateId: req(uuid('Choose the other record from the list'), 'Choose the other record'),
  version: z.coerce.number().int().min(1),
  confirmed: z.preprocess(blank, z.literal('yes', { error: 'Confirm you have checked these records are the same person' })),
});

export const GpSummaryForm = z.object({
  how: z.preprocess(blank, z.enum(['email', 'other'], { error: 'Choose how the summary goes to the GP practice' })),
});

export const ReassignForm = z.object({
  version: z.coerce.number().int().min(1),
  linkWorkerId: req(uuid('Select a link worker from the list'), 'Select a link worker'),
});

export const ContactForm = z.object({
  method: z.preprocess(blank, z.enum(contactMethods, { error: 'Select how you contacted them' })),
  outcome: z.preprocess(blank, z.enum(contactOutcomes, { error: 'Select whether you spoke to them' })),
  contactedOn: req(isoDate('Date of contact'), 'Enter the date of the contact'),
  durationMinutes: opt(z.coerce.number({ error: 'Duration must be a number of minutes, like 20' }).int('Duration must be whole minutes').min(0, 'Duration must be 0 minutes or more').max(600, 'Duration must be 600 minutes or fewer')),
  notes: opt(text('Notes', 4000)),
});
export type ContactInput = z.infer<typeof ContactForm>;

export const FollowUpForm = z.object({
  description: req(text('What to do', 200), 'Enter what the follow-up is, like “Wellbeing call”'),
  dueOn: req(isoDate('Due date'), 'Enter when it is due'),
  repeatsWeekly: opt(z.literal('yes')),
});

export const WhatMattersForm = z.object({ whatMatters: req(text('What matters to them', 4000), 'Enter what matters to the person, in their words') });
export const GoalForm = z.object({ inTheirWords: req(text('Goal', 500), 'Enter the goal in the person’s words') });
export const GoalStatusForm = z.object({ status: z.preprocess(blank, z.enum(['working_on', 'achieved', 'dropped'], { error: 'Select a status' })) });
export const PlanActionForm = z.object({
  action: req(text('Action', 300), 'Enter the action'),
  who: req(text('Who does it', 100), 'Enter who does it'),
  dueOn: opt(isoDate('Due date')),
});

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

export const MeasurementForm = z.object({
  measure: req(text('Measure', 60), 'Choose a measure'),
  stage: z.preprocess(blank, z.enum(measureStages, { error: 'Select when this was taken: start, review or end' })),
  takenOn: req(isoDate('Date taken'), 'Enter the date it was taken'),
});

export const CohortUploadForm = z.object({
  name: req(text('Cohort name', 120), 'Enter a name for the cohort'),
  description: opt(text('Description', 500)),
  pcnId: req(uuid('Select a PCN'), 'Select the PCN'),
});

export const CohortCallForm = z.object({
  outcome: z.preprocess(blank, z.enum(cohortOutcomes, { error: 'Select the outcome of the call' })),
  notes: opt(text('Notes', 2000)),
});

export const MeasureDefinitionForm = z.object({
  code: req(z.string().regex(/^[a-z0-9-]{2,40}$/, 'Code must be 2 to 40 lower-case letters, numbers or hyphens, like my-scale'), 'Enter a short code'),
  name: req(text('Name', 120), 'Enter the measure’s name'),
});

export const ReportForm = z
  .object({
    pcnId: opt(z.string().refine((v) => v === 'all' || z.string().uuid().safeParse(v).success, 'Select a PCN or the whole partnership')),
    from: opt(isoDate('From date')),
    to: opt(isoDate('To date')),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { path: ['to'], message: 'The to date must be the same as or after the from date' });

export const AccessSearchForm = z.object({ q: opt(text('Search', 100)) });

// ---- JSON API ----------------------------------------------------------------------------

export const IdParams = z.object({ id: z.string().describe('The record id (a UUID)') });

export const ApiPersonCreate = z.object({
  givenName: z.string().min(1).max(100),
  familyName: z.string().min(1).max(100),
  dateOfBirth: isoDate('dateOfBirth'),
  nhsNumber: nhsNumber.optional(),
  address: z.string().max(300).optional(),
  postcode,
  phone: phone.optional(),
  email: email.optional(),
  preferredContact: z.enum(preferredContacts).default('phone'),
  communicationNeeds: z.string().max(500).optional(),
  gpPracticeId: z.string().uuid(),
  allowPossibleDuplicate: z.boolean().default(false).describe('Create even when a record may already exist'),
});

export const ApiConsent = z.object({
  kind: z.string(),
  organisationId: z.string().nullable(),
  fields: z.array(z.string()),
  given: z.boolean(),
  recordedOn: z.string(),
  recordedByName: z.string().nullable(),
});

export const ApiPerson = z.object({
  id: z.string(),
  pcnId: z.string(),
  gpPracticeId: z.string().nullable(),
  givenName: z.string(),
  familyName: z.string(),
  dateOfBirth: z.string().nullable(),
  nhsNumber: z.string().nullable(),
  address: z.string().nullable(),
  postcode: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  preferredContact: z.string(),
  communicationNeeds: z.string().nullable(),
  version: z.number().int(),
  consents: z.array(ApiConsent),
});

export const ApiDuplicates = z.object({
  title: z.string(),
  status: z.number(),
  detail: z.string(),
  possibleDuplicates: z.array(z.object({ id: z.string(), givenName: z.string(), familyName: z.string(), dateOfBirth: z.string().nullable(), postcode: z.string().nullable() })),
});

export const ApiCaseSummary = z.object({
  id: z.string(),
  personId: z.string(),
  personName: z.string(),
  status: z.enum(caseStatuses),
  linkWorkerId: z.string().nullable(),
  linkWorkerName: z.string().nullable(),
  openedOn: z.string(),
  nextDueOn: z.string().nullable(),
});

export const ApiCaseload = z.object({
  today: z.string(),
  newReferrals: z.array(z.object({ id: z.string(), personId: z.string(), personName: z.string(), source: z.string(), receivedOn: z.string(), reasons: z.array(z.string()) })),
  dueToday: z.array(ApiCaseSummary),
  overdue: z.array(ApiCaseSummary),
  openCases: z.array(ApiCaseSummary),
});

export const ApiContactCreate = z.object({
  method: z.enum(contactMethods),
  outcome: z.enum(contactOutcomes),
  contactedOn: isoDate('contactedOn'),
  durationMinutes: z.number().int().min(0).max(600).optional(),
  notes: z.string().max(4000).optional(),
});

export const ApiCase = z.object({
  id: z.string(),
  status: z.enum(caseStatuses),
  version: z.number().int(),
  closedReason: z.string().nullable(),
  openedOn: z.string(),
  closedOn: z.string().nullable(),
  linkWorkerId: z.string().nullable(),
  person: ApiPerson,
  contacts: z.array(z.object({ id: z.string(), method: z.string(), outcome: z.string(), contactedOn: z.string(), durationMinutes: z.number().nullable(), notes: z.string().nullable() })),
  followUps: z.array(z.object({ id: z.string(), description: z.string(), dueOn: z.string(), repeatsWeekly: z.boolean(), status: z.string() })),
  onwardReferrals: z.array(z.object({ id: z.string(), kind: z.string(), serviceName: z.string(), organisationName: z.string(), sentOn: z.string(), status: z.string(), attendance: z.string().nullable() })),
});

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
