import type { Actor } from '../../../platform/actor.ts';
import type { Queryable } from '../../../platform/db/database.ts';
import { refuse } from '../../../platform/refusal.ts';
import { canEditOrganisation } from '../directory.policy.ts';
import { loadOrganisationRecords, loadServiceRecords } from '../directory.repository.ts';
import type { OrganisationRecord, ServiceRecord, ServiceStatus } from '../directory.types.ts';
import { nextOpening, type NextOpening } from './opening-times.ts';
import { isUuid } from '../../../platform/ids.ts';
import { DEFAULT_MILES, PAGE_SIZE, type SearchQuery } from './search.schemas.ts';
import { findNeedsByIds, findOrganisationMerge, listOrganisationServices, prepareSearch, searchServiceRows, typedWords, type SearchFilters } from './search.repository.ts';

const METRES_PER_MILE = 1609.344;

export type SearchResult = {
  id: string;
  name: string;
  organisationId: string;
  organisationName: string;
  shortDescription: string;
  distanceMiles: number | null;
  nextOpening: NextOpening | null;
  lastReviewedAt: Date;
  mayBeOutOfDate: boolean;
  status: ServiceStatus;
  reopeningDate: string | null;
  needs: { id: string; code: string; name: string }[];
};

export type SearchResults = { items: SearchResult[]; total: number; page: number; pageSize: number; pages: number; miles: number | null };

export type SearchOptions = { now?: Date; staleAfterMonths?: number };

/** The moment before which a review counts as old. */
function staleBefore(now: Date, staleAfterMonths: number): Date {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - staleAfterMonths);
  return d;
}

/** First sentence, or the first 200 characters cut at a word. */
function shortDescription(description: string): string {
  const text = description.replace(/\s+/g, ' ').trim();
  const sentence = /^(.{20,200}?[.!?])(\s|$)/.exec(text);
  if (sentence) return sentence[1];
  if (text.length <= 200) return text;
  return `${text.slice(0, 200).replace(/\s+\S*$/, '')}…`;
}

/**
 * Public and staff search over services. An unknown postcode is the searcher's mistake to
 * correct: a refusal about the postcode field (422), shown on the form or named in the API's problem.
 */
export async function searchDirectory(db: Queryable, query: SearchQuery, options: SearchOptions = {}): Promise<SearchResults> {
  const now = options.now ?? new Date();
  const staleAfterMonths = options.staleAfterMonths ?? 6;
  const pageSize = PAGE_SIZE;
  const page = query.page ?? 1;
  const filters: SearchFilters = {
    text: query.text,
    needId: query.need,
    age: query.age,
    freeOnly: query.free === true,
    delivery: query.delivery,
    day: query.day,
    language: query.language,
    limit: pageSize,
    offset: (page - 1) * pageSize,
  };
  let miles: number | null = null;
  const words = query.text ? typedWords(query.text) : [];
  if (query.postcode || words.length) {
    const { origin, knownPostcode, respellings } = await prepareSearch(db, query.postcode ?? null, words);
    if (query.postcode && !origin) {
      throw refuse.invalid(
        'postcode',
        knownPostcode
          ? `We know the postcode ${query.postcode} but it has no map position, so we cannot sort services by distance from it. Try a nearby postcode, or leave it blank`
          : `We could not find the postcode ${query.postcode}. Check it and try again, or leave it blank`,
      );
    }
    if (origin) {
      miles = query.miles ?? DEFAULT_MILES;
      filters.origin = origin;
      filters.metres = miles * METRES_PER_MILE;
    }
    // A word not in any name may be a typo: look for it or its near spellings.
    if (Object.keys(respellings).length) filters.respelt = words.map((w) => `(${[w, ...(respellings[w] ?? [])].join(' | ')})`).join(' & ');
  }

  const rows = await searchServiceRows(db, filters);
  // Past the last page the window count has no row to ride on: ask for the total alone.
  const total = rows[0]?.total ?? (page > 1 ? ((await searchServiceRows(db, { ...filters, limit: 1, offset: 0 }))[0]?.total ?? 0) : 0);
  const cutoff = staleBefore(now, staleAfterMonths);
  const items = rows.map(
    (r): SearchResult => ({
      id: r.id,
      name: r.name,
      organisationId: r.organisationId,
      organisationName: r.organisationName,
      shortDescription: shortDescription(r.description),
      distanceMiles: r.metres === null ? null : Math.round((r.metres / METRES_PER_MILE) * 10) / 10,
      nextOpening: r.status === 'active' ? nextOpening(r.schedules, now) : null,
      lastReviewedAt: new Date(r.lastReviewedAt),
      mayBeOutOfDate: new Date(r.lastReviewedAt) < cutoff,
      status: r.status,
      reopeningDate: r.reopeningDate,
      needs: r.needs,
    }),
  );
  return { items, total, page, pageSize, pages: Math.max(1, Math.ceil(total / pageSize)), miles };
}

export type ServiceDetail = {
  service: ServiceRecord;
  organisation: OrganisationRecord;
  needs: { id: string; code: string; name: string }[];
  mayBeOutOfDate: boolean;
  nextOpening: NextOpening | null;
};

/** A whole service for its page or the API; null for an unknown or malformed id. */
export async function getServiceDetail(db: Queryable, id: string, options: SearchOptions = {}): Promise<ServiceDetail | null> {
  if (!isUuid(id)) return null;
  const [service] = await loadServiceRecords(db, [id]);
  if (!service) return null;
  const [[organisation], needs] = await Promise.all([loadOrganisationRecords(db, [service.organisationId]), findNeedsByIds(db, service.taxonomyTermIds)]);
  const now = options.now ?? new Date();
  const reviewed = service.lastReviewedAt ? new Date(service.lastReviewedAt) : null;
  return {
    service,
    organisation,
    needs,
    mayBeOutOfDate: !reviewed || reviewed < staleBefore(now, options.staleAfterMonths ?? 6),
    nextOpening: service.status === 'active' ? nextOpening([...service.schedules, ...service.locations.flatMap((l) => l.schedules)], now) : null,
  };
}

export type OrganisationDetail = {
  organisation: OrganisationRecord;
  mergedInto: { id: string; name: string } | null;
  services: { id: string; name: string; status: ServiceStatus; description: string }[];
};

/** An organisation with the services the public may see; null for an unknown or malformed id. */
export async function getOrganisationDetail(db: Queryable, id: string): Promise<OrganisationDetail | null> {
  if (!isUuid(id)) return null;
  const [organisation] = await loadOrganisationRecords(db, [id]);
  if (!organisation) return null;
  const [merge, services] = await Promise.all([findOrganisationMerge(db, id), listOrganisationServices(db, id)]);
  return {
    organisation,
    mergedInto: merge.mergedIntoId ? { id: merge.mergedIntoId, name: merge.mergedIntoName ?? 'another organisation' } : null,
    services,
  };
}

/** A service's public page: the service, and whether this person may edit it. */
export async function viewService(db: Queryable, actor: Actor | null, id: string, options: SearchOptions = {}): Promise<{ detail: ServiceDetail; canEdit: boolean }> {
  const detail = await findServiceDetail(db, id, options);
  return { detail, canEdit: canEditOrganisation(actor, detail.service.organisationId) };
}

/** An organisation's public page: the organisation, and whether this person may edit it. */
export async function viewOrganisation(db: Queryable, actor: Actor | null, id: string): Promise<{ detail: OrganisationDetail; canEdit: boolean }> {
  const detail = await findOrganisationDetail(db, id);
  return { detail, canEdit: canEditOrganisation(actor, detail.organisation.id) };
}

/** A whole service; refused as not found for an unknown or malformed id. */
export async function findServiceDetail(db: Queryable, id: string, options: SearchOptions = {}): Promise<ServiceDetail> {
  const detail = await getServiceDetail(db, id, options);
  if (!detail) throw refuse.notFound('Service');
  return detail;
}

/** An organisation with its public services; refused as not found for an unknown or malformed id. */
export async function findOrganisationDetail(db: Queryable, id: string): Promise<OrganisationDetail> {
  const detail = await getOrganisationDetail(db, id);
  if (!detail) throw refuse.notFound('Organisation');
  return detail;
}
