import { z } from 'zod';
import { needs } from '../directory/index.ts';
import { normalisePostcode } from '../directory/index.ts';
import { isCalendarDate, ukToday } from '../../platform/dates.ts';
import { UUID_PATTERN } from '../../platform/ids.ts';
import { isValidNhsNumber, normaliseNhsNumber } from './nhs-number.ts';
import { nationVocabulary } from '../../platform/nation.ts';

/*
 * One set of schemas reads the pages' forms (every value arrives as text, blanks mean "not
 * given") and the JSON API, so both give the same messages.
 */

export const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v);
export const opt = <T extends z.ZodType>(schema: T) => z.preprocess(blank, schema.optional());
/** A required field: blank gives the "enter …" message, anything else is checked by the schema. */
export const req = <T extends z.ZodType>(schema: T, message: string) =>
  z.preprocess(blank, z.any().superRefine((v, ctx) => {
    if (v === undefined || v === null) ctx.addIssue({ code: 'custom', message });
  }).pipe(schema as z.ZodType<z.output<T>, unknown>));

export const text = (label: string, max = 200) => z.string().max(max, `${label} must be ${max} characters or fewer`);
export const isoDate = (label: string) => z.string().refine(isCalendarDate, `${label} must be a real date, like 2026-03-27`);
/** Several checkboxes with one name arrive as a string for one, an array for more. */
export const many = <T extends z.ZodType>(item: T) => z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(item));

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
  .refine((v) => /^\d{10}$/.test(v), { error: () => `${nationVocabulary().personId.name} must be 10 digits, like ${nationVocabulary().personId.example}` })
  .refine((v) => isValidNhsNumber(v), { error: () => nationVocabulary().personId.invalid });

export const postcode = z.string().transform((v, ctx) => {
  const p = normalisePostcode(v);
  if (!p) {
    ctx.addIssue({ code: 'custom', message: 'Enter a real postcode, like WY1 2AB' });
    return z.NEVER;
  }
  return p;
});

export const phone = z.string().regex(/^\+?[0-9 ()-]{10,20}$/, 'Enter a phone number, like 01632 960 001 or 07700 900 123');
export const email = z.string().max(254).email('Enter an email address in the correct format, like name@example.org');
export const uuid = (message: string) => z.string().uuid(message);

/** A record's id in a path: any other shape names no record (404). */
export const recordId = z.string().regex(UUID_PATTERN).describe('The record id (a UUID)');
export const IdParams = z.object({ id: recordId });

export const PersonFields = {
  givenName: req(text('First name', 100), 'Enter their first name'),
  familyName: req(text('Last name', 100), 'Enter their last name'),
  dateOfBirth: req(
    isoDate('Date of birth').refine((v) => v <= ukToday(), 'Date of birth must be in the past').refine((v) => v >= '1900-01-01', 'Date of birth must be after 1900'),
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



// ---- JSON API: a person, as the people and cases endpoints answer ----

const ApiConsent = z.object({
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


/** An uploaded file arrives as a Buffer (multipart), a pasted one as text: its text, which must not be empty. */
export const uploadedFile = (message: string) =>
  z.preprocess(
    (value) => (Buffer.isBuffer(value) ? value.toString('utf8') : typeof value === 'string' ? value : ''),
    z.string().refine((content) => content.trim() !== '', message),
  );

/** A button that sends nothing but itself (and the CSRF token). */
export const NoFields = z.object({});
