import type { Queryable } from '../../../platform/db/database.ts';
import { refuse } from '../../../platform/refusal.ts';
import { loadOrganisationRecords, loadServiceFields, loadServicesWithOrganisations } from '../directory.repository.ts';
import type { ServiceRecord } from '../directory.types.ts';
import { normalisePostcode } from '../postcodes/postcode.ts';
import {
  orukLocationSummary,
  orukOrganization,
  orukOrganizationSummary,
  orukService,
  orukServiceAtLocation,
  orukServiceFields,
  orukServiceSummary,
  orukTaxonomyTerm,
  serviceTermIds,
  compact,
  type Json,
  type OrukContext,
} from './oruk.mapper.ts';
import * as repo from './oruk.repository.ts';
import { CHARGE_TERM_ID, COST_TAXONOMY_ID, DELIVERY_TAXONOMY_ID, deliveryModeByTermId, FREE_TERM_ID } from './oruk-taxonomies.ts';
import { DEFAULT_PER_PAGE, type OrganizationsQuery, type ServiceAtLocationsQuery, type ServicesQuery, type TaxonomiesQuery, type TaxonomyTermsQuery } from './oruk.schemas.ts';
import { isUuid } from '../../../platform/ids.ts';

/** The Open Referral UK 3.0 profile this API follows, as the root endpoint declares it. */
const ORUK_VERSION = 'HSDS-UK-3.0';
const ORUK_PROFILE_URL = 'https://openreferraluk.org/specifications/3.0/';
const ORUK_OPENAPI_URL = 'https://openreferraluk.org/specifications/3.0/openapi.json';

export function apiDetails(): Json {
  return { version: ORUK_VERSION, profile: ORUK_PROFILE_URL, openapi_url: ORUK_OPENAPI_URL };
}

type PageRequest = { page?: number; per_page?: number };

function paging(q: PageRequest) {
  const perPage = q.per_page ?? DEFAULT_PER_PAGE;
  const page = q.page ?? 1;
  return { page, perPage, limit: perPage, offset: (page - 1) * perPage };
}

/** ORUK's page envelope; a page past the end is an empty page of the same envelope. */
function pageEnvelope(total: number, page: number, perPage: number, contents: unknown[]): Json {
  const totalPages = Math.ceil(total / perPage);
  return {
    total_items: total,
    total_pages: totalPages,
    page_number: page,
    size: contents.length,
    first_page: page === 1,
    last_page: page >= totalPages,
    empty: contents.length === 0,
    contents,
  };
}

/** Whole services with what ORUK shows of their organisations and terms: two queries for any number. */
export async function servicesInContext(db: Queryable, ids: string[]): Promise<{ services: ServiceRecord[]; context: OrukContext }> {
  const { services, organisations } = await loadServicesWithOrganisations(db, ids);
  return { services, context: { organisations, terms: await repo.loadTerms(db, services.flatMap(serviceTermIds)) } };
}

async function fullServices(db: Queryable, ids: string[]): Promise<Json[]> {
  const { services, context } = await servicesInContext(db, ids);
  return services.map((s) => orukService(s, context));
}

async function filterFrom(db: Queryable, q: ServiceAtLocationsQuery): Promise<repo.ServiceFilter> {
  const filter: repo.ServiceFilter = { search: q.search || null, organisationId: q.organization_id, modifiedAfter: q.modified_after };
  // Delivery method and cost are columns of a service, not attribute rows: filter on the columns.
  const term = q.taxonomy_term_id;
  if (term && deliveryModeByTermId.has(term)) filter.deliveryMode = deliveryModeByTermId.get(term);
  else if (term === FREE_TERM_ID || term === CHARGE_TERM_ID) filter.freeOfCharge = term === FREE_TERM_ID;
  else filter.termId = term;
  if (q.taxonomy_id === DELIVERY_TAXONOMY_ID) filter.hasDeliveryMode = true;
  else if (q.taxonomy_id !== COST_TAXONOMY_ID) filter.taxonomyId = q.taxonomy_id;
  if (q.postcode) {
    const postcode = normalisePostcode(q.postcode);
    if (!postcode) throw refuse.badParameter('querystring.postcode', 'postcode must be a UK postcode, like WY1 2AB');
    const centre = await repo.postcodeCentre(db, postcode);
    if (!centre) throw refuse.badParameter('querystring.postcode', `postcode ${postcode} is not one we know`);
    if (centre.latitude === null || centre.longitude === null) {
      throw refuse.badParameter('querystring.postcode', `postcode ${postcode} is one we know, but it has no map position, so services cannot be sorted or limited by distance from it`);
    }
    filter.near = { latitude: centre.latitude, longitude: centre.longitude, metres: q.proximity ?? null };
  }
  return filter;
}

export async function listServices(db: Queryable, q: ServicesQuery): Promise<Json> {
  const filter = await filterFrom(db, q);
  const { page, perPage, limit, offset } = paging(q);
  const { rows, total } = await repo.findServices(db, filter, { limit, offset });
  let contents: Json[];
  if (q.minimal) contents = rows.map(({ service: s }) => compact({ id: s.id, name: s.name, status: s.status, last_modified: orukServiceFields(s).last_modified }));
  else if (q.full_service || q.full) contents = await fullServices(db, rows.map((r) => r.service.id));
  else contents = rows.map((r) => orukServiceSummary(r.service, r.organisation));
  return pageEnvelope(total, page, perPage, contents);
}

/** Every matching service, fully nested, a chunk at a time (format=ndjson). */
export async function* streamServices(db: Queryable, q: ServicesQuery): AsyncGenerator<Json> {
  const filter = await filterFrom(db, q);
  const chunk = 250;
  for (let offset = 0; ; offset += chunk) {
    const { rows } = await repo.findServices(db, filter, { limit: chunk, offset });
    if (!rows.length) return;
    yield* await fullServices(db, rows.map((r) => r.service.id));
    if (rows.length < chunk) return;
  }
}

export async function getService(db: Queryable, id: string): Promise<Json> {
  const [service] = isUuid(id) ? await fullServices(db, [id]) : [];
  if (!service) throw refuse.notFound('Service');
  return service;
}

export async function listServiceAtLocations(db: Queryable, q: ServiceAtLocationsQuery): Promise<Json> {
  const filter = await filterFrom(db, q);
  const { page, perPage, limit, offset } = paging(q);
  const { rows, total } = await repo.findServiceAtLocations(db, filter, { limit, offset });
  let contents: Json[];
  if (q.full) {
    const loaded = await servicesInContext(db, [...new Set(rows.map((r) => r.service.id))]);
    const services = new Map(loaded.services.map((s) => [s.id, s]));
    const context = loaded.context;
    contents = rows.flatMap((r) => {
      const service = services.get(r.service.id);
      const location = service?.locations.find((l) => l.serviceAtLocationId === r.serviceAtLocationId);
      return service && location ? [orukServiceAtLocation(service, location, context)] : [];
    });
  } else {
    contents = rows.map((r) => ({
      id: r.serviceAtLocationId,
      service_id: r.service.id,
      location_id: r.location.id,
      location: orukLocationSummary({ ...r.location, serviceAtLocationId: r.serviceAtLocationId, schedules: [] }),
      service: orukServiceSummary(r.service, r.organisation),
    }));
  }
  return pageEnvelope(total, page, perPage, contents);
}

export async function getServiceAtLocation(db: Queryable, id: string): Promise<Json> {
  const serviceId = isUuid(id) ? await repo.findServiceIdBySalId(db, id) : null;
  if (!serviceId) throw refuse.notFound('Service at location');
  const { services: [service], context } = await servicesInContext(db, [serviceId]);
  const location = service?.locations.find((l) => l.serviceAtLocationId === id);
  if (!service || !location) throw refuse.notFound('Service at location');
  return orukServiceAtLocation(service, location, context);
}

async function organisationsWithServices(db: Queryable, ids: string[], options: { full: boolean; fullServices: boolean }): Promise<Json[]> {
  const organisations = await loadOrganisationRecords(db, ids);
  if (!options.full && !options.fullServices) return organisations.map(orukOrganizationSummary);
  const serviceIds = await repo.findServiceIdsOfOrganisations(db, ids);
  let services = new Map<string, Json>();
  if (options.fullServices) {
    const { services: records, context } = await servicesInContext(db, [...serviceIds.values()].flat());
    services = new Map(records.map((s) => [s.id, orukService(s, context, { organisation: false })]));
  } else {
    // The list shape needs a service's own fields only.
    const rows = await loadServiceFields(db, [...serviceIds.values()].flat());
    services = new Map(rows.map((s) => [s.id, orukServiceFields(s)]));
  }
  return organisations.map((o) =>
    orukOrganization(
      o,
      (serviceIds.get(o.id) ?? []).flatMap((id) => (services.has(id) ? [services.get(id)!] : [])),
    ),
  );
}

export async function listOrganisations(db: Queryable, q: OrganizationsQuery): Promise<Json> {
  const { page, perPage, limit, offset } = paging(q);
  const { ids, total } = await repo.findOrganisations(db, q.search || null, { limit, offset });
  const contents = await organisationsWithServices(db, ids, { full: !!q.full, fullServices: !!q.full_service });
  return pageEnvelope(total, page, perPage, contents);
}

export async function getOrganisation(db: Queryable, id: string, fullService: boolean): Promise<Json> {
  if (!isUuid(id) || !(await repo.isCurrentOrganisation(db, id))) throw refuse.notFound('Organization');
  const [organisation] = await organisationsWithServices(db, [id], { full: true, fullServices: fullService });
  if (!organisation) throw refuse.notFound('Organization');
  return organisation;
}

const orukTaxonomy = (t: repo.TaxonomyRow) => compact({ id: t.id, name: t.name, description: t.description ?? '', uri: t.uri, version: t.version }, ['description']);

export async function listTaxonomies(db: Queryable, q: TaxonomiesQuery): Promise<Json> {
  const { page, perPage, limit, offset } = paging(q);
  const { rows, total } = await repo.findTaxonomies(db, q.search || null, { limit, offset });
  return pageEnvelope(total, page, perPage, rows.map(orukTaxonomy));
}

export async function getTaxonomy(db: Queryable, id: string): Promise<Json> {
  const taxonomy = isUuid(id) ? await repo.findTaxonomy(db, id) : null;
  if (!taxonomy) throw refuse.notFound('Taxonomy');
  const terms = await repo.loadTermsOfTaxonomy(db, id);
  return compact({ ...orukTaxonomy(taxonomy), taxonomy_terms: terms.map(orukTaxonomyTerm) });
}

export async function listTerms(db: Queryable, q: TaxonomyTermsQuery): Promise<Json> {
  const { page, perPage, limit, offset } = paging(q);
  const { rows, total } = await repo.findTerms(db, { search: q.search || null, taxonomyId: q.taxonomy_id, parentId: q.parent_id, topOnly: q.top_only }, { limit, offset });
  return pageEnvelope(total, page, perPage, rows.map(orukTaxonomyTerm));
}

export async function getTerm(db: Queryable, id: string): Promise<Json> {
  const term = isUuid(id) ? (await repo.loadTerms(db, [id])).get(id) : undefined;
  if (!term) throw refuse.notFound('Taxonomy term');
  return orukTaxonomyTerm(term);
}
