import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { deliveryModes, identifierSchemes, organisationKinds, serviceStatuses, type DeliveryMode, type LocationRecord, type OrganisationRecord, type ScheduleRecord, type ServiceRecord } from '../directory.types.ts';
import { needs } from '../needs-taxonomy.ts';
import { normalisePostcode } from '../postcodes/postcode.ts';
import { stableUuid } from '../oruk/stable-uuid.ts';
import { issueReasons, placeCoordinates, rejected, type Candidate, type OrganisationInput } from './candidates.ts';
import { age, BYDAY, coordinate, date, email, optionalUuid, text } from './transfer.schemas.ts';
import { ukDateOf } from '../../../platform/dates.ts';

/*
 * The directory as a spreadsheet: one row per service, or one row per service at each of its
 * places (repeat the service's columns; rows with the same service_id are one service). The
 * columns are documented in docs/import-csv.md; CSV_COLUMNS is their order in our export.
 */

export const CSV_COLUMNS = [
  'service_id',
  'service_name',
  'service_description',
  'service_status',
  'service_url',
  'service_email',
  'service_phone',
  'eligibility',
  'minimum_age',
  'maximum_age',
  'free_of_charge',
  'fees',
  'delivery_methods',
  'needs',
  'languages',
  'service_times',
  'contact_name',
  'contact_title',
  'contact_email',
  'contact_phone',
  'organisation_id',
  'organisation_name',
  'organisation_description',
  'organisation_kind',
  'organisation_email',
  'organisation_website',
  'organisation_identifiers',
  'organisation_postcode',
  'location_id',
  'location_name',
  'address_1',
  'address_2',
  'city',
  'county',
  'postcode',
  'latitude',
  'longitude',
  'accessibility',
  'times',
  'last_reviewed',
] as const;
type Column = (typeof CSV_COLUMNS)[number];

const needByCode = new Map(needs.map((n) => [n.code, n.id]));
const needCodeById = new Map(needs.map((n) => [n.id, n.code]));
const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

/** Splits a cell that holds a list: "a; b" (commas too, when the list has no semicolons). */
const items = (cell: string | null | undefined, separator: RegExp = /;/) =>
  (cell ?? '')
    .split(separator)
    .map((s) => s.trim())
    .filter(Boolean);

const TIMES = /^(-?[1-5]?(?:MO|TU|WE|TH|FR|SA|SU)(?:,-?[1-5]?(?:MO|TU|WE|TH|FR|SA|SU))*)\s+([01]?\d|2[0-3])[:.]([0-5]\d)\s*-\s*([01]?\d|2[0-3])[:.]([0-5]\d)$/;

/** "MO,WE 10:00-12:00; 1TH 18:00-20:00" → weekly and monthly times; null when a part is not like that. */
function parseTimes(cell: string | null, idFor: (index: number) => string): { schedules: ScheduleRecord[]; bad: string[] } {
  const schedules: ScheduleRecord[] = [];
  const bad: string[] = [];
  items(cell).forEach((part, index) => {
    const m = TIMES.exec(part.toUpperCase().replace(/\s*,\s*/g, ','));
    if (!m || !BYDAY.test(m[1])) {
      bad.push(part);
      return;
    }
    const monthly = /\d/.test(m[1]);
    const pad = (h: string) => h.padStart(2, '0');
    schedules.push({
      id: idFor(index),
      freq: monthly ? 'MONTHLY' : 'WEEKLY',
      interval: 1,
      byday: m[1],
      opensAt: `${pad(m[2])}:${m[3]}`,
      closesAt: `${pad(m[4])}:${m[5]}`,
    });
  });
  return { schedules, bad };
}

/** Times written back the way parseTimes reads them (only weekly and monthly times with hours). */
function formatTimes(schedules: ScheduleRecord[]): string {
  return schedules
    .filter((s) => s.byday && s.opensAt && s.closesAt)
    .sort((a, b) => DAYS.indexOf(a.byday!.slice(-2)) - DAYS.indexOf(b.byday!.slice(-2)))
    .map((s) => `${s.byday} ${s.opensAt}-${s.closesAt}`)
    .join('; ');
}

const yesNo = z
  .preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v), z.enum(['', 'yes', 'no', 'true', 'false', 'y', 'n'], { message: 'must be yes or no' }).optional())
  .transform((v) => (v === '' || v === undefined ? null : ['yes', 'true', 'y'].includes(v)));

const CsvRow = z.object({
  service_id: optionalUuid,
  service_name: z.string({ message: 'is missing' }).trim().min(1, 'is missing'),
  service_description: text,
  service_status: z
    .preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() || undefined : v), z.enum(serviceStatuses, { message: `must be one of ${serviceStatuses.join(', ')}` }).optional())
    .transform((v) => v ?? 'active'),
  service_url: text,
  service_email: email,
  service_phone: text,
  eligibility: text,
  minimum_age: age,
  maximum_age: age,
  free_of_charge: yesNo,
  fees: text,
  delivery_methods: text,
  needs: text,
  languages: text,
  service_times: text,
  contact_name: text,
  contact_title: text,
  contact_email: email,
  contact_phone: text,
  organisation_id: optionalUuid,
  organisation_name: z.string({ message: 'is missing' }).trim().min(1, 'is missing'),
  organisation_description: text,
  organisation_kind: z
    .preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase().replace(/[\s-]+/g, '_') || undefined : v), z.enum(Object.keys(organisationKinds) as [string, ...string[]], { message: `must be one of ${Object.keys(organisationKinds).join(', ')}` }).optional())
    .transform((v) => v ?? null),
  organisation_email: email,
  organisation_website: text,
  organisation_identifiers: text,
  organisation_postcode: text,
  location_id: optionalUuid,
  location_name: text,
  address_1: text,
  address_2: text,
  city: text,
  county: text,
  postcode: text,
  latitude: coordinate,
  longitude: coordinate,
  accessibility: text,
  times: text,
  last_reviewed: date,
});
type CsvRow = z.infer<typeof CsvRow>;

const deliveryWords: Record<string, DeliveryMode> = { 'in person': 'in_person', online: 'online', phone: 'phone', 'by phone': 'phone', telephone: 'phone' };

/** Checks one row and the lists inside its cells; returns the parts or the reasons. */
function readRow(row: CsvRow) {
  const reasons: string[] = [];
  const modes = items(row.delivery_methods, /[;,]/).map((w) => {
    const mode = deliveryWords[w.toLowerCase().replace(/[-_\s]+/g, ' ')];
    if (!mode) reasons.push(`delivery_methods: "${w}" is not one of ${deliveryModes.join(', ')}`);
    return mode;
  });
  const needIds = items(row.needs, /[;,]/).map((code) => {
    const id = needByCode.get(code.toLowerCase());
    if (!id) reasons.push(`needs: "${code}" is not a need code (like loneliness, food; see the import guide)`);
    return id;
  });
  const identifiers = items(row.organisation_identifiers, /[;,]/).map((value) => {
    const m = /^([A-Z]{2}-[A-Z]{2,6})-(.+)$/i.exec(value);
    if (!m) reasons.push(`organisation_identifiers: "${value}" is not like GB-CHC-1234567`);
    return m ? { scheme: m[1].toUpperCase(), identifier: m[2].trim() } : null;
  });
  const postcode = row.postcode ? normalisePostcode(row.postcode) : null;
  if (row.postcode && !postcode) reasons.push(`postcode: "${row.postcode}" is not a UK postcode`);
  const organisationPostcode = row.organisation_postcode ? normalisePostcode(row.organisation_postcode) : null;
  if (row.organisation_postcode && !organisationPostcode) reasons.push(`organisation_postcode: "${row.organisation_postcode}" is not a UK postcode`);
  if ((row.latitude === null) !== (row.longitude === null)) reasons.push('latitude and longitude: give both or neither');
  if (row.minimum_age !== null && row.maximum_age !== null && row.minimum_age > row.maximum_age) reasons.push('maximum_age: must not be less than minimum_age');
  const times = parseTimes(row.times, () => '');
  const serviceTimes = parseTimes(row.service_times, () => '');
  for (const part of times.bad) reasons.push(`times: "${part}" is not like MO,WE 10:00-12:00`);
  for (const part of serviceTimes.bad) reasons.push(`service_times: "${part}" is not like MO,WE 10:00-12:00`);
  if (row.times && !(row.address_1 || row.postcode || row.location_name || row.location_id)) reasons.push('times: are for a place; give the address, or use service_times');
  return {
    reasons,
    modes: modes.filter(Boolean) as DeliveryMode[],
    needIds: needIds.filter(Boolean) as string[],
    identifiers: identifiers.filter(Boolean) as { scheme: string; identifier: string }[],
    postcode,
    organisationPostcode,
  };
}

/** Columns that show what else a spreadsheet holds: ORUK's own CSV tables, or lists of organisations or places. */
const otherSpreadsheets: { words: string; advice: string; signs: RegExp; unless: RegExp }[] = [
  {
    words: 'services at locations (ORUK’s service_at_location table)',
    advice: 'Import the services themselves, with a row for each service at each place (see the import guide).',
    signs: /^(service_id|location_id)$/,
    unless: /^(service_name|name)$/,
  },
  {
    words: 'organisations',
    advice: 'Add a service_name column with a row for each service, naming its organisation in organisation_name (see the import guide).',
    signs: /^(organi[sz]ation_identifiers|organi[sz]ation_name|charity_number|company_number|legal_status|year_incorporated|website|organi[sz]ation_website|organi[sz]ation_email)$/,
    unless: /^(service_name|service_description|service_email)$/,
  },
  {
    words: 'locations',
    advice: 'Add service_name and organisation_name columns, with a row for each service at each place (see the import guide).',
    signs: /^(location_type|address_1|postcode|postal_code|latitude|longitude|uprn|external_identifier)$/,
    unless: /^(service_name|organi[sz]ation_name)$/,
  },
];

/** What to say about a spreadsheet without the columns a services file needs: what it looks like instead, if we can tell. */
function wrongColumns(header: string[], missing: string[]): string {
  const needs = `A services spreadsheet needs the columns ${missing.join(' and ')}`;
  const shown = header.slice(0, 8).map((h) => `"${h}"`).join(', ') + (header.length > 8 ? ' …' : '');
  // ORUK's CSV table of services names its columns id, name, organization_id.
  if (header.includes('name') && header.includes('organization_id') && !header.includes('service_name')) {
    return `This looks like ORUK’s services table (columns ${shown}), not our spreadsheet layout: rename name to service_name and give organisation_name, or import the ORUK JSON instead. ${needs} (see the import guide).`;
  }
  for (const other of otherSpreadsheets) {
    const signs = header.filter((h) => other.signs.test(h));
    if (signs.length && !header.some((h) => other.unless.test(h))) {
      return `This looks like a file of ${other.words}, not services: it has the columns ${signs.map((h) => `"${h}"`).join(', ')} but no service_name. ${other.advice}`;
    }
  }
  const known = header.filter((h) => (CSV_COLUMNS as readonly string[]).includes(h));
  if (!known.length) return `None of this file’s columns (${shown}) is one we read: it may not be a services spreadsheet. ${needs} (see the import guide).`;
  return `${needs} (see the import guide).`;
}

/** Reads a CSV file into candidates; rows of one service become one candidate with its places. */
export function readCsv(content: string): { candidates: Candidate[]; problem?: string } {
  let rows: Record<string, string>[];
  try {
    rows = parse(content.replace(/^\uFEFF/, ''), { columns: (header: string[]) => header.map((h) => h.trim().toLowerCase().replace(/\s+/g, '_')), skip_empty_lines: true, relax_column_count: true, trim: false });
  } catch (error) {
    return { candidates: [], problem: `The file is not a CSV file we can read: ${(error as Error).message}` };
  }
  if (!rows.length) return { candidates: [], problem: 'The file has no rows below its header.' };
  const header = Object.keys(rows[0]);
  const missing = (['service_name', 'organisation_name'] as Column[]).filter((c) => !header.includes(c));
  if (missing.length) return { candidates: [], problem: wrongColumns(header, missing) };

  const byService = new Map<string, Candidate>();
  const candidates: Candidate[] = [];
  const organisations = new Map<string, OrganisationInput>();
  const badRows: { key: string; line: number; reasons: string[] }[] = [];
  rows.forEach((given, index) => {
    const line = index + 2; // the header is line 1
    // Our export writes '=… for a cell that a spreadsheet would run as a formula: read it back as it was.
    const raw = Object.fromEntries(Object.entries(given).map(([k, v]) => [k, typeof v === 'string' ? v.replace(/^'(?=[=+\-@\t\r])/, '') : v]));
    // A spreadsheet's blank row (",,,,") is no record at all.
    if (Object.values(raw).every((v) => typeof v !== 'string' || !v.trim())) return;
    const parsed = CsvRow.safeParse(raw);
    const ref = { line, ...(raw.service_id ? { id: raw.service_id.trim() } : {}), ...(raw.service_name ? { name: raw.service_name.trim() } : {}) };
    const rowServiceKey = serviceKeyOf(raw);
    const rejectRow = (reasons: string[]) => {
      if (rowServiceKey) badRows.push({ key: rowServiceKey, line, reasons });
      candidates.push(rejected(ref, reasons));
    };
    if (!parsed.success) {
      // Say everything wrong with the row at once: the lists in its cells too.
      const cells = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, typeof v === 'string' && v.trim() ? v.trim() : null]));
      const listReasons = readRow({ ...cells, minimum_age: null, maximum_age: null, latitude: null, longitude: null } as unknown as CsvRow).reasons;
      return rejectRow([...issueReasons(parsed.error), ...listReasons.filter((r) => !parsed.error.issues.some((i) => r.startsWith(`${String(i.path[0])}:`)))]);
    }
    const row = parsed.data;
    const parts = readRow(row);
    if (parts.reasons.length) return rejectRow(parts.reasons);
    const warnings: string[] = [];

    const organisationId = row.organisation_id ?? stableUuid('organisation', row.organisation_name.toLowerCase());
    const serviceId = row.service_id ?? stableUuid('service', organisationId, row.service_name.toLowerCase());
    if (row.free_of_charge === true && row.fees && !/^(free|none|nil|n\/a|£?0+(\.0+)?)$/i.test(row.fees)) {
      warnings.push(`free_of_charge says yes but fees says "${row.fees}"; check which is right`);
    }
    const hasPlace = !!(row.address_1 || row.postcode || row.location_name || row.location_id);
    const locationId = row.location_id ?? stableUuid('location', organisationId, (row.address_1 ?? '').toLowerCase(), parts.postcode ?? '', (row.location_name ?? '').toLowerCase());
    const salId = stableUuid('service-at-location', serviceId, locationId);
    const coordinates = placeCoordinates(row.latitude, row.longitude, 'latitude and longitude', warnings);
    const location: LocationRecord | null = hasPlace
      ? {
          id: locationId,
          serviceAtLocationId: salId,
          locationType: 'physical',
          name: row.location_name,
          address1: row.address_1,
          address2: row.address_2,
          city: row.city,
          stateProvince: row.county,
          postalCode: parts.postcode,
          country: 'GB',
          ...coordinates,
          accessibility: row.accessibility,
          schedules: parseTimes(row.times, (i) => stableUuid('schedule', salId, String(i))).schedules,
        }
      : null;

    const existing = byService.get(serviceId);
    if (existing?.service) {
      // Another place for a service already read.
      if (location && !existing.service.locations.some((l) => l.id === location.id)) existing.service.locations.push(location);
      existing.warnings = [...(existing.warnings ?? []), ...warnings.map((w) => `line ${line}: ${w}`)];
      existing.ref.line ??= line;
      return;
    }
    const identifiers = parts.identifiers.map((i) => ({
      id: stableUuid('organisation-identifier', organisationId, i.scheme, i.identifier),
      scheme: i.scheme,
      type: identifierSchemes[i.scheme] ?? i.scheme,
      identifier: i.identifier,
    }));
    const contact =
      row.contact_name || row.contact_title || row.contact_email || row.contact_phone
        ? [
            {
              id: stableUuid('contact', serviceId),
              name: row.contact_name,
              title: row.contact_title,
              email: row.contact_email,
              phones: row.contact_phone ? [{ id: stableUuid('contact-phone', serviceId), number: row.contact_phone }] : [],
            },
          ]
        : [];
    const service: ServiceRecord = {
      id: serviceId,
      organisationId,
      name: row.service_name,
      description: row.service_description ?? '',
      url: row.service_url,
      email: row.service_email,
      status: row.service_status,
      fees: row.fees,
      eligibilityDescription: row.eligibility,
      minimumAge: row.minimum_age,
      maximumAge: row.maximum_age,
      freeOfCharge: row.free_of_charge ?? !row.fees,
      deliveryModes: [...new Set(parts.modes.length ? parts.modes : location ? (['in_person'] as DeliveryMode[]) : [])].sort(),
      lastReviewedAt: row.last_reviewed,
      languages: items(row.languages).map((entry) => {
        const m = /^(.*?)\s*\(([a-z]{2,3})\)$/i.exec(entry);
        const name = m ? m[1] : entry;
        return { id: stableUuid('language', serviceId, name.toLowerCase()), name, code: m ? m[2].toLowerCase() : null };
      }),
      costOptions: [],
      contacts: contact,
      phones: row.service_phone ? [{ id: stableUuid('service-phone', serviceId), number: row.service_phone }] : [],
      locations: location ? [location] : [],
      schedules: parseTimes(row.service_times, (i) => stableUuid('schedule', serviceId, String(i))).schedules,
      serviceAreas: [],
      taxonomyTermIds: [...new Set(parts.needIds)].sort(),
    };
    const candidate: Candidate = {
      ref: { id: serviceId, name: row.service_name, line },
      service,
      organisation: organisationFrom(organisations, {
        id: organisationId,
        idFromName: !row.organisation_id,
        keepBlank: true,
        name: row.organisation_name,
        description: row.organisation_description ?? '',
        kind: row.organisation_kind,
        email: row.organisation_email,
        website: row.organisation_website,
        postcode: parts.organisationPostcode,
        identifiers,
      }),
      warnings,
      reasons: [],
    };
    byService.set(serviceId, candidate);
    candidates.push(candidate);
  });
  // A service is one unit: if one of its rows (a place) cannot be read, none of it is saved, rather
  // than the service without that place. The bad row's reasons are given once, on the service.
  const spoiled = new Set<string>();
  for (const bad of badRows) {
    const candidate = byService.get(bad.key);
    if (!candidate?.service) continue;
    candidate.reasons.push(...bad.reasons.map((r) => `line ${bad.line}: ${r}`));
    spoiled.add(bad.key);
  }
  for (const key of spoiled) {
    const candidate = byService.get(key)!;
    candidate.reasons.push('the service was not imported, so that it is not saved without a part of it: correct the lines above and import the file again');
    delete candidate.service;
  }
  const dropped = new Set(badRows.filter((b) => spoiled.has(b.key)).map((b) => b.line));
  const services = new Set(byService.values());
  return { candidates: candidates.filter((c) => services.has(c) || !dropped.has(c.ref.line!)) };
}

/** The service a row belongs to, worked out as readCsv does, from its cells as written (null when it cannot be). */
function serviceKeyOf(raw: Record<string, string | undefined>): string | null {
  const cell = (name: string) => (typeof raw[name] === 'string' && raw[name]!.trim() ? raw[name]!.trim() : null);
  const isId = (v: string | null) => (v && optionalUuid.safeParse(v).success ? v.toLowerCase() : null);
  const organisationName = cell('organisation_name');
  const serviceName = cell('service_name');
  const organisationId = isId(cell('organisation_id')) ?? (organisationName ? stableUuid('organisation', organisationName.toLowerCase()) : null);
  return isId(cell('service_id')) ?? (organisationId && serviceName ? stableUuid('service', organisationId, serviceName.toLowerCase()) : null);
}

/**
 * One organisation for every row that names it: the first row's spelling of the name wins, and a
 * blank cell in a later row is "not given", never "delete" (a later row only fills what earlier ones left blank).
 */
function organisationFrom(organisations: Map<string, OrganisationInput>, row: OrganisationInput): OrganisationInput {
  const held = organisations.get(row.id);
  if (!held) {
    organisations.set(row.id, row);
    return row;
  }
  held.description ||= row.description;
  held.kind ??= row.kind;
  held.email ??= row.email;
  held.website ??= row.website;
  held.postcode ??= row.postcode;
  const known = new Set(held.identifiers.map((i) => i.id));
  held.identifiers.push(...row.identifiers.filter((i) => !known.has(i.id)));
  return held;
}

const yes = (v: boolean) => (v ? 'yes' : 'no');

/** A service as CSV rows (one per place), in CSV_COLUMNS order. */
export function serviceCsvRows(s: ServiceRecord, o: OrganisationRecord | undefined): string[][] {
  const contact = s.contacts[0];
  const common: Partial<Record<Column, string>> = {
    service_id: s.id,
    service_name: s.name,
    service_description: s.description,
    service_status: s.status,
    service_url: s.url ?? '',
    service_email: s.email ?? '',
    service_phone: s.phones[0]?.number ?? '',
    eligibility: s.eligibilityDescription ?? '',
    minimum_age: s.minimumAge?.toString() ?? '',
    maximum_age: s.maximumAge?.toString() ?? '',
    free_of_charge: yes(s.freeOfCharge),
    fees: s.fees ?? '',
    delivery_methods: s.deliveryModes.join('; '),
    needs: s.taxonomyTermIds.flatMap((id) => (needCodeById.has(id) ? [needCodeById.get(id)!] : [])).join('; '),
    languages: s.languages.filter((l) => l.name).map((l) => (l.code ? `${l.name} (${l.code})` : l.name)).join('; '),
    service_times: formatTimes(s.schedules),
    contact_name: contact?.name ?? '',
    contact_title: contact?.title ?? '',
    contact_email: contact?.email ?? '',
    contact_phone: contact?.phones[0]?.number ?? '',
    organisation_id: s.organisationId,
    organisation_name: o?.name ?? '',
    organisation_description: o?.description ?? '',
    organisation_kind: o?.kind ?? '',
    organisation_email: o?.email ?? '',
    organisation_website: o?.website ?? '',
    organisation_identifiers: (o?.identifiers ?? []).map((i) => `${i.scheme}-${i.identifier}`).join('; '),
    organisation_postcode: o?.postcode ?? '',
    last_reviewed: s.lastReviewedAt ? ukDateOf(new Date(s.lastReviewedAt)) : '',
  };
  // Online places have no address: delivery_methods says the service is online.
  const physical = s.locations.filter((l) => l.locationType !== 'virtual');
  const places = physical.length ? physical : [null];
  return places.map((l) => {
    const row: Partial<Record<Column, string>> = l
      ? {
          ...common,
          location_id: l.id,
          location_name: l.name ?? '',
          address_1: l.address1 ?? '',
          address_2: l.address2 ?? '',
          city: l.city ?? '',
          county: l.stateProvince ?? '',
          postcode: l.postalCode ?? '',
          latitude: l.latitude?.toString() ?? '',
          longitude: l.longitude?.toString() ?? '',
          accessibility: l.accessibility ?? '',
          times: formatTimes(l.schedules),
        }
      : common;
    return CSV_COLUMNS.map((c) => row[c] ?? '');
  });
}
