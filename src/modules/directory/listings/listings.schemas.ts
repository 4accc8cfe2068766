import { z } from 'zod';
import { dateFromParts } from '../../../platform/dates.ts';
import { pageNumber } from '../../../platform/http/pagination.ts';
import { UUID_PATTERN } from '../../../platform/ids.ts';
import { parseMoney } from '../../../platform/money.ts';
import { deliveryModes, organisationKinds, serviceStatuses } from '../directory.types.ts';
import { normalisePostcode } from '../postcodes/postcode.ts';
import { weekdayCodes } from '../search/opening-times.ts';
import { serviceRuleErrors, timesRuleErrors } from './listing-rules.ts';
import { weeksOfMonth } from './opening-times-text.ts';

/*
 * Forms arrive as strings (blank when left empty; one value or a list for checkboxes). These
 * schemas turn them into the plain inputs the listings service takes, with the message to show
 * by each field. The API schemas further down take the same inputs as JSON.
 */

const trimmed = (v: unknown) => (typeof v === 'string' ? v.trim() : v);
const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : trimmed(v));
const asList = (v: unknown) => (v === undefined || v === null || v === '' ? [] : Array.isArray(v) ? v : [v]);

const required = (message: string, label: string, max: number) =>
  z.preprocess(blank, z.string({ error: message }).max(max, `${label} must be ${max.toLocaleString('en-GB')} characters or fewer`));
const optionalText = (label: string, max: number) =>
  z.preprocess(blank, z.string().max(max, `${label} must be ${max.toLocaleString('en-GB')} characters or fewer`).optional()).transform((v) => v ?? null);

const EMAIL_MESSAGE = 'Enter an email address in the correct format, like name@example.org';
const WEBSITE_MESSAGE = 'Enter a website address in the correct format, like https://www.example.org';
const PHONE_MESSAGE = 'Enter a phone number, like 01632 960 001 or 07700 900 982';

const email = z.preprocess(blank, z.email({ error: EMAIL_MESSAGE }).max(254, EMAIL_MESSAGE).optional()).transform((v) => v ?? null);
/** People often type 'www.example.org': assume https. */
const website = z
  .preprocess((v) => {
    const s = blank(v);
    return typeof s === 'string' && !/^[a-z]+:\/\//i.test(s) ? `https://${s}` : s;
  }, z.url({ protocol: /^https?$/, hostname: z.regexes.domain, error: WEBSITE_MESSAGE }).max(500, WEBSITE_MESSAGE).optional())
  .transform((v) => v ?? null);
/** UK numbers: 10 or 11 digits (or +44 and 9 or 10), spaces and brackets allowed. */
const phone = z
  .preprocess(blank, z.string().regex(/^(\+44\s?|0)[\d\s()-]{9,16}$/, PHONE_MESSAGE).refine((s) => /^(\+44\d{9,10}|0\d{9,10})$/.test(s.replace(/[\s()-]/g, '')), PHONE_MESSAGE).optional())
  .transform((v) => v ?? null);
const postcode = (requiredMessage?: string) =>
  z
    .preprocess(blank, requiredMessage ? z.string({ error: requiredMessage }) : z.string().optional())
    .transform((v, ctx) => {
      if (v === undefined) return null;
      const normal = normalisePostcode(v);
      if (!normal) ctx.addIssue({ code: 'custom', message: 'Enter a real postcode' });
      return normal;
    });

const age = (label: string) =>
  z
    .preprocess(blank, z.string().optional())
    .transform((v, ctx) => {
      if (v === undefined) return null;
      if (!/^\d{1,3}$/.test(v) || Number(v) > 120) {
        ctx.addIssue({ code: 'custom', message: `${label} must be a whole number of years from 0 to 120` });
        return z.NEVER;
      }
      return Number(v);
    });

// ---------- Organisations ----------

const kindKeys = Object.keys(organisationKinds) as [string, ...string[]];

export const OrganisationForm = z.object({
  name: required("Enter the organisation's name", 'Name', 200),
  kind: z.enum(kindKeys, { error: 'Select what kind of organisation it is' }),
  description: optionalText('Description', 5000),
  email,
  website,
  postcode: postcode(),
  charityNumber: z
    .preprocess((v) => (typeof blank(v) === 'string' ? String(v).replace(/\s/g, '') : undefined), z.string().regex(/^\d{6,8}(-\d{1,2})?$/, 'Enter a charity number of 6 to 8 digits, like 1234567').optional())
    .transform((v) => v ?? null),
  companyNumber: z
    .preprocess((v) => {
      const s = blank(v);
      if (typeof s !== 'string') return undefined;
      const compact = s.replace(/\s/g, '').toUpperCase();
      return /^\d{1,7}$/.test(compact) ? compact.padStart(8, '0') : compact; // Companies House drops leading zeros in speech, not in numbers
    }, z.string().regex(/^([A-Z]{2}\d{6}|\d{8})$/, 'Enter a company number of 8 characters, like 01234567 or SC123456').optional())
    .transform((v) => v ?? null),
  odsCode: z
    .preprocess((v) => (typeof blank(v) === 'string' ? String(v).replace(/\s/g, '').toUpperCase() : undefined), z.string().regex(/^[A-Z0-9]{3,6}$/, 'Enter an NHS ODS code of 3 to 6 letters and numbers, like RAX or Y01234').optional())
    .transform((v) => v ?? null),
  version: z.preprocess(blank, z.string().max(100).optional()),
});
export type OrganisationFormData = z.infer<typeof OrganisationForm>;

// ---------- Services ----------

const statusValues = serviceStatuses as unknown as [string, ...string[]];

/** Pounds and pence, exactly: '3.5' or '£3.50' → 350; null when it is not an amount we take (up to £999,999.99). */
function penceFrom(text: string): number | null {
  const parsed = parseMoney(text);
  return parsed.ok && parsed.pence < 100_000_000 ? parsed.pence : null;
}

export const ServiceForm = z
  .object({
    name: required("Enter the service's name", 'Name', 200),
    description: required('Enter a description of the service', 'Description', 5000),
    status: z.enum(statusValues, { error: 'Select whether the service is running' }),
    'reopeningDate-day': z.unknown(),
    'reopeningDate-month': z.unknown(),
    'reopeningDate-year': z.unknown(),
    eligibilityDescription: optionalText('Who can use it', 2000),
    minimumAge: age('Minimum age'),
    maximumAge: age('Maximum age'),
    freeOfCharge: z.enum(['yes', 'no'], { error: 'Select whether the service is free' }),
    costOption: optionalText('What the cost is for', 200),
    costAmount: z.preprocess(blank, z.string().optional()),
    costDescription: optionalText('About the cost', 500),
    deliveryModes: z.preprocess(asList, z.array(z.enum(deliveryModes, { error: 'Select how the service is delivered' })).min(1, 'Select how the service is delivered')),
    languages: optionalText('Languages', 500),
    email,
    url: website,
    contactName: optionalText('Contact name', 200),
    contactPhone: phone,
    needs: z.preprocess(asList, z.array(z.uuid({ error: 'Select needs from the list' }))),
    version: z.preprocess(blank, z.string().max(100).optional()),
  })
  .transform((f, ctx) => {
    const flagged = new Set<string>();
    const issue = (path: string, message: string) => {
      if (flagged.has(path)) return;
      flagged.add(path);
      ctx.addIssue({ code: 'custom', path: [path], message });
    };
    const reopening = dateFromParts(f['reopeningDate-day'], f['reopeningDate-month'], f['reopeningDate-year']);
    if (reopening === 'invalid') issue('reopeningDate-day', 'Reopening date must be a real date, like 27 3 2026');
    let amountPence: number | null = null;
    if (f.freeOfCharge === 'no' && f.costAmount !== undefined) {
      amountPence = penceFrom(f.costAmount);
      if (amountPence === null) issue('costAmount', 'Enter the cost in pounds and pence, like 3.50');
    }
    const input: ServiceInput = {
      name: f.name,
      description: f.description,
      status: f.status as ServiceInput['status'],
      reopeningDate: reopening === 'invalid' ? null : reopening,
      eligibilityDescription: f.eligibilityDescription,
      minimumAge: f.minimumAge,
      maximumAge: f.maximumAge,
      freeOfCharge: f.freeOfCharge === 'yes',
      cost: f.freeOfCharge === 'no' ? { option: f.costOption, amountPence, description: f.costDescription } : null,
      deliveryModes: f.deliveryModes,
      languages: (f.languages ?? '').split(/[,;\n]/).map((l) => l.trim()).filter(Boolean),
      email: f.email,
      url: f.url,
      contact: f.contactName || f.contactPhone ? { name: f.contactName, phone: f.contactPhone } : null,
      needs: f.needs,
    };
    // The rules across fields (one message a field; the reopening date's sit by its first box).
    for (const e of serviceRuleErrors(input)) issue(e.field === 'reopeningDate' ? 'reopeningDate-day' : e.field, e.message);
    return { input, version: f.version };
  });

/** What a service's editable fields are, from a form or the API. */
export type ServiceInput = {
  name: string;
  description: string;
  status: (typeof serviceStatuses)[number];
  reopeningDate: string | null;
  eligibilityDescription: string | null;
  minimumAge: number | null;
  maximumAge: number | null;
  freeOfCharge: boolean;
  cost: { option: string | null; amountPence: number | null; description: string | null } | null;
  deliveryModes: (typeof deliveryModes)[number][];
  languages: string[];
  email: string | null;
  url: string | null;
  contact: { name: string | null; phone: string | null } | null;
  /** Needs taxonomy term ids. */
  needs: string[];
};

// ---------- Locations and times ----------

export const LocationForm = z.object({
  name: required('Enter the name of the place, like Millbrook Community Centre', 'Name', 200),
  addressLine1: required('Enter the first line of the address', 'Address line 1', 200),
  addressLine2: optionalText('Address line 2', 200),
  town: required('Enter the town or city', 'Town or city', 100),
  postcode: postcode('Enter the postcode'),
  accessibility: optionalText('Accessibility', 2000),
  version: z.preprocess(blank, z.string().max(100).optional()),
});
export type LocationInput = Omit<z.infer<typeof LocationForm>, 'version'> & { postcode: string };

const time = (which: 'opening' | 'closing') =>
  z
    .preprocess(blank, z.string({ error: `Enter the ${which} time, like ${which === 'opening' ? '09:30' : '14:00'}` }))
    .transform((v, ctx) => {
      const m = /^(\d{1,2})[:.](\d{2})$/.exec(v);
      if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) {
        ctx.addIssue({ code: 'custom', message: `Enter the ${which} time in 24-hour format, like ${which === 'opening' ? '09:30' : '14:00'}` });
        return z.NEVER;
      }
      return `${m[1].padStart(2, '0')}:${m[2]}`;
    });

export const TimesForm = z
  .object({
    frequency: z.enum(['weekly', 'monthly'], { error: 'Select whether it runs every week or once a month' }),
    days: z.preprocess(asList, z.array(z.enum(weekdayCodes))),
    week: z.preprocess(blank, z.enum(weeksOfMonth).optional()),
    weekday: z.preprocess(blank, z.enum(weekdayCodes).optional()),
    opensAt: time('opening'),
    closesAt: time('closing'),
    description: optionalText('Notes about these times', 200),
    version: z.preprocess(blank, z.string().max(100).optional()),
  })
  .superRefine((f, ctx) => {
    if (f.frequency === 'weekly' && !f.days?.length) ctx.addIssue({ code: 'custom', path: ['days'], message: 'Select the days it runs' });
    if (f.frequency === 'monthly' && !f.week) ctx.addIssue({ code: 'custom', path: ['week'], message: 'Select which week of the month it runs' });
    if (f.frequency === 'monthly' && !f.weekday) ctx.addIssue({ code: 'custom', path: ['weekday'], message: 'Select the day of the week it runs' });
    for (const e of timesRuleErrors(f)) ctx.addIssue({ code: 'custom', path: [e.field], message: e.message });
  });

// ---------- API (JSON) ----------

const uuid = z.uuid();
const TimesJson = z.discriminatedUnion('frequency', [
  z.object({
    frequency: z.literal('weekly'),
    days: z.array(z.enum(weekdayCodes)).min(1).describe('Days it runs: MO, TU, WE, TH, FR, SA, SU'),
    opensAt: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/).describe('HH:MM, UK time'),
    closesAt: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
    description: z.string().max(200).nullish(),
  }),
  z.object({
    frequency: z.literal('monthly'),
    week: z.enum(weeksOfMonth).describe("Week of the month: '1'–'4', or '-1' for the last"),
    weekday: z.enum(weekdayCodes),
    opensAt: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
    closesAt: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
    description: z.string().max(200).nullish(),
  }),
]);
export type TimesJsonInput = z.infer<typeof TimesJson>;

const LocationJson = z.object({
  id: uuid.optional().describe('Keep the id of a location the service already has to update it'),
  name: z.string().trim().min(1).max(200),
  addressLine1: z.string().trim().min(1).max(200),
  addressLine2: z.string().trim().max(200).nullish(),
  town: z.string().trim().min(1).max(100),
  postcode: z.string().trim().min(1).max(10).describe('Looked up to place the location on the map'),
  accessibility: z.string().max(2000).nullish(),
  times: z.array(TimesJson).max(50).default([]),
});

export const ServiceJson = z.object({
  name: z.string().trim().min(1).max(200),
  description: z.string().trim().min(1).max(5000),
  status: z.enum(serviceStatuses),
  reopeningDate: z.iso.date().nullish().describe('Required when status is "temporarily closed"'),
  eligibilityDescription: z.string().max(2000).nullish(),
  minimumAge: z.int().min(0).max(120).nullish(),
  maximumAge: z.int().min(0).max(120).nullish(),
  freeOfCharge: z.boolean(),
  cost: z
    .object({ option: z.string().max(200).nullish(), amount: z.number().min(0).max(999999.99).multipleOf(0.01).describe('Pounds, to the penny'), description: z.string().max(500).nullish() })
    .nullish()
    .describe('Required when freeOfCharge is false'),
  deliveryModes: z.array(z.enum(deliveryModes)).min(1),
  languages: z.array(z.string().trim().min(1).max(100)).max(50).default([]),
  email: z.email().nullish(),
  url: z.url({ protocol: /^https?$/ }).nullish(),
  contact: z.object({ name: z.string().max(200).nullish(), phone: z.string().max(30).nullish() }).nullish(),
  needs: z.array(z.string()).max(50).default([]).describe('Needs taxonomy term ids or codes, e.g. "loneliness"'),
  locations: z.array(LocationJson).max(50).optional().describe('When given, replaces the service’s locations and their times; left out, they are kept'),
  times: z.array(TimesJson).max(50).optional().describe('Times not tied to a location. When given, replaces them; left out, they are kept'),
  version: z.string().max(100).optional().describe('The version you read; if the service has changed since, the update is refused with 409'),
});
export type ServiceJsonInput = z.infer<typeof ServiceJson>;

export const NewServiceJson = ServiceJson.extend({ organisationId: uuid });

export const ServiceOut = z.object({
  id: uuid,
  organisationId: uuid,
  name: z.string(),
  status: z.string(),
  lastModified: z.string(),
  lastReviewedAt: z.string(),
  version: z.string().describe('Send back as "version" to update safely'),
  href: z.string().describe('The service’s page'),
});

export const OrganisationJson = z.object({
  name: z.string().trim().min(1).max(200),
  kind: z.enum(kindKeys),
  description: z.string().max(5000).nullish(),
  email: z.email().nullish(),
  website: z.url({ protocol: /^https?$/ }).nullish(),
  postcode: z.string().max(10).nullish(),
  charityNumber: z.string().max(12).nullish(),
  companyNumber: z.string().max(10).nullish(),
  odsCode: z.string().max(10).nullish(),
  version: z.string().max(100).optional(),
});

export const OrganisationOut = z.object({
  id: uuid,
  name: z.string(),
  kind: z.string(),
  identifiers: z.array(z.object({ scheme: z.string(), identifier: z.string() })),
  version: z.string(),
  possibleDuplicates: z.array(z.object({ id: uuid, name: z.string(), reason: z.string() })),
});

// ---------- Addresses ----------

/** An id in the path; a malformed one is a 404 (the platform answers it). */
const id = z.string().regex(UUID_PATTERN);
export const IdParams = z.object({ id });
export const LocationParams = z.object({ id, locationId: id });
export const ScheduleParams = z.object({ id, scheduleId: id });

/** ?page=: any text, read as a page number (the first page when it is not one). */
const page = z.string().optional().transform(pageNumber);
export const PageQuery = z.object({ page });
/** The organisation a new service is for; checked by the service (an unknown one is a 404). */
export const NewServiceQuery = z.object({ organisation: z.string().optional() });
/** Where new times go: a location of the service, or (none) the service itself. */
export const NewTimesQuery = z.object({ location: z.string().optional() });
/** Your listings: an admin may open one organisation's; `done` names the message after a redirect. */
export const ListingsQuery = z.object({ organisation: z.string().optional(), page, done: z.string().optional() });
/** The places-and-times page's message after a redirect, by a fixed key. */
export const DoneQuery = z.object({ done: z.string().optional() });

/** "Still correct": where to go back to. */
export const ReviewedForm = z.object({ returnTo: z.string().optional() });
/** Merging a possible duplicate: which of the two to keep. */
export const MergeForm = z.object({ keep: z.string({ error: 'Select the organisation to keep' }) });
