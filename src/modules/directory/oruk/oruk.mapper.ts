import type { LocationRecord, OrganisationRecord, ScheduleRecord, ServiceRecord } from '../directory.types.ts';
import { CHARGE_TERM_ID, deliveryTermIds, FREE_TERM_ID } from './oruk-taxonomies.ts';
import { stableUuid } from './stable-uuid.ts';

/*
 * Our records in Open Referral UK 3.0's shape. Only the specification's fields are written, and an
 * empty optional field is left out rather than sent as null, '' or []: the official validator
 * reports both. What ORUK 3.0 cannot carry (phone numbers, language names, contacts' emails,
 * eligibility text) goes only into our own export, under `common_ground` (see commonGroundExtras).
 */

export type Json = Record<string, unknown>;

export type TermInfo = {
  id: string;
  name: string;
  description: string;
  code: string;
  taxonomyId: string;
  taxonomyName: string;
  parentId?: string | null;
  termUri?: string | null;
};

export type OrukContext = { organisations: Map<string, OrganisationRecord>; terms: Map<string, TermInfo> };

/** Drops null, undefined, '' and [] values (and empty objects) so that optional fields are omitted. */
export function compact<T extends Json>(value: T, required: string[] = []): T {
  const out: Json = {};
  for (const [key, v] of Object.entries(value)) {
    const empty = v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
    if (!empty || required.includes(key)) out[key] = v ?? '';
  }
  return out as T;
}

const iso = (v: Date | string | null | undefined) => (v instanceof Date ? v.toISOString() : v ? new Date(v).toISOString() : undefined);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const email = (v: string | null | undefined) => (v && EMAIL.test(v.trim()) ? v.trim() : undefined);

/** An absolute http(s) URL, or undefined: ORUK's uri fields must be absolute. Bare hosts get https://. */
function absoluteUrl(v: string | null | undefined): string | undefined {
  if (!v?.trim()) return undefined;
  const text = /^[a-z][a-z0-9+.-]*:/i.test(v.trim()) ? v.trim() : `https://${v.trim()}`;
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.includes('.') ? text : undefined;
  } catch {
    return undefined;
  }
}

const time = (v: string | null | undefined) => (v ? `${v.slice(0, 5)}:00` : undefined);

export type OrganisationSummary = Pick<OrganisationRecord, 'id' | 'name' | 'description' | 'email' | 'website' | 'logo' | 'uri' | 'parentOrganisationId'>;

export function orukOrganizationSummary(o: OrganisationSummary): Json {
  return compact(
    {
      id: o.id,
      name: o.name,
      description: o.description ?? '',
      email: email(o.email),
      website: absoluteUrl(o.website),
      logo: o.logo,
      uri: absoluteUrl(o.uri),
      parent_organization_id: o.parentOrganisationId,
    },
    ['description'],
  );
}

export function orukOrganization(o: OrganisationRecord, services?: Json[]): Json {
  return compact({
    ...orukOrganizationSummary(o),
    organization_identifiers: o.identifiers.map((i) =>
      compact({ id: i.id, identifier_scheme: i.scheme, identifier_type: i.type || i.scheme, identifier: i.identifier }, ['identifier_type']),
    ),
    services,
  }, ['description']);
}

export type ServiceSummary = Pick<
  ServiceRecord,
  | 'id'
  | 'organisationId'
  | 'name'
  | 'description'
  | 'url'
  | 'email'
  | 'status'
  | 'fees'
  | 'accreditations'
  | 'minimumAge'
  | 'maximumAge'
  | 'assuredDate'
  | 'assurerEmail'
  | 'alert'
  | 'lastModified'
>;

/** The one-to-one fields of a service (the list endpoints' shape). */
export function orukServiceFields(s: ServiceSummary): Json {
  return compact({
    id: s.id,
    organization_id: s.organisationId,
    name: s.name,
    description: s.description,
    url: absoluteUrl(s.url),
    email: email(s.email),
    status: s.status,
    fees: s.fees,
    accreditations: s.accreditations,
    minimum_age: s.minimumAge,
    maximum_age: s.maximumAge,
    assured_date: s.assuredDate,
    assurer_email: email(s.assurerEmail),
    alert: s.alert,
    last_modified: iso(s.lastModified),
  });
}

export function orukServiceSummary(s: ServiceSummary, organisation: OrganisationSummary | undefined): Json {
  return compact({ ...orukServiceFields(s), organization: organisation ? orukOrganizationSummary(organisation) : undefined });
}

function orukSchedule(x: ScheduleRecord, serviceAtLocationId?: string): Json {
  return compact({
    id: x.id,
    service_at_location_id: serviceAtLocationId,
    valid_from: x.validFrom,
    valid_to: x.validTo,
    dtstart: x.dtstart,
    freq: x.freq,
    interval: x.interval,
    byday: x.byday,
    bymonthday: x.bymonthday,
    description: x.description,
    opens_at: time(x.opensAt),
    closes_at: time(x.closesAt),
    schedule_link: absoluteUrl(x.scheduleLink),
    attending_type: x.attendingType,
    notes: x.notes,
  });
}

/** A location's basic fields (the service_at_locations list's shape). */
export function orukLocationSummary(l: LocationRecord): Json {
  return compact({
    id: l.id,
    location_type: l.locationType,
    name: l.name,
    description: l.description,
    latitude: l.latitude,
    longitude: l.longitude,
  });
}

function orukLocation(l: LocationRecord): Json {
  const hasAddress = !!(l.address1 || l.postalCode || l.city || l.attention);
  const address = hasAddress
    ? compact(
        {
          id: stableUuid('address', l.id),
          attention: l.attention,
          address_1: [l.address1, l.address2].filter(Boolean).join(', '),
          city: l.city ?? '',
          region: l.region,
          state_province: l.stateProvince ?? '',
          postal_code: l.postalCode ?? '',
          country: l.country || 'GB',
          address_type: l.addressType ?? l.locationType,
        },
        ['address_1', 'city', 'state_province', 'postal_code'],
      )
    : undefined;
  const accessibility =
    l.accessibility || l.accessibilityDetails || absoluteUrl(l.accessibilityUrl)
      ? [compact({ id: stableUuid('accessibility', l.id), description: l.accessibility, details: l.accessibilityDetails, url: absoluteUrl(l.accessibilityUrl) })]
      : undefined;
  return compact({
    ...orukLocationSummary(l),
    external_identifier: l.externalIdentifier,
    external_identifier_type: l.externalIdentifier ? l.externalIdentifierType : undefined,
    addresses: address ? [address] : undefined,
    accessibility,
  });
}

function orukTerm(t: TermInfo): Json {
  return compact({
    id: t.id,
    name: t.name,
    description: t.description ?? '',
    parent_id: t.parentId,
    taxonomy: t.taxonomyName,
    taxonomy_id: t.taxonomyId,
    term_uri: absoluteUrl(t.termUri),
    term: t.code,
  }, ['description']);
}
export { orukTerm as orukTaxonomyTerm };

/** Every taxonomy term a service is described by: its needs and tags, how it is delivered, its cost. */
export function serviceTermIds(s: Pick<ServiceRecord, 'taxonomyTermIds' | 'deliveryModes' | 'freeOfCharge'>): string[] {
  return [...new Set([...s.taxonomyTermIds, ...s.deliveryModes.map((m) => deliveryTermIds[m]), s.freeOfCharge ? FREE_TERM_ID : CHARGE_TERM_ID])];
}

export type OrukServiceOptions = { organisation?: boolean; serviceAtLocations?: boolean };

/** A fully nested service, as GET /services/{id} returns it. */
export function orukService(s: ServiceRecord, context: OrukContext, options: OrukServiceOptions = {}): Json {
  const organisation = options.organisation === false ? undefined : context.organisations.get(s.organisationId);
  return compact({
    ...orukServiceFields(s),
    schedules: [...s.schedules.map((x) => orukSchedule(x)), ...s.locations.flatMap((l) => l.schedules.map((x) => orukSchedule(x, l.serviceAtLocationId)))],
    service_areas: s.serviceAreas.map((a) =>
      compact({ id: a.id, name: a.name, extent: a.extent, extent_type: a.extentType, uri: absoluteUrl(a.uri), service_area: a.serviceArea }),
    ),
    service_at_locations:
      options.serviceAtLocations === false ? undefined : s.locations.map((l) => ({ id: l.serviceAtLocationId, location: orukLocation(l) })),
    languages: s.languages.map((l) => ({ id: l.id })),
    organization: organisation ? orukOrganization(organisation) : undefined,
    funding: (s.funding ?? []).map((f) => compact({ id: f.id, source: f.source })),
    cost_options: s.costOptions.map((c) =>
      compact({ id: c.id, valid_from: c.validFrom, valid_to: c.validTo, option: c.option, amount: c.amount ?? undefined, amount_description: c.amountDescription }),
    ),
    contacts: s.contacts.map((c) => compact({ id: c.id, name: c.name, title: c.title })),
    attributes: serviceTermIds(s).flatMap((termId) => {
      const term = context.terms.get(termId);
      return term ? [compact({ id: stableUuid('attribute', s.id, termId), taxonomy_term_id: termId, link_type: s.termLinkTypes?.[termId], taxonomy_term: orukTerm(term) })] : [];
    }),
  });
}

/** One service at one location, fully nested, as GET /service_at_locations/{id} returns it. */
export function orukServiceAtLocation(s: ServiceRecord, location: LocationRecord, context: OrukContext): Json {
  return {
    id: location.serviceAtLocationId,
    service_id: s.id,
    location_id: location.id,
    location: orukLocation(location),
    service: orukService({ ...s, locations: [location] }, context, { serviceAtLocations: false }),
  };
}

/**
 * What our records hold beyond ORUK 3.0, written only by our own export (never by the public API)
 * so that exporting and importing again loses nothing.
 */
export function commonGroundExtras(s: ServiceRecord, organisation: OrganisationRecord | undefined): Json {
  return compact({
    url: asTyped(s.url),
    eligibility_description: s.eligibilityDescription,
    reopening_date: s.reopeningDate,
    last_reviewed_at: iso(s.lastReviewedAt),
    phones: s.phones.map((p) => compact({ id: p.id, number: p.number, description: p.description })),
    contacts: s.contacts
      .filter((c) => c.email || c.phones.length)
      .map((c) => compact({ id: c.id, email: c.email, phones: c.phones.map((p) => compact({ id: p.id, number: p.number, description: p.description })) })),
    languages: s.languages.map((l) => compact({ id: l.id, name: l.name, code: l.code })),
    locations: s.locations
      .filter((l) => l.address2 || (l.organisationId && l.organisationId !== s.organisationId))
      .map((l) => compact({ id: l.id, address_2: l.address2, organization_id: l.organisationId !== s.organisationId ? l.organisationId : undefined })),
    organization: organisation ? organisationExtras(organisation) : undefined,
  });
}

/** Addresses written without https:// are sent with it; our export keeps them as they were typed. */
const asTyped = (v: string | null | undefined) => (v && absoluteUrl(v) !== v ? v : undefined);

/** What our records hold about an organisation beyond ORUK 3.0 (our export only). */
function organisationExtras(o: OrganisationRecord): Json {
  return compact({ kind: o.kind, postcode: o.postcode, website: asTyped(o.website), uri: asTyped(o.uri), last_reviewed_at: iso(o.lastReviewedAt) });
}

/**
 * An organisation as a line of our own export: the ORUK 3.0 organization, with `common_ground`
 * saying it is an organisation (not a service) and what ORUK cannot carry. Our export writes
 * these for organisations with no services, which service lines would otherwise leave out.
 */
export function organisationExportRecord(o: OrganisationRecord): Json {
  return { ...orukOrganization(o), common_ground: { record: 'organization', ...organisationExtras(o) } };
}
