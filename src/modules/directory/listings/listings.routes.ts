import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../platform/http/app.ts';
import { forbidden, notFound } from '../../../platform/http/errors.ts';
import { validateForm, type FieldError } from '../../../platform/http/forms.ts';
import { isUuid } from '../../../platform/ids.ts';
import { safeReturnPath } from '../../identity/index.ts';
import { loadOrganisationRecords } from '../directory.repository.ts';
import { canEditOrganisation } from '../directory.policy.ts';
import { deliveryModeNames, serviceStatuses, type ServiceRecord } from '../directory.types.ts';
import { needs } from '../needs-taxonomy.ts';
import { registerListingsApi } from './listings.api.ts';
import { LocationForm, ServiceForm, TimesForm, type LocationInput } from './listings.schemas.ts';
import {
  CONFLICT_MESSAGE,
  createService,
  findTimes,
  markServiceReviewed,
  removeLocation,
  removeTimes,
  saveLocation,
  saveTimes,
  serviceForEditing,
  statusNames,
  updateService,
  type SaveResult,
} from './listings.service.ts';
import { weekdayCodes, weekdayNames } from '../search/opening-times.ts';
import { describeLocation, describeTimes, fromSchedule, weekOfMonthNames, weeksOfMonth, type TimesInput } from './opening-times-text.ts';
import { bodyOf, flashFrom, inFieldOrder, queryOf, signedIn } from './page-helpers.ts';
import { registerDuplicateRoutes } from './duplicates.routes.ts';
import { registerOrganisationRoutes } from './organisations.routes.ts';
import { registerReviewRoutes } from './review.routes.ts';

/* Pages for editing a service, its locations and its opening times. */

const serviceFieldOrder = [
  'name', 'description', 'status', 'reopeningDate-day', 'eligibilityDescription', 'minimumAge', 'maximumAge', 'freeOfCharge',
  'costOption', 'costAmount', 'costDescription', 'deliveryModes', 'languages', 'email', 'url', 'contactName', 'contactPhone', 'needs',
];
const locationFieldOrder = ['name', 'addressLine1', 'addressLine2', 'town', 'postcode', 'accessibility'];
const timesFieldOrder = ['frequency', 'days', 'week', 'weekday', 'opensAt', 'closesAt', 'description'];

/** The service form's options, the same on every render. */
const serviceOptions = {
  statuses: serviceStatuses.map((s) => ({ value: s, text: statusNames[s] })),
  deliveryModes: Object.entries(deliveryModeNames).map(([value, text]) => ({ value, text })),
  needs: needs.map((n) => ({ value: n.id, text: n.name, hint: { text: n.description } })),
};
const timesOptions = {
  weekdays: weekdayCodes.map((d) => ({ value: d, text: weekdayNames[d] })),
  weeks: weeksOfMonth.map((w) => ({ value: w, text: weekOfMonthNames[w] })),
};

/** A saved service as the form shows it. */
function serviceFormValues(s: ServiceRecord, version: string): Record<string, unknown> {
  const [year, month, day] = (s.reopeningDate ?? '').split('-');
  const cost = s.costOptions[0];
  const contact = s.contacts[0];
  return {
    name: s.name,
    description: s.description,
    status: s.status,
    'reopeningDate-day': day ? String(Number(day)) : '',
    'reopeningDate-month': month ? String(Number(month)) : '',
    'reopeningDate-year': year ?? '',
    eligibilityDescription: s.eligibilityDescription,
    minimumAge: s.minimumAge ?? '',
    maximumAge: s.maximumAge ?? '',
    freeOfCharge: s.freeOfCharge ? 'yes' : 'no',
    costOption: cost?.option,
    costAmount: cost?.amount != null ? Number(cost.amount).toFixed(2) : '',
    costDescription: cost?.amountDescription,
    deliveryModes: s.deliveryModes,
    languages: s.languages.map((l) => l.name).join(', '),
    email: s.email,
    url: s.url,
    contactName: contact?.name,
    contactPhone: contact?.phones[0]?.number,
    needs: s.taxonomyTermIds,
    version,
  };
}

/** What was typed, with checkbox groups as lists, to show the form again. */
function typed(body: Record<string, unknown>, lists: string[]): Record<string, unknown> {
  const values: Record<string, unknown> = { ...body };
  for (const key of lists) values[key] = body[key] === undefined ? [] : Array.isArray(body[key]) ? body[key] : [body[key]];
  delete values._csrf;
  return values;
}

const renameRuleField = (e: FieldError) => (e.field === 'reopeningDate' ? { ...e, field: 'reopeningDate-day' } : e);

export function registerListingsRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;
  const hide = { schema: { hide: true } };

  registerOrganisationRoutes(app, context);
  registerReviewRoutes(app, context);
  registerDuplicateRoutes(app, context);
  registerListingsApi(app, context);

  // ---------- The service's details ----------

  async function organisationToAddTo(actorOrgId: string | undefined) {
    if (!isUuid(actorOrgId)) throw notFound('Organisation');
    const [organisation] = await loadOrganisationRecords(db, [actorOrgId]);
    if (!organisation) throw notFound('Organisation');
    return organisation;
  }

  app.get('/directory/services/new', hide, async (request, reply) => {
    const actor = signedIn(request, reply);
    if (!actor) return reply;
    const organisation = await organisationToAddTo(queryOf(request).organisation);
    if (!canEditOrganisation(actor, organisation.id)) throw forbidden('Only editors of this organisation and partnership admins can add its services.');
    return reply.page('listings/service-form.njk', {
      title: `Add a service for ${organisation.name}`,
      organisationName: organisation.name,
      action: `/directory/services/new?organisation=${organisation.id}`,
      values: { status: 'active', freeOfCharge: 'yes', deliveryModes: [], needs: [] },
      options: serviceOptions,
      backHref: '/directory/listings',
    });
  });

  app.post('/directory/services/new', hide, async (request, reply) => {
    const actor = signedIn(request, reply);
    if (!actor) return reply;
    const organisation = await organisationToAddTo(queryOf(request).organisation);
    const body = bodyOf(request);
    const show = (status: number, errors: FieldError[]) =>
      reply.status(status).page('listings/service-form.njk', {
        title: `Add a service for ${organisation.name}`,
        organisationName: organisation.name,
        action: `/directory/services/new?organisation=${organisation.id}`,
        values: typed(body, ['deliveryModes', 'needs']),
        errors: inFieldOrder(errors, serviceFieldOrder),
        options: serviceOptions,
        backHref: '/directory/listings',
      });
    const form = validateForm(ServiceForm, body);
    if (!form.ok) return show(422, form.errors);
    const result = await createService(db, actor, organisation.id, form.data.input);
    if (!result.ok) return show(422, 'errors' in result ? result.errors.map(renameRuleField) : []);
    return reply.redirect(`/directory/services/${result.id}/locations?done=created`, 303);
  });

  const editFlash = { saved: 'Your changes have been saved.', reviewed: 'Marked as still correct.' };

  app.get('/directory/services/:id/edit', hide, async (request, reply) => {
    const actor = signedIn(request, reply);
    if (!actor) return reply;
    const { id } = request.params as { id: string };
    const { service, version, organisationName } = await serviceForEditing(db, actor, id);
    return reply.page('listings/service-form.njk', {
      title: `Edit ${service.name}`,
      service,
      organisationName,
      action: `/directory/services/${id}/edit`,
      values: serviceFormValues(service, version),
      options: serviceOptions,
      flash: flashFrom(queryOf(request), editFlash),
      backHref: '/directory/listings',
    });
  });

  app.post('/directory/services/:id/edit', hide, async (request, reply) => {
    const actor = signedIn(request, reply);
    if (!actor) return reply;
    const { id } = request.params as { id: string };
    const { service, organisationName } = await serviceForEditing(db, actor, id);
    const body = bodyOf(request);
    const show = (status: number, errors: FieldError[], extra: Record<string, unknown> = {}) =>
      reply.status(status).page('listings/service-form.njk', {
        title: `Edit ${service.name}`,
        service,
        organisationName,
        action: `/directory/services/${id}/edit`,
        values: { ...typed(body, ['deliveryModes', 'needs']), ...extra },
        errors: inFieldOrder(errors, serviceFieldOrder),
        options: serviceOptions,
        backHref: '/directory/listings',
      });
    const form = validateForm(ServiceForm, body);
    if (!form.ok) return show(422, form.errors);
    const result = await updateService(db, actor, id, form.data.version, form.data.input);
    if (!result.ok) return refusal(result, show);
    return reply.redirect(`/directory/services/${id}/edit?done=saved`, 303);
  });

  /** Errors redisplay the form; a conflict keeps what was typed and takes the newer version. */
  function refusal(result: Exclude<SaveResult, { ok: true }>, show: (status: number, errors: FieldError[], extra?: Record<string, unknown>) => unknown) {
    if ('conflict' in result) return show(409, [{ field: 'version', message: CONFLICT_MESSAGE }], { version: result.version });
    return show(422, result.errors.map(renameRuleField));
  }

  app.post('/directory/services/:id/reviewed', hide, async (request, reply) => {
    const actor = signedIn(request, reply);
    if (!actor) return reply;
    const { id } = request.params as { id: string };
    await markServiceReviewed(db, actor, id);
    const back = safeReturnPath(bodyOf(request).returnTo);
    return reply.redirect(`${back}${back.includes('?') ? '&' : '?'}done=reviewed`, 303);
  });

  // ---------- Locations and times ----------

  const locationsFlash = {
    created: 'Service added. Now add where and when it runs.',
    location: 'The location has been saved.',
    removed: 'The location has been removed from this service.',
    times: 'The opening times have been saved.',
    timesRemoved: 'The opening times have been removed.',
  };

  app.get('/directory/services/:id/locations', hide, async (request, reply) => {
    const actor = signedIn(request, reply);
    if (!actor) return reply;
    const { id } = request.params as { id: string };
    const { service, organisationName } = await serviceForEditing(db, actor, id);
    return reply.page('listings/locations.njk', {
      title: `Where and when: ${service.name}`,
      service,
      organisationName,
      locations: service.locations.map((l) => ({ ...l, address: describeLocation({ ...l, name: null }), times: l.schedules.map((s) => ({ id: s.id, text: describeTimes(s) })) })),
      serviceTimes: service.schedules.map((s) => ({ id: s.id, text: describeTimes(s) })),
      flash: flashFrom(queryOf(request), locationsFlash),
      backHref: `/directory/services/${id}/edit`,
    });
  });

  const locationValues = (l: ServiceRecord['locations'][number]) => ({
    name: l.name,
    addressLine1: l.address1,
    addressLine2: l.address2,
    town: l.city,
    postcode: l.postalCode,
    accessibility: l.accessibility,
  });

  async function locationPage(request: { params: unknown }, actor: NonNullable<ReturnType<typeof signedIn>>) {
    const { id, locationId } = request.params as { id: string; locationId?: string };
    const editing = await serviceForEditing(db, actor, id);
    const location = locationId ? editing.service.locations.find((l) => l.id === locationId) : undefined;
    if (locationId && !location) throw notFound('Location');
    return { id, locationId: locationId ?? null, ...editing, location };
  }

  for (const path of ['/directory/services/:id/locations/new', '/directory/services/:id/locations/:locationId/edit']) {
    app.get(path, hide, async (request, reply) => {
      const actor = signedIn(request, reply);
      if (!actor) return reply;
      const { id, service, version, location } = await locationPage(request, actor);
      return reply.page('listings/location-form.njk', {
        title: location ? `Change ${location.name ?? 'location'}` : 'Add a location',
        service,
        values: { ...(location ? locationValues(location) : {}), version },
        backHref: `/directory/services/${id}/locations`,
      });
    });

    app.post(path, hide, async (request, reply) => {
      const actor = signedIn(request, reply);
      if (!actor) return reply;
      const { id, locationId, service, location } = await locationPage(request, actor);
      const body = bodyOf(request);
      const show = (status: number, errors: FieldError[], extra: Record<string, unknown> = {}) =>
        reply.status(status).page('listings/location-form.njk', {
          title: location ? `Change ${location.name ?? 'location'}` : 'Add a location',
          service,
          values: { ...typed(body, []), ...extra },
          errors: inFieldOrder(errors, locationFieldOrder),
          backHref: `/directory/services/${id}/locations`,
        });
      const form = validateForm(LocationForm, body);
      if (!form.ok) return show(422, form.errors);
      const { version, ...input } = form.data;
      const result = await saveLocation(db, actor, id, locationId, version, input as LocationInput);
      if (!result.ok) return refusal(result, show);
      return reply.redirect(`/directory/services/${id}/locations?done=location`, 303);
    });
  }

  app.get('/directory/services/:id/locations/:locationId/remove', hide, async (request, reply) => {
    const actor = signedIn(request, reply);
    if (!actor) return reply;
    const { id, service, location } = await locationPage(request, actor);
    return reply.page('listings/confirm-remove.njk', {
      title: `Remove ${location!.name ?? 'this location'} from ${service.name}?`,
      what: describeLocation(location!),
      detail: 'Its opening times at this place are removed too. The place stays available to other services that use it.',
      action: `/directory/services/${id}/locations/${location!.id}/remove`,
      buttonText: 'Remove location',
      backHref: `/directory/services/${id}/locations`,
    });
  });

  app.post('/directory/services/:id/locations/:locationId/remove', hide, async (request, reply) => {
    const actor = signedIn(request, reply);
    if (!actor) return reply;
    const { id, locationId } = request.params as { id: string; locationId: string };
    await removeLocation(db, actor, id, locationId, undefined);
    return reply.redirect(`/directory/services/${id}/locations?done=removed`, 303);
  });

  /** Where new times go: ?location=ID, or the service itself. */
  async function timesPage(request: { params: unknown; query: unknown }, actor: NonNullable<ReturnType<typeof signedIn>>) {
    const { id, scheduleId } = request.params as { id: string; scheduleId?: string };
    const editing = await serviceForEditing(db, actor, id);
    if (scheduleId) {
      const found = findTimes(editing.service, scheduleId);
      if (!found) throw notFound('Opening times');
      const location = editing.service.locations.find((l) => l.id === found.locationId);
      return { id, ...editing, target: { scheduleId } as const, schedule: found.schedule, placeName: location?.name ?? null };
    }
    const locationId = (request.query as Record<string, string | undefined>).location;
    const location = locationId ? editing.service.locations.find((l) => l.id === locationId) : undefined;
    if (locationId && !location) throw notFound('Location');
    return { id, ...editing, target: { locationId: location?.id ?? null }, schedule: undefined, placeName: location?.name ?? null };
  }

  const timesTitle = (placeName: string | null, editing: boolean) => `${editing ? 'Change' : 'Add'} opening times${placeName ? ` at ${placeName}` : ''}`;

  for (const path of ['/directory/services/:id/times/new', '/directory/services/:id/times/:scheduleId/edit']) {
    app.get(path, hide, async (request, reply) => {
      const actor = signedIn(request, reply);
      if (!actor) return reply;
      const { id, service, version, schedule, placeName } = await timesPage(request, actor);
      return reply.page('listings/times-form.njk', {
        title: timesTitle(placeName, !!schedule),
        service,
        values: { ...(schedule ? fromSchedule(schedule) : { frequency: 'weekly', days: [] }), version },
        options: timesOptions,
        backHref: `/directory/services/${id}/locations`,
      });
    });

    app.post(path, hide, async (request, reply) => {
      const actor = signedIn(request, reply);
      if (!actor) return reply;
      const { id, service, target, schedule, placeName } = await timesPage(request, actor);
      const body = bodyOf(request);
      const show = (status: number, errors: FieldError[], extra: Record<string, unknown> = {}) =>
        reply.status(status).page('listings/times-form.njk', {
          title: timesTitle(placeName, !!schedule),
          service,
          values: { ...typed(body, ['days']), ...extra },
          errors: inFieldOrder(errors, timesFieldOrder),
          options: timesOptions,
          backHref: `/directory/services/${id}/locations`,
        });
      const form = validateForm(TimesForm, body);
      if (!form.ok) return show(422, form.errors);
      const f = form.data;
      const times: TimesInput =
        f.frequency === 'weekly'
          ? { frequency: 'weekly', days: f.days, opensAt: f.opensAt, closesAt: f.closesAt, description: f.description }
          : { frequency: 'monthly', week: f.week!, weekday: f.weekday!, opensAt: f.opensAt, closesAt: f.closesAt, description: f.description };
      const result = await saveTimes(db, actor, id, target, f.version, times);
      if (!result.ok) return refusal(result, show);
      return reply.redirect(`/directory/services/${id}/locations?done=times`, 303);
    });
  }

  app.get('/directory/services/:id/times/:scheduleId/remove', hide, async (request, reply) => {
    const actor = signedIn(request, reply);
    if (!actor) return reply;
    const { id, service, schedule, placeName } = await timesPage(request, actor);
    return reply.page('listings/confirm-remove.njk', {
      title: `Remove these opening times from ${service.name}?`,
      what: `${describeTimes(schedule!)}${placeName ? ` at ${placeName}` : ''}`,
      action: `/directory/services/${id}/times/${schedule!.id}/remove`,
      buttonText: 'Remove opening times',
      backHref: `/directory/services/${id}/locations`,
    });
  });

  app.post('/directory/services/:id/times/:scheduleId/remove', hide, async (request, reply) => {
    const actor = signedIn(request, reply);
    if (!actor) return reply;
    const { id, scheduleId } = request.params as { id: string; scheduleId: string };
    await removeTimes(db, actor, id, scheduleId, undefined);
    return reply.redirect(`/directory/services/${id}/locations?done=timesRemoved`, 303);
  });
}
