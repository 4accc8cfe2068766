import { z } from 'zod';
import { deliveryModes, serviceStatuses, type DeliveryMode } from '../directory.types.ts';
import { needs } from '../needs-taxonomy.ts';
import { normalisePostcode } from '../postcodes/postcode.ts';
import { weekdayCodes, weekdayNames, type WeekdayCode } from './opening-times.ts';

/*
 * One schema reads the search from the page's GET form and from GET /api/v1/services, so the
 * two accept the same values and give the same messages. Every parameter arrives as text.
 */

export const distanceChoices = [1, 3, 5, 10, 25] as const;
/** Used when a postcode is given without a distance. */
export const DEFAULT_MILES = 10;
export const PAGE_SIZE = 20;

const blank = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());
/** One value of a parameter that a form or URL may repeat; the first counts. */
const single = z.union([z.string(), z.array(z.string())]).optional().transform((v) => blank(Array.isArray(v) ? v[0] : v));
const words = (v: string) => v.toLowerCase().replace(/[^a-z0-9]/g, '');

const text = single.pipe(z.string().max(200, 'Search text must be 200 characters or fewer').optional());

const need = single.transform((v, ctx) => {
  if (v === undefined) return undefined;
  const found = needs.find((n) => n.id === v.toLowerCase() || n.code === v.toLowerCase());
  if (found) return found.id;
  ctx.addIssue({ code: 'custom', message: 'Choose a need from the list' });
  return z.NEVER;
});

const postcode = single.transform((v, ctx) => {
  if (v === undefined) return undefined;
  const normalised = normalisePostcode(v);
  if (normalised) return normalised;
  ctx.addIssue({ code: 'custom', message: 'Enter a real postcode, like WY1 2AB' });
  return z.NEVER;
});

const miles = single.transform((v, ctx) => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || n > 100) {
    ctx.addIssue({ code: 'custom', message: 'Distance must be a number of miles between 0.1 and 100, like 5' });
    return z.NEVER;
  }
  return n;
});

const age = single.transform((v, ctx) => {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) {
    ctx.addIssue({ code: 'custom', message: /^-\d/.test(v) ? 'Age must be 0 or more' : 'Enter age as a whole number of years, like 67' });
    return z.NEVER;
  }
  const n = Number(v);
  if (n > 120) {
    ctx.addIssue({ code: 'custom', message: 'Age must be 120 or less' });
    return z.NEVER;
  }
  return n;
});

const free = single.transform((v, ctx) => {
  if (v === undefined) return undefined;
  if (['true', 'yes', 'on', '1'].includes(v.toLowerCase())) return true;
  if (['false', 'no', 'off', '0'].includes(v.toLowerCase())) return false;
  ctx.addIssue({ code: 'custom', message: 'Free of charge must be true or false' });
  return z.NEVER;
});

/** Repeated (delivery=online&delivery=phone) or comma-separated (delivery=online,phone). */
const delivery = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v, ctx): DeliveryMode[] | undefined => {
    const parts = (Array.isArray(v) ? v : v === undefined ? [] : [v]).flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);
    if (!parts.length) return undefined;
    const modes = parts.map((p) => deliveryModes.find((m) => words(m) === words(p)));
    if (modes.some((m) => !m)) {
      ctx.addIssue({ code: 'custom', message: 'Choose how the service is given: in person, online or by phone' });
      return z.NEVER;
    }
    return [...new Set(modes as DeliveryMode[])];
  });

const day = single.transform((v, ctx): WeekdayCode | undefined => {
  if (v === undefined) return undefined;
  const found = weekdayCodes.find((code) => code === v.toUpperCase() || weekdayNames[code].toLowerCase() === v.toLowerCase());
  if (found) return found;
  ctx.addIssue({ code: 'custom', message: 'Choose a day of the week, like Monday' });
  return z.NEVER;
});

const language = single.pipe(z.string().max(50, 'Language must be 50 characters or fewer').optional());

const page = single.transform((v, ctx) => {
  if (v === undefined) return 1;
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 10_000) {
    ctx.addIssue({ code: 'custom', message: 'Page must be a whole number from 1' });
    return z.NEVER;
  }
  return Number(v);
});

export const SearchQuerySchema = z.object({
  text: text.describe('Words to look for in names and descriptions; typos in names are forgiven'),
  need: need.describe('A need from the needs taxonomy: its id or code, like loneliness'),
  postcode: postcode.describe('A UK postcode, like WY1 2AB; results are then ordered by distance'),
  miles: miles.describe(`How far from the postcode, in miles (default ${DEFAULT_MILES})`),
  age: age.describe('The age of the person, in years'),
  free: free.describe('true for free of charge services only'),
  delivery: delivery.describe('in_person, online or phone; repeat or separate with commas for any of several'),
  day: day.describe('Open on this day of the week: MO, TU, WE, TH, FR, SA or SU'),
  language: language.describe('A language spoken, by name or ISO 639-1 code, like Polish or pl'),
  page: page.describe(`Page of results, ${PAGE_SIZE} a page, from 1`),
});

export type SearchQuery = z.output<typeof SearchQuerySchema>;

/**
 * The search page's query as it arrives: any parameters, each text or repeated. The page checks
 * them with SearchQuerySchema itself, so that a mistake redraws the form with the error (422).
 */
export const SearchPageQuery = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

const NeedSchema = z.object({ id: z.string(), code: z.string(), name: z.string() });

const SearchResultSchema = z.object({
  id: z.string(),
  name: z.string(),
  organisationId: z.string(),
  organisationName: z.string(),
  shortDescription: z.string(),
  distanceMiles: z.number().nullable().describe('To the nearest location, when a postcode was given'),
  nextOpening: z.object({ text: z.string(), at: z.string(), openNow: z.boolean() }).nullable(),
  lastReviewedAt: z.string(),
  mayBeOutOfDate: z.boolean(),
  status: z.enum(serviceStatuses),
  reopeningDate: z.string().nullable(),
  needs: z.array(NeedSchema),
});

export const SearchResponseSchema = z.object({
  items: z.array(SearchResultSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const IdParams = z.object({ id: z.string().describe('The record id (a UUID)') });

const nullableString = z.string().nullable().optional();
const ScheduleSchema = z.object({
  id: z.string(),
  freq: z.enum(['WEEKLY', 'MONTHLY']),
  interval: z.number().nullable().optional(),
  byday: nullableString,
  bymonthday: nullableString,
  opensAt: nullableString,
  closesAt: nullableString,
  validFrom: nullableString,
  validTo: nullableString,
  dtstart: nullableString,
  description: nullableString,
  notes: nullableString,
  attendingType: nullableString,
});
const PhoneSchema = z.object({ id: z.string(), number: z.string(), description: nullableString });

export const ServiceDetailSchema = z.object({
  id: z.string(),
  organisationId: z.string(),
  organisationName: z.string(),
  name: z.string(),
  description: z.string(),
  url: nullableString,
  email: nullableString,
  status: z.enum(serviceStatuses),
  reopeningDate: nullableString,
  fees: nullableString,
  accreditations: nullableString,
  eligibilityDescription: nullableString,
  minimumAge: z.number().nullable().optional(),
  maximumAge: z.number().nullable().optional(),
  freeOfCharge: z.boolean(),
  deliveryModes: z.array(z.enum(deliveryModes)),
  assuredDate: nullableString,
  assurerEmail: nullableString,
  alert: nullableString,
  lastModified: nullableString,
  lastReviewedAt: nullableString,
  languages: z.array(z.object({ id: z.string(), name: z.string(), code: nullableString })),
  costOptions: z.array(
    z.object({ id: z.string(), option: nullableString, amount: z.number().nullable().optional(), amountDescription: nullableString, validFrom: nullableString, validTo: nullableString }),
  ),
  contacts: z.array(z.object({ id: z.string(), name: nullableString, title: nullableString, email: nullableString, phones: z.array(PhoneSchema) })),
  phones: z.array(PhoneSchema),
  locations: z.array(
    z.object({
      id: z.string(),
      serviceAtLocationId: z.string(),
      organisationId: nullableString,
      locationType: z.enum(['physical', 'postal', 'virtual']),
      name: nullableString,
      description: nullableString,
      latitude: z.number().nullable().optional(),
      longitude: z.number().nullable().optional(),
      address1: nullableString,
      address2: nullableString,
      city: nullableString,
      region: nullableString,
      stateProvince: nullableString,
      postalCode: nullableString,
      country: nullableString,
      accessibility: nullableString,
      schedules: z.array(ScheduleSchema),
    }),
  ),
  schedules: z.array(ScheduleSchema),
  serviceAreas: z.array(z.object({ id: z.string(), name: nullableString, serviceArea: nullableString, extent: nullableString, extentType: nullableString, uri: nullableString })),
  taxonomyTermIds: z.array(z.string()),
});

export const OrganisationDetailSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  kind: z.string(),
  email: nullableString,
  website: nullableString,
  logo: nullableString,
  parentOrganisationId: nullableString,
  postcode: nullableString,
  lastReviewedAt: nullableString,
  mergedIntoId: z.string().nullable().describe('Set when this organisation was merged into another'),
  identifiers: z.array(z.object({ id: z.string(), scheme: z.string(), type: z.string(), identifier: z.string(), orgId: z.string().describe('org-id form, like GB-CHC-1234567') })),
  services: z.array(z.object({ id: z.string(), name: z.string(), status: z.enum(serviceStatuses) })),
});
