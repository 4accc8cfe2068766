import type { DeliveryMode, LocationRecord, ScheduleRecord, ServiceRecord } from '../directory.types.ts';
import { normalisePostcode } from '../postcodes/postcode.ts';
import { CHARGE_TERM_ID, deliveryModeByTermId, FREE_TERM_ID } from '../oruk/oruk-taxonomies.ts';
import { issueReasons, placeCoordinates, rejected, storableText, type Candidate, type OrganisationInput, type OtherRecordKind, type RecordRef, type ServicePart } from './candidates.ts';
import { OrukOrganisationInput, OrukServiceInput, type OrukTermInput } from './transfer.schemas.ts';

/*
 * Open Referral UK 3.0 services (as our /oruk API and other directories publish them) into our
 * records. Delivery method and cost arrive as attributes with our stable term ids; other systems'
 * feeds rarely have those, so they are worked out from locations and cost options instead.
 */

type Schedule = OrukServiceInput['schedules'][number];

const toSchedule = (x: Schedule): ScheduleRecord => ({
  id: x.id,
  freq: x.freq,
  interval: x.interval ?? 1,
  byday: x.byday,
  bymonthday: x.bymonthday,
  opensAt: x.opens_at,
  closesAt: x.closes_at,
  validFrom: x.valid_from,
  validTo: x.valid_to,
  dtstart: x.dtstart,
  description: x.description,
  notes: x.notes,
  attendingType: x.attending_type,
  scheduleLink: x.schedule_link,
});

function refOf(raw: unknown, line?: number): RecordRef {
  const r = (raw && typeof raw === 'object' ? raw : {}) as { id?: unknown; name?: unknown };
  return {
    ...(typeof r.id === 'string' ? { id: r.id } : {}),
    ...(typeof r.name === 'string' ? { name: r.name } : {}),
    ...(line ? { line } : {}),
  };
}

/**
 * A JSON value with every NUL character removed and every lone surrogate (half of an emoji, "\ud800")
 * replaced by U+FFFD: the database stores neither. Says how many of each it changed.
 */
function scrubbed(value: unknown, count: { nul: number; surrogate: number }): unknown {
  if (typeof value === 'string') {
    const clean = storableText(value);
    count.nul += clean.nul;
    count.surrogate += clean.surrogate;
    return clean.text;
  }
  if (Array.isArray(value)) return value.map((v) => scrubbed(v, count));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [scrubbed(k, count) as string, scrubbed(v, count)]));
  return value;
}

/** Reads one ORUK service object (or an organisation line of our own export); `line` is its line in an NDJSON file. */
export function readOrukService(given: unknown, line?: number): Candidate {
  const count = { nul: 0, surrogate: 0 };
  const raw = scrubbed(given, count);
  const candidate = isOrganisationLine(raw) ? readOrukOrganisation(raw, line) : readCleanOrukService(raw, line);
  if (count.nul) (candidate.warnings ??= []).push(`${count.nul} NUL character${count.nul === 1 ? ' was' : 's were'} removed from its text`);
  if (count.surrogate) (candidate.warnings ??= []).push(`${count.surrogate} broken character${count.surrogate === 1 ? ' (half of an emoji or symbol) was' : 's (halves of emoji or symbols) were'} replaced with �`);
  return candidate;
}

function readCleanOrukService(raw: unknown, line?: number): Candidate {
  const ref = refOf(raw, line);
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return rejected(ref, ['is not a JSON object describing a service']);
  const shape = otherRecordShape(raw as Record<string, unknown>);
  if (shape) return { ...rejected(ref, [`looks like ${recordKindWords[shape.kind].one}, not a service: it has ${shape.evidence}`]), looksLike: shape.kind };
  const parsed = OrukServiceInput.safeParse(raw);
  if (!parsed.success) return rejected(ref, issueReasons(parsed.error));
  const s = parsed.data;
  const extras = s.common_ground ?? null;
  const reasons: string[] = [];
  const warnings: string[] = [];

  const organisationId = s.organization?.id ?? s.organization_id;
  if (!organisationId) reasons.push('organization: the service must name its organisation (organization or organization_id)');
  if (s.organization && s.organization_id && s.organization.id !== s.organization_id) reasons.push('organization_id: does not match organization.id');

  const extraLocations = new Map((extras?.locations ?? []).map((l) => [l.id, l]));
  const salIds = new Set(s.service_at_locations.map((sal) => sal.id));
  const locations: LocationRecord[] = [];
  s.service_at_locations.forEach((sal, i) => {
    const l = sal.location;
    if (!l) {
      reasons.push(`service_at_locations.${i}.location: is missing (give the location, not only its id)`);
      return;
    }
    const address = l.addresses.find((a) => a.address_type !== 'postal') ?? l.addresses[0];
    const extra = extraLocations.get(l.id);
    let address1 = address?.address_1 ?? null;
    if (address1 && extra?.address_2 && address1.endsWith(`, ${extra.address_2}`)) address1 = address1.slice(0, -(extra.address_2.length + 2));
    const postcode = address?.postal_code ?? null;
    // Accessibility: what it is (shown on the service page), the details, and a link. Details without
    // a description are what there is to show, so they are shown.
    const described = l.accessibility.map((a) => a.description ?? a.accessibility).filter(Boolean);
    const details = l.accessibility.map((a) => a.details).filter(Boolean);
    const accessibility = described.length ? described : details;
    locations.push({
      id: l.id,
      serviceAtLocationId: sal.id,
      organisationId: extra?.organization_id ?? null,
      locationType: l.location_type,
      name: l.name,
      description: l.description,
      ...placeCoordinates(l.latitude, l.longitude, `service_at_locations.${i}.location${l.name ? ` (${l.name})` : ''}`, warnings),
      address1,
      address2: extra?.address_2 ?? null,
      city: address?.city ?? null,
      region: address?.region ?? null,
      stateProvince: address?.state_province ?? null,
      postalCode: postcode ? (normalisePostcode(postcode) ?? postcode) : null,
      country: address?.country ?? null,
      accessibility: accessibility.length ? accessibility.join('\n') : null,
      accessibilityDetails: described.length && details.length ? details.join('\n') : null,
      accessibilityUrl: l.accessibility.find((a) => a.url)?.url ?? null,
      externalIdentifier: l.external_identifier,
      externalIdentifierType: l.external_identifier ? l.external_identifier_type : null,
      attention: address?.attention ?? null,
      addressType: address?.address_type ?? null,
      schedules: [...sal.schedules, ...s.schedules.filter((x) => x.service_at_location_id === sal.id)].map(toSchedule),
    });
  });
  const locationIds = locations.map((l) => l.id);
  if (new Set(locationIds).size !== locationIds.length) reasons.push('service_at_locations: the same location appears twice');
  if (reasons.length) return rejected(ref, reasons);

  // Attributes: our delivery and cost terms become fields; every other term is a tag.
  const termIds = new Set<string>();
  const terms: OrukTermInput[] = [];
  const termLinkTypes: Record<string, string> = {};
  const modes = new Set<DeliveryMode>();
  let free: boolean | null = null;
  for (const a of s.attributes) {
    const id = a.taxonomy_term?.id ?? a.taxonomy_term_id;
    if (!id) continue;
    if (deliveryModeByTermId.has(id)) modes.add(deliveryModeByTermId.get(id)!);
    else if (id === FREE_TERM_ID || id === CHARGE_TERM_ID) free = id === FREE_TERM_ID;
    else {
      termIds.add(id);
      if (a.link_type) termLinkTypes[id] = a.link_type;
      if (a.taxonomy_term) terms.push(a.taxonomy_term);
    }
  }
  // Our own export says all there is; another system's feed leaves delivery and cost to be worked out.
  if (!modes.size && !extras) {
    if (locations.some((l) => l.locationType !== 'virtual')) modes.add('in_person');
    if (locations.some((l) => l.locationType === 'virtual')) modes.add('online');
  }
  free ??= !(s.cost_options.some((c) => (c.amount ?? 0) > 0) || !!s.fees);

  const extraContacts = new Map((extras?.contacts ?? []).map((c) => [c.id, c]));
  const extraLanguages = new Map((extras?.languages ?? []).map((l) => [l.id, l]));
  const service: ServiceRecord = {
    id: s.id,
    organisationId: organisationId!,
    name: s.name,
    description: s.description ?? '',
    url: extras?.url ?? s.url,
    email: s.email,
    status: s.status,
    reopeningDate: extras?.reopening_date ?? null,
    fees: s.fees,
    accreditations: s.accreditations,
    eligibilityDescription: extras?.eligibility_description ?? null,
    minimumAge: s.minimum_age,
    maximumAge: s.maximum_age,
    freeOfCharge: free,
    deliveryModes: [...modes].sort(),
    assuredDate: s.assured_date,
    assurerEmail: s.assurer_email,
    alert: s.alert,
    lastModified: s.last_modified,
    lastReviewedAt: extras?.last_reviewed_at ?? s.assured_date ?? null,
    // ORUK 3.0 languages carry only an id: one without a name (another system's feed) is kept by its
    // id with the name blank, so that publishing it again names the same language.
    languages: s.languages.map((l) => ({ id: l.id, name: l.name ?? extraLanguages.get(l.id)?.name ?? '', code: l.code ?? extraLanguages.get(l.id)?.code ?? null })),
    costOptions: s.cost_options.map((c) => ({
      id: c.id,
      option: c.option,
      amount: c.amount,
      amountDescription: c.amount_description,
      validFrom: c.valid_from,
      validTo: c.valid_to,
    })),
    contacts: s.contacts.map((c) => ({
      id: c.id,
      name: c.name,
      title: c.title,
      email: c.email ?? extraContacts.get(c.id)?.email ?? null,
      phones: (c.phones.length ? c.phones : (extraContacts.get(c.id)?.phones ?? [])).map((p) => ({ id: p.id, number: p.number, description: p.description })),
    })),
    phones: (s.phones.length ? s.phones : (extras?.phones ?? [])).map((p) => ({ id: p.id, number: p.number, description: p.description })),
    locations,
    schedules: s.schedules.filter((x) => !x.service_at_location_id || !salIds.has(x.service_at_location_id)).map(toSchedule),
    serviceAreas: s.service_areas.map((a) => ({ id: a.id, name: a.name, serviceArea: a.service_area, extent: a.extent, extentType: a.extent_type, uri: a.uri })),
    taxonomyTermIds: [...termIds].sort(),
    termLinkTypes,
    funding: s.funding.map((f) => ({ id: f.id, source: f.source })),
  };

  // A record only replaces what it carries: a list left out (not an empty list) keeps what we hold.
  const given = (key: string) => Array.isArray((raw as Record<string, unknown>)[key]);
  const keep: ServicePart[] = [];
  if (!given('service_at_locations')) keep.push('locations');
  if (!given('schedules')) keep.push('schedules');
  if (!given('contacts')) keep.push('contacts');
  if (!given('cost_options')) keep.push('costOptions');
  if (!given('service_areas')) keep.push('serviceAreas');
  if (!given('phones') && !extras?.phones.length) keep.push('phones');
  if (!given('languages')) keep.push('languages');
  if (!given('funding')) keep.push('funding');
  if (!given('attributes')) {
    keep.push('taxonomyTermIds', 'termLinkTypes');
    if (!given('service_at_locations')) keep.push('deliveryModes');
    if (!given('cost_options') && !s.fees) keep.push('freeOfCharge');
  }

  const organisation = s.organization
    ? organisationInput(s.organization, extras?.organization, !Array.isArray((raw as { organization?: Record<string, unknown> }).organization?.organization_identifiers))
    : undefined;
  return { ref: { id: s.id, name: s.name, ...(line ? { line } : {}) }, service, organisation, terms, keep, warnings, reasons: [] };
}

type OrukOrganization = NonNullable<OrukServiceInput['organization']>;
type OrganisationExtras = NonNullable<NonNullable<OrukServiceInput['common_ground']>['organization']>;

function organisationInput(o: OrukOrganization, extras: OrganisationExtras | null | undefined, keepIdentifiers: boolean): OrganisationInput {
  return {
    id: o.id,
    name: o.name,
    description: o.description ?? '',
    email: o.email,
    website: extras?.website ?? o.website,
    logo: o.logo,
    uri: extras?.uri ?? o.uri,
    parentOrganisationId: o.parent_organization_id,
    identifiers: o.organization_identifiers.map((i) => ({
      id: i.id,
      scheme: i.identifier_scheme ?? i.identifier_type ?? '',
      type: i.identifier_type ?? i.identifier_scheme ?? '',
      identifier: i.identifier,
    })),
    kind: extras?.kind ?? null,
    postcode: extras?.postcode ?? null,
    lastReviewedAt: extras?.last_reviewed_at ?? null,
    keepIdentifiers,
  };
}

/** Whether a record is an organisation line of our own export (see organisationExportRecord). */
const isOrganisationLine = (raw: unknown) =>
  !!raw && typeof raw === 'object' && (raw as { common_ground?: { record?: unknown } }).common_ground?.record === 'organization';

function readOrukOrganisation(raw: unknown, line?: number): Candidate {
  const parsed = OrukOrganisationInput.safeParse(raw);
  if (!parsed.success) return rejected(refOf(raw, line), issueReasons(parsed.error));
  const o = parsed.data;
  const keepIdentifiers = !Array.isArray((raw as Record<string, unknown>).organization_identifiers);
  return { ref: { id: o.id, name: o.name, ...(line ? { line } : {}) }, organisation: organisationInput(o, o.common_ground, keepIdentifiers), reasons: [] };
}

/** Kinds of ORUK record that are not a service, as a report names them. */
const recordKindWords: Record<OtherRecordKind, { one: string; many: string; advice: string }> = {
  organization: {
    one: 'an organisation',
    many: 'organisations',
    advice: 'Import the services instead (an ORUK services file, page or feed): each service brings its organisation with it.',
  },
  service_at_location: {
    one: 'a service at a location',
    many: 'services at locations',
    advice: 'Import the services instead (an ORUK services file, page or feed): each service brings its places with it.',
  },
  location: {
    one: 'a location',
    many: 'locations',
    advice: 'Import the services instead (an ORUK services file, page or feed): each service brings its places with it.',
  },
  taxonomy_term: {
    one: 'a taxonomy term',
    many: 'taxonomy terms',
    advice: 'Terms arrive with the services tagged with them: import the services instead.',
  },
};

const has = (o: Record<string, unknown>, key: string) => o[key] !== undefined && o[key] !== null;

/**
 * What kind of ORUK record an object looks like when it is clearly not a service, and the fields
 * that show it; null for a service (or something we cannot tell, which the service checks judge).
 * A service names its organisation or has a status; the others have fields a service never has.
 */
function otherRecordShape(o: Record<string, unknown>): { kind: OtherRecordKind; evidence: string } | null {
  const fields = (...keys: string[]) => keys.filter((k) => has(o, k));
  const listed = (keys: string[]) => keys.map((k) => `"${k}"`).join(', ');
  const serviceSigns = fields('organization_id', 'organization', 'status', 'service_areas', 'cost_options', 'eligibility_description', 'fees');
  // Our export's organisation lines are read as organisations, not refused.
  if (serviceSigns.length || isOrganisationLine(o)) return null;
  const salSigns = fields('service_id', 'location_id');
  if (salSigns.length === 2 || (has(o, 'service') && has(o, 'location'))) {
    return { kind: 'service_at_location', evidence: `${listed(salSigns.length === 2 ? salSigns : ['service', 'location'])} and no "organization" or "status"` };
  }
  const organisationSigns = fields('organization_identifiers', 'services', 'legal_status', 'year_incorporated', 'parent_organization_id', 'uri', 'logo', 'website');
  if (organisationSigns.length) return { kind: 'organization', evidence: `${listed(organisationSigns)} and no "organization_id" or "status"` };
  const locationSigns = fields('location_type', 'addresses', 'latitude', 'longitude', 'accessibility', 'external_identifier');
  if (locationSigns.length) return { kind: 'location', evidence: `${listed(locationSigns)} and no "organization_id" or "status"` };
  const termSigns = fields('taxonomy_id', 'parent_id', 'term', 'term_uri');
  if (termSigns.length) return { kind: 'taxonomy_term', evidence: `${listed(termSigns)} and no "organization_id" or "status"` };
  return null;
}

/**
 * When every record of a file looks like the same other kind (a file of organisations offered as
 * services), what to tell the person, in one sentence; else null.
 */
export function wrongKindOfFile(candidates: Candidate[]): string | null {
  const kind = candidates[0]?.looksLike;
  if (!kind || !candidates.every((c) => c.looksLike === kind)) return null;
  const words = recordKindWords[kind];
  const evidence = candidates[0].reasons[0]?.replace(/^.*?: it has /, '') ?? '';
  return `This looks like a file of ${words.many}, not services: its records have ${evidence}. ${words.advice}`;
}

/** The services in an ORUK JSON document: one service, an array of them, or a page envelope. */
export function servicesInDocument(document: unknown): unknown[] | null {
  if (Array.isArray(document)) return document;
  if (document && typeof document === 'object') {
    const contents = (document as { contents?: unknown }).contents;
    if (Array.isArray(contents)) return contents;
    if ('id' in document || 'name' in document) return [document];
  }
  return null;
}
