import { z } from 'zod';
import { serviceStatuses } from '../directory.types.ts';
import { UUID_PATTERN } from '../../../platform/ids.ts';

/*
 * What an imported record must look like. Open Referral UK 3.0 records are read leniently (nulls
 * and the fuller HSDS 3.0 fields that ORUK leaves out are accepted), but a value that is there must
 * make sense, or the record is rejected with the reasons.
 */

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const blankToNull = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? null : v);

export const text = z.preprocess(blankToNull, z.string().trim().nullish()).transform((v) => v ?? null);
const uuid = z.string().trim().regex(UUID_PATTERN, 'must be a uuid, like 6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b0001').transform((v) => v.toLowerCase());
export const optionalUuid = z.preprocess(blankToNull, uuid.nullish()).transform((v) => v ?? null);
export const email = z
  .preprocess(blankToNull, z.string().trim().regex(EMAIL, 'must be an email address, like name@example.org').nullish())
  .transform((v) => v ?? null);
export const date = z
  .preprocess(blankToNull, z.string().trim().regex(/^\d{4}-\d{2}-\d{2}/, 'must be a date, like 2026-01-31').nullish())
  .transform((v) => (v ? v.slice(0, 10) : null));
const dateTime = z
  .preprocess(blankToNull, z.string().trim().refine((v) => !Number.isNaN(Date.parse(v)), 'must be a date and time, like 2026-01-31T09:00:00Z').nullish())
  .transform((v) => (v ? new Date(v).toISOString() : null));
const numeric = (schema: z.ZodNumber) =>
  z
    .preprocess((v) => (typeof v === 'string' ? (v.trim() === '' ? null : Number(v.trim())) : v), schema.nullish())
    .transform((v) => v ?? null);
export const age = numeric(z.number({ message: 'must be a whole number of years' }).int('must be a whole number of years').min(0, 'must be 0 or more').max(150, 'must be 150 or less'));
/** A coordinate read as a number; one outside the Earth's range is dropped with a warning by the reader (see placeCoordinates). */
export const coordinate = numeric(z.number({ message: 'must be a number' }));
const money = numeric(z.number({ message: 'must be an amount, like 2.50' }).min(0, 'must be 0 or more').max(9_999_999_999, 'is too large'));
const clockTime = z
  .preprocess(blankToNull, z.string().trim().regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?([zZ]|[+-]\d{2}:?\d{2})?$/, 'must be a time, like 09:30').nullish())
  .transform((v) => (v ? v.slice(0, 5) : null));
export const BYDAY = /^(-?[1-5]?(MO|TU|WE|TH|FR|SA|SU))(,-?[1-5]?(MO|TU|WE|TH|FR|SA|SU))*$/;

const list = <T extends z.ZodType>(item: T) => z.array(item).nullish().transform((v) => v ?? []);

const OrukSchedule = z.object({
  id: uuid,
  service_at_location_id: optionalUuid,
  freq: z
    .preprocess((v) => (typeof v === 'string' ? v.trim().toUpperCase() || null : v), z.enum(['WEEKLY', 'MONTHLY'], { message: 'must be WEEKLY or MONTHLY' }).nullish())
    .transform((v) => v ?? 'WEEKLY'),
  interval: numeric(z.number({ message: 'must be a whole number' }).int('must be a whole number').min(1, 'must be 1 or more')),
  byday: z
    .preprocess((v) => (typeof v === 'string' ? v.replace(/\s+/g, '').toUpperCase() || null : v), z.string().regex(BYDAY, 'must be days like MO,WE or 1TU').nullish())
    .transform((v) => v ?? null),
  bymonthday: text,
  opens_at: clockTime,
  closes_at: clockTime,
  valid_from: date,
  valid_to: date,
  dtstart: date,
  description: text,
  notes: text,
  attending_type: text,
  schedule_link: text,
});

const OrukPhone = z.object({ id: uuid, number: z.string().trim().min(1, 'number is missing'), description: text });

/** An address's type; one ORUK does not name is read as not given, not a reason to refuse the service. */
const addressType = z
  .unknown()
  .transform((v) => {
    const type = typeof v === 'string' ? v.trim().toLowerCase() : null;
    return type === 'physical' || type === 'postal' || type === 'virtual' ? type : null;
  });

const OrukAddress = z.object({
  attention: text,
  address_1: text,
  city: text,
  region: text,
  state_province: text,
  postal_code: text,
  country: text,
  address_type: addressType,
});

const OrukLocation = z.object({
  id: uuid,
  location_type: z
    .preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() || null : v), z.enum(['physical', 'postal', 'virtual'], { message: 'must be physical, postal or virtual' }).nullish())
    .transform((v) => v ?? 'physical'),
  name: text,
  description: text,
  latitude: coordinate,
  longitude: coordinate,
  external_identifier: text,
  external_identifier_type: text,
  addresses: list(OrukAddress),
  accessibility: list(z.object({ description: text, details: text, accessibility: text, url: text })),
});

const OrukTerm = z.object({
  id: uuid,
  name: z.string().trim().min(1, 'name is missing'),
  description: text,
  parent_id: optionalUuid,
  taxonomy: text,
  taxonomy_id: optionalUuid,
  term_uri: text,
  term: text,
});

const OrukOrganization = z.object({
  id: uuid,
  name: z.string().trim().min(1, 'name is missing'),
  description: text,
  email,
  website: text,
  logo: text,
  uri: text,
  parent_organization_id: optionalUuid,
  organization_identifiers: list(
    z.object({ id: uuid, identifier_scheme: text, identifier_type: text, identifier: z.string().trim().min(1, 'identifier is missing') }),
  ),
});

const OrganisationExtras = z.object({ kind: text, postcode: text, website: text, uri: text, last_reviewed_at: dateTime });

/** What our own export adds (see commonGroundExtras in oruk.mapper.ts). */
const CommonGroundExtras = z
  .object({
    url: text,
    eligibility_description: text,
    reopening_date: date,
    last_reviewed_at: dateTime,
    phones: list(OrukPhone),
    contacts: list(z.object({ id: uuid, email, phones: list(OrukPhone) })),
    languages: list(z.object({ id: uuid, name: z.string().trim().min(1), code: text })),
    locations: list(z.object({ id: uuid, address_2: text, organization_id: optionalUuid })),
    organization: OrganisationExtras.nullish(),
  })
  .nullish();

/** An organisation line of our own export (see organisationExportRecord in oruk.mapper.ts). */
export const OrukOrganisationInput = OrukOrganization.extend({
  common_ground: OrganisationExtras.extend({ record: z.literal('organization') }),
});
export type OrukOrganisationInput = z.infer<typeof OrukOrganisationInput>;

export const OrukServiceInput = z.object({
  id: uuid,
  organization_id: optionalUuid,
  organization: OrukOrganization.nullish(),
  name: z.string({ message: 'name is missing' }).trim().min(1, 'name is missing'),
  description: text,
  url: text,
  email,
  status: z
    .preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() || null : v), z.enum(serviceStatuses, { message: `must be one of ${serviceStatuses.join(', ')}` }).nullish())
    .transform((v) => v ?? 'active'),
  fees: text,
  accreditations: text,
  minimum_age: age,
  maximum_age: age,
  assured_date: date,
  assurer_email: email,
  alert: text,
  last_modified: dateTime,
  schedules: list(OrukSchedule),
  service_areas: list(z.object({ id: uuid, name: text, extent: text, extent_type: text, uri: text, service_area: text })),
  service_at_locations: list(z.object({ id: uuid, location_id: optionalUuid, location: OrukLocation.nullish(), schedules: list(OrukSchedule) })),
  languages: list(z.object({ id: uuid, name: text, code: text })),
  cost_options: list(
    z.object({ id: uuid, option: text, amount: money, amount_description: text, valid_from: date, valid_to: date }),
  ),
  contacts: list(z.object({ id: uuid, name: text, title: text, email, phones: list(OrukPhone) })),
  phones: list(OrukPhone),
  funding: list(z.object({ id: uuid, source: text })),
  attributes: list(z.object({ taxonomy_term_id: optionalUuid, link_type: text, taxonomy_term: OrukTerm.nullish() })),
  common_ground: CommonGroundExtras,
});
export type OrukServiceInput = z.infer<typeof OrukServiceInput>;
export type OrukTermInput = z.infer<typeof OrukTerm>;

/** The admin page's form: a file, or the address of a feed. The file arrives as a Buffer. */
export const importFormats = ['oruk-json', 'ndjson', 'csv', 'oruk-feed'] as const;
export type ImportFormat = (typeof importFormats)[number];
const fileFormats = ['oruk-json', 'ndjson', 'csv'] as const;

export const ImportForm = z
  .object({
    source: z.enum(['file', 'feed'], { message: 'Choose whether to upload a file or read a feed' }),
    file: z.unknown().optional(),
    format: z.preprocess(blankToNull, z.enum(fileFormats, { message: 'Choose the format of the file' }).nullish()),
    feedUrl: z.preprocess(blankToNull, z.string().trim().nullish()),
  })
  .superRefine((form, ctx) => {
    if (form.source === 'file') {
      if (!Buffer.isBuffer(form.file) || form.file.length === 0) ctx.addIssue({ code: 'custom', path: ['file'], message: 'Choose a file to upload' });
    } else if (!form.feedUrl) {
      ctx.addIssue({ code: 'custom', path: ['feedUrl'], message: 'Enter the address of the feed' });
    } else if (!/^https?:\/\/[^\s/]+/i.test(form.feedUrl) || !URL.canParse(form.feedUrl)) {
      ctx.addIssue({ code: 'custom', path: ['feedUrl'], message: 'Enter a web address that starts with http:// or https://, like https://example.org/oruk' });
    }
  });

/** An import run's page; a malformed id is an import not found (404). */
export const RunParams = z.object({ runId: z.string() });
