import { deliveryModeNames, deliveryModes, identifierSchemes, organisationKinds, type ServiceRecord } from '../directory.types.ts';
import { needs } from '../needs-taxonomy.ts';
import { describeSchedules, weekdayCodes, weekdayNames } from './opening-times.ts';
import { DEFAULT_MILES, distanceChoices } from './search.schemas.ts';
import type { OrganisationDetail, SearchResult, ServiceDetail } from './search.service.ts';

/* What the search pages and the API show, worked out from the records: no HTTP, no SQL. */

const iso = (v: Date | string | null | undefined) => (v instanceof Date ? v.toISOString() : (v ?? null));

export function presentSearchForm() {
  return {
    needOptions: needs.map((n) => ({ value: n.code, text: n.name })).sort((a, b) => a.text.localeCompare(b.text)),
    distanceOptions: distanceChoices.map((m) => ({ value: String(m), text: `Within ${m} mile${m === 1 ? '' : 's'}` })),
    defaultMiles: String(DEFAULT_MILES),
    dayOptions: weekdayCodes.map((d) => ({ value: d, text: weekdayNames[d] })),
    deliveryOptions: deliveryModes.map((m) => ({ value: m, text: deliveryModeNames[m] })),
  };
}

/** What the searcher typed, kept as typed for the form (even when it is wrong). */
export function searchFormValues(raw: Record<string, unknown>) {
  const one = (v: unknown) => (Array.isArray(v) ? String(v[0] ?? '') : typeof v === 'string' ? v : '');
  const many = (v: unknown) => (Array.isArray(v) ? v : typeof v === 'string' ? [v] : []).flatMap((x) => String(x).split(',')).map((x) => x.trim());
  const need = one(raw.need);
  return {
    text: one(raw.text),
    // A need may come by id (from other systems' links): the select shows codes.
    need: needs.find((n) => n.id === need.toLowerCase())?.code ?? need,
    postcode: one(raw.postcode),
    miles: one(raw.miles),
    age: one(raw.age),
    free: ['true', 'on', 'yes', '1'].includes(one(raw.free).toLowerCase()),
    delivery: many(raw.delivery),
    day: one(raw.day).toUpperCase(),
    language: one(raw.language),
  };
}

function agesText(minimumAge?: number | null, maximumAge?: number | null): string {
  const min = minimumAge ?? null;
  const max = maximumAge ?? null;
  if (min !== null && max !== null) return `${min} to ${max} years`;
  if (min !== null) return `${min} years and over`;
  if (max !== null) return `Up to ${max} years`;
  return 'All ages';
}

const money = (amount: number) => `£${amount.toFixed(2).replace(/\.00$/, '')}`;

function costLines(service: ServiceRecord): string[] {
  const lines = service.costOptions.map((c) =>
    [c.option, c.amount !== null && c.amount !== undefined ? money(Number(c.amount)) : null, c.amountDescription].filter(Boolean).join(': '),
  );
  if (service.freeOfCharge && !lines.length) return ['Free'];
  if (service.fees) lines.push(service.fees);
  if (service.freeOfCharge) lines.unshift('Free');
  return lines.length ? lines : ['Ask the service about costs'];
}

const telHref = (number: string) => `tel:${number.replace(/[^0-9+]/g, '')}`;

export function presentServicePage(detail: ServiceDetail) {
  const { service, organisation } = detail;
  return {
    service,
    organisation,
    needs: detail.needs,
    mayBeOutOfDate: detail.mayBeOutOfDate,
    nextOpening: detail.nextOpening,
    paragraphs: service.description.split(/\n\s*\n|\r?\n/).map((p) => p.trim()).filter(Boolean),
    ages: agesText(service.minimumAge, service.maximumAge),
    costs: costLines(service),
    delivery: service.deliveryModes.map((m) => deliveryModeNames[m]),
    languages: service.languages.map((l) => l.name).filter(Boolean), // a language from an ORUK feed may have no name
    phones: service.phones.map((p) => ({ ...p, href: telHref(p.number) })),
    contacts: service.contacts.map((c) => ({ ...c, phones: c.phones.map((p) => ({ ...p, href: telHref(p.number) })) })),
    locations: service.locations.map((l) => ({
      ...l,
      addressLines: [l.address1, l.address2, l.city, l.region ?? l.stateProvince, l.postalCode].filter(Boolean),
      opening: describeSchedules(l.schedules),
    })),
    opening: describeSchedules(service.schedules),
    areas: service.serviceAreas.map((a) => a.name ?? a.serviceArea).filter(Boolean),
  };
}

export function presentOrganisationPage(detail: OrganisationDetail) {
  const { organisation } = detail;
  return {
    organisation,
    kind: organisationKinds[organisation.kind] ?? organisation.kind,
    mergedInto: detail.mergedInto,
    identifiers: organisation.identifiers.map((i) => ({
      name: identifierSchemes[i.scheme] ?? i.type,
      orgId: `${i.scheme}-${i.identifier}`,
    })),
    services: detail.services,
  };
}

export function toApiResult(r: SearchResult) {
  return {
    ...r,
    nextOpening: r.nextOpening ? { text: r.nextOpening.text, at: r.nextOpening.at.toISOString(), openNow: r.nextOpening.openNow } : null,
    lastReviewedAt: r.lastReviewedAt.toISOString(),
  };
}

export function toApiService(detail: ServiceDetail) {
  const { service } = detail;
  return { ...service, organisationName: detail.organisation.name, lastModified: iso(service.lastModified), lastReviewedAt: iso(service.lastReviewedAt) };
}

export function toApiOrganisation(detail: OrganisationDetail) {
  const { organisation } = detail;
  return {
    ...organisation,
    lastReviewedAt: iso(organisation.lastReviewedAt),
    mergedIntoId: detail.mergedInto?.id ?? null,
    identifiers: organisation.identifiers.map((i) => ({ ...i, orgId: `${i.scheme}-${i.identifier}` })),
    services: detail.services.map((s) => ({ id: s.id, name: s.name, status: s.status })),
  };
}
