import crypto from 'node:crypto';
import { changedFields, recordAudit } from '../../../platform/audit.ts';
import type { Database, Queryable } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/actor.ts';
import { isUuid } from '../../../platform/ids.ts';
import { formatPence } from '../../../platform/money.ts';
import { refuse, staleVersion } from '../../../platform/refusal.ts';
import { loadOrganisationRecords, loadServiceFields, loadServiceRecords, saveServiceRecords, type ServiceFields } from '../directory.repository.ts';
import { canEditOrganisation } from '../directory.policy.ts';
import { deliveryModeNames, type LocationRecord, type ScheduleRecord, type ServiceRecord } from '../directory.types.ts';
import { needs } from '../needs-taxonomy.ts';
import { serviceRuleErrors, timesRuleErrors, type RuleBreach } from './listing-rules.ts';
import type { LocationInput, ServiceInput } from './listings.schemas.ts';
import * as repo from './listings.repository.ts';
import { describeLocation, describeTimes, toSchedule, type TimesInput } from './opening-times-text.ts';

/*
 * Editing services, their locations and times. Every change loads the whole service, changes it,
 * and saves it with saveServiceRecords in one transaction that also checks the version the
 * editor started from (staleVersion when someone saved first), stamps last modified and last
 * reviewed, and writes the audit entry. A change that breaks rules is refused naming every field at fault.
 */

const needIds = new Set(needs.map((n) => n.id));
const needNames = new Map(needs.map((n) => [n.id, n.name]));
export const statusNames: Record<string, string> = {
  active: 'Running',
  'temporarily closed': 'Temporarily closed',
  inactive: 'Not running at the moment',
  defunct: 'Closed for good',
};

const mayNotChange = () => refuse.forbidden('Only editors of this organisation and partnership admins can change this service.');

/** A service in readable words, field by field: what history pages show changing. */
function serviceSummary(s: ServiceRecord): Record<string, string | number | null> {
  const cost = s.costOptions[0];
  const contact = s.contacts[0];
  const times = [
    ...s.schedules.map((x) => describeTimes(x)),
    ...s.locations.flatMap((l) => l.schedules.map((x) => `${describeTimes(x)} at ${l.name ?? describeLocation(l)}`)),
  ];
  return {
    name: s.name,
    description: s.description,
    status: statusNames[s.status] ?? s.status,
    reopeningDate: s.reopeningDate ?? null,
    eligibilityDescription: s.eligibilityDescription ?? null,
    minimumAge: s.minimumAge ?? null,
    maximumAge: s.maximumAge ?? null,
    cost: s.freeOfCharge
      ? 'Free'
      : [cost?.amount != null ? formatPence(Math.round(cost.amount * 100)) : null, cost?.option, cost?.amountDescription].filter(Boolean).join(', ') || 'There is a cost',
    deliveryModes: s.deliveryModes.map((m) => deliveryModeNames[m]).join(', ') || null,
    languages: s.languages.map((l) => l.name).join(', ') || null,
    email: s.email ?? null,
    url: s.url ?? null,
    contact: contact ? [contact.name, ...contact.phones.map((p) => p.number)].filter(Boolean).join(', ') : null,
    needs: s.taxonomyTermIds.map((t) => needNames.get(t)).filter(Boolean).sort().join(', ') || null,
    locations: s.locations.map((l) => describeLocation(l) + (l.accessibility ? ` (accessibility: ${l.accessibility})` : '')).join('; ') || null,
    times: times.join('; ') || null,
  };
}

/** Puts a form's or API call's fields onto a service record, keeping ids of parts that stay. */
function applyServiceInput(record: ServiceRecord, input: ServiceInput): void {
  record.name = input.name;
  record.description = input.description;
  record.status = input.status;
  record.reopeningDate = input.status === 'temporarily closed' ? input.reopeningDate : null;
  record.eligibilityDescription = input.eligibilityDescription;
  record.minimumAge = input.minimumAge;
  record.maximumAge = input.maximumAge;
  record.freeOfCharge = input.freeOfCharge;
  const cost = record.costOptions[0];
  record.costOptions = input.cost
    ? [{ ...cost, id: cost?.id ?? crypto.randomUUID(), option: input.cost.option, amount: input.cost.amountPence == null ? null : input.cost.amountPence / 100, amountDescription: input.cost.description }]
    : [];
  record.deliveryModes = [...input.deliveryModes];
  const languages = new Map(record.languages.map((l) => [l.name.toLowerCase(), l]));
  record.languages = [...new Set(input.languages)].map((name) => languages.get(name.toLowerCase()) ?? { id: crypto.randomUUID(), name, code: null });
  record.email = input.email;
  record.url = input.url;
  const contact = record.contacts[0];
  if (input.contact) {
    const phone = contact?.phones[0];
    const phones = input.contact.phone ? [{ id: phone?.id ?? crypto.randomUUID(), number: input.contact.phone, description: phone?.description ?? null }, ...(contact?.phones.slice(1) ?? [])] : (contact?.phones.slice(1) ?? []);
    record.contacts = [{ id: contact?.id ?? crypto.randomUUID(), title: contact?.title ?? null, email: contact?.email ?? null, name: input.contact.name, phones }, ...record.contacts.slice(1)];
  } else {
    record.contacts = record.contacts.slice(1);
  }
  // Terms from other taxonomies (imported ones) stay; the needs are as ticked.
  record.taxonomyTermIds = [...record.taxonomyTermIds.filter((t) => !needIds.has(t)), ...input.needs];
}

/** The service with its version, for an edit page; 404 or 403 as it should be. */
export async function serviceForEditing(db: Queryable, actor: Actor, id: string): Promise<{ service: ServiceRecord; version: string; organisationName: string }> {
  if (!isUuid(id)) throw refuse.notFound('Service');
  const [service] = await loadServiceRecords(db, [id]);
  if (!service) throw refuse.notFound('Service');
  if (!canEditOrganisation(actor, service.organisationId)) throw mayNotChange();
  const [organisation] = await loadOrganisationRecords(db, [service.organisationId]);
  return { service, version: (await repo.serviceVersion(db, id))!, organisationName: organisation?.name ?? '' };
}

/** A service's own fields as saved, with its version: what the API answers after a change. */
export async function savedService(db: Queryable, actor: Actor, id: string): Promise<{ service: ServiceFields; version: string }> {
  const [service] = await loadServiceFields(db, [id]);
  if (!service) throw refuse.notFound('Service');
  if (!canEditOrganisation(actor, service.organisationId)) throw mayNotChange();
  return { service, version: (await repo.serviceVersion(db, id))! };
}

type Change = (record: ServiceRecord, tx: Queryable) => Promise<RuleBreach[] | void> | RuleBreach[] | void;

/**
 * Load → change → save, with the version check, stamps and audit, in one transaction. The version
 * is the one the editor read (absent: no check, for one-click removals); the service's row is
 * locked while it is compared, and saving moves it on.
 */
async function changeService(db: Database, actor: Actor, id: string, version: string | undefined, change: Change): Promise<{ id: string }> {
  if (!isUuid(id)) throw refuse.notFound('Service');
  return db.transaction(async (tx) => {
    const current = await repo.lockService(tx, id);
    if (!current) throw refuse.notFound('Service');
    if (!canEditOrganisation(actor, current.organisationId)) throw mayNotChange();
    if (version && version !== current.version) throw staleVersion('service');
    const [before] = await loadServiceRecords(tx, [id]);
    const after = structuredClone(before);
    const errors = await change(after, tx);
    if (errors?.length) throw refuse.invalidFields(errors);
    const now = new Date();
    after.lastModified = now;
    after.lastReviewedAt = now;
    await saveServiceRecords(tx, [after]);
    await recordAudit(tx, { actor, action: 'updated', recordType: 'service', recordId: id, details: { changes: changedFields(serviceSummary(before), serviceSummary(after)) } });
    return { id };
  });
}

export type ExtraParts = { locations?: (LocationInput & { id?: string; times: TimesInput[] })[]; times?: TimesInput[] };

/** Checks rules and looks up postcodes; errors are named as the API's fields. */
async function applyParts(tx: Queryable, record: ServiceRecord, parts: ExtraParts): Promise<RuleBreach[]> {
  const errors: RuleBreach[] = [];
  if (parts.times) {
    parts.times.forEach((t, i) => errors.push(...timesRuleErrors(t).map((e) => ({ ...e, field: `times.${i}.${e.field}` }))));
    record.schedules = parts.times.map((t, i) => toSchedule(record.schedules[i]?.id ?? crypto.randomUUID(), t));
  }
  if (parts.locations) {
    const existing = new Map(record.locations.map((l) => [l.id, l]));
    const locations: LocationRecord[] = [];
    for (const [i, l] of parts.locations.entries()) {
      const place = await placeFor(tx, l.postcode);
      if (!place) errors.push({ field: `locations.${i}.postcode`, message: 'We could not find that postcode' });
      l.times.forEach((t, j) => errors.push(...timesRuleErrors(t).map((e) => ({ ...e, field: `locations.${i}.times.${j}.${e.field}` }))));
      const old = l.id ? existing.get(l.id) : undefined;
      locations.push({
        ...(old ?? { locationType: 'physical', country: 'GB' }),
        ...locationFields(l, place),
        id: old?.id ?? crypto.randomUUID(),
        serviceAtLocationId: old?.serviceAtLocationId ?? crypto.randomUUID(),
        schedules: l.times.map((t, j) => toSchedule(old?.schedules[j]?.id ?? crypto.randomUUID(), t)),
      } as LocationRecord);
    }
    record.locations = locations;
  }
  return errors;
}

async function placeFor(tx: Queryable, postcode: string) {
  return repo.findPostcode(tx, postcode);
}

function locationFields(l: LocationInput, place: { latitude: number; longitude: number } | undefined): Partial<LocationRecord> {
  return {
    name: l.name,
    address1: l.addressLine1,
    address2: l.addressLine2,
    city: l.town,
    postalCode: l.postcode,
    accessibility: l.accessibility,
    latitude: place?.latitude ?? null,
    longitude: place?.longitude ?? null,
  };
}

/** The organisation a new service is for, as the add-a-service page shows it; 404 or 403 as it should be. */
export async function organisationToAddTo(db: Queryable, actor: Actor, organisationId: string | undefined): Promise<{ id: string; name: string }> {
  if (!isUuid(organisationId)) throw refuse.notFound('Organisation');
  const organisation = await repo.organisationSummary(db, organisationId);
  if (!organisation || organisation.mergedIntoId) throw refuse.notFound('Organisation');
  if (!canEditOrganisation(actor, organisationId)) throw mayNotAdd();
  return { id: organisation.id, name: organisation.name };
}

const mayNotAdd = () => refuse.forbidden('Only editors of this organisation and partnership admins can add its services.');

export async function createService(db: Database, actor: Actor, organisationId: string | undefined, input: ServiceInput, parts: ExtraParts = {}): Promise<{ id: string }> {
  if (!isUuid(organisationId)) throw refuse.notFound('Organisation');
  return db.transaction(async (tx) => {
    const organisation = await repo.lockOrganisation(tx, organisationId);
    if (!organisation || organisation.mergedIntoId) throw refuse.notFound('Organisation');
    if (!canEditOrganisation(actor, organisationId)) throw mayNotAdd();
    const now = new Date();
    const record: ServiceRecord = {
      id: crypto.randomUUID(),
      organisationId,
      name: '',
      description: '',
      status: 'active',
      freeOfCharge: true,
      deliveryModes: [],
      languages: [],
      costOptions: [],
      contacts: [],
      phones: [],
      locations: [],
      schedules: [],
      serviceAreas: [],
      taxonomyTermIds: [],
      lastModified: now,
      lastReviewedAt: now,
    };
    applyServiceInput(record, input);
    const errors = [...serviceRuleErrors(input), ...(await applyParts(tx, record, parts))];
    if (errors.length) throw refuse.invalidFields(errors);
    await saveServiceRecords(tx, [record]);
    await recordAudit(tx, { actor, action: 'created', recordType: 'service', recordId: record.id, details: { changes: changedFields({}, serviceSummary(record)) } });
    return { id: record.id };
  });
}

export async function updateService(db: Database, actor: Actor, id: string, version: string | undefined, input: ServiceInput, parts: ExtraParts = {}): Promise<{ id: string }> {
  return changeService(db, actor, id, version, async (record, tx) => {
    const errors = serviceRuleErrors(input);
    applyServiceInput(record, input);
    return [...errors, ...(await applyParts(tx, record, parts))];
  });
}

/** Adds a location (locationId null) or changes one; the postcode places it on the map. */
export async function saveLocation(db: Database, actor: Actor, serviceId: string, locationId: string | null, version: string | undefined, input: LocationInput): Promise<{ id: string }> {
  return changeService(db, actor, serviceId, version, async (record, tx) => {
    const place = await placeFor(tx, input.postcode);
    if (!place) return [{ field: 'postcode', message: 'We could not find that postcode' }];
    if (locationId === null) {
      record.locations.push({ id: crypto.randomUUID(), serviceAtLocationId: crypto.randomUUID(), locationType: 'physical', country: 'GB', schedules: [], ...locationFields(input, place) });
      return;
    }
    const location = record.locations.find((l) => l.id === locationId);
    if (!location) throw refuse.notFound('Location');
    Object.assign(location, locationFields(input, place));
  });
}

export async function removeLocation(db: Database, actor: Actor, serviceId: string, locationId: string, version: string | undefined): Promise<{ id: string }> {
  return changeService(db, actor, serviceId, version, (record) => {
    if (!record.locations.some((l) => l.id === locationId)) throw refuse.notFound('Location');
    record.locations = record.locations.filter((l) => l.id !== locationId);
  });
}

/** Where a set of times belongs: a location of the service, or the service itself. */
function scheduleList(record: ServiceRecord, locationId: string | null): ScheduleRecord[] {
  if (locationId === null) return record.schedules;
  const location = record.locations.find((l) => l.id === locationId);
  if (!location) throw refuse.notFound('Location');
  return location.schedules;
}

/** A location of the service, for its pages; 404 when the service has no such location. */
export function locationOf(record: ServiceRecord, locationId: string): LocationRecord {
  const location = record.locations.find((l) => l.id === locationId);
  if (!location) throw refuse.notFound('Location');
  return location;
}

/** A set of the service's times and the location they are at, for its pages; 404 when it has no such times. */
export function timesOf(record: ServiceRecord, scheduleId: string): { schedule: ScheduleRecord; locationId: string | null } {
  const found = findTimes(record, scheduleId);
  if (!found) throw refuse.notFound('Opening times');
  return found;
}

function findTimes(record: ServiceRecord, scheduleId: string): { schedule: ScheduleRecord; locationId: string | null } | undefined {
  const own = record.schedules.find((s) => s.id === scheduleId);
  if (own) return { schedule: own, locationId: null };
  for (const l of record.locations) {
    const found = l.schedules.find((s) => s.id === scheduleId);
    if (found) return { schedule: found, locationId: l.id };
  }
  return undefined;
}

export async function saveTimes(
  db: Database,
  actor: Actor,
  serviceId: string,
  target: { scheduleId: string } | { locationId: string | null },
  version: string | undefined,
  times: TimesInput,
): Promise<{ id: string }> {
  return changeService(db, actor, serviceId, version, (record) => {
    const errors = timesRuleErrors(times);
    if (errors.length) return errors;
    if ('scheduleId' in target) {
      const found = findTimes(record, target.scheduleId);
      if (!found) throw refuse.notFound('Opening times');
      const list = scheduleList(record, found.locationId);
      list.splice(list.indexOf(found.schedule), 1, toSchedule(found.schedule.id, times));
    } else {
      scheduleList(record, target.locationId).push(toSchedule(crypto.randomUUID(), times));
    }
  });
}

export async function removeTimes(db: Database, actor: Actor, serviceId: string, scheduleId: string, version: string | undefined): Promise<{ id: string }> {
  return changeService(db, actor, serviceId, version, (record) => {
    const found = findTimes(record, scheduleId);
    if (!found) throw refuse.notFound('Opening times');
    const list = scheduleList(record, found.locationId);
    list.splice(list.indexOf(found.schedule), 1);
  });
}

/** "Still correct": the editor has checked the listing; it is reviewed as of now. */
export async function markServiceReviewed(db: Database, actor: Actor, id: string): Promise<{ lastReviewedAt: Date }> {
  if (!isUuid(id)) throw refuse.notFound('Service');
  return db.transaction(async (tx) => {
    const current = await repo.lockService(tx, id);
    if (!current) throw refuse.notFound('Service');
    if (!canEditOrganisation(actor, current.organisationId)) throw refuse.forbidden('Only editors of this organisation and partnership admins can review this service.');
    const lastReviewedAt = await repo.markServiceReviewed(tx, id);
    await recordAudit(tx, { actor, action: 'reviewed', recordType: 'service', recordId: id, details: {} });
    return { lastReviewedAt };
  });
}
