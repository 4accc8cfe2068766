import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Actor } from '../../../platform/actor.ts';
import { actorOf, signedIn } from '../../../platform/http/access.ts';
import type { AppContext } from '../../../platform/http/app.ts';
import { formBody, submitForm, type FieldError } from '../../../platform/http/forms.ts';
import { penceToInput } from '../../../platform/money.ts';
import { dateToParts } from '../../../platform/dates.ts';
import { safeReturnPath } from '../../identity/index.ts';
import { deliveryModeNames, serviceStatuses, type ScheduleRecord, type ServiceRecord } from '../directory.types.ts';
import { needs } from '../needs-taxonomy.ts';
import { weekdayCodes, weekdayNames } from '../search/opening-times.ts';
import { registerDuplicateRoutes } from './duplicates.routes.ts';
import { conflictText, formErrorsAnchor, inFieldOrder } from './edit-forms.ts';
import { registerListingsApi } from './listings.api.ts';
import { DoneQuery, IdParams, LocationForm, LocationParams, NewServiceQuery, NewTimesQuery, ReviewedForm, ScheduleParams, ServiceForm, TimesForm, type LocationInput } from './listings.schemas.ts';
import {
  createService,
  locationOf,
  markServiceReviewed,
  organisationToAddTo,
  removeLocation,
  removeTimes,
  saveLocation,
  saveTimes,
  serviceForEditing,
  statusNames,
  timesOf,
  updateService,
} from './listings.service.ts';
import { describeLocation, describeTimes, fromSchedule, toSchedule, weekOfMonthNames, weeksOfMonth, type TimesInput } from './opening-times-text.ts';
import { noteDisagreesWithTimes, notesDisagreeingWithTimes } from './times-in-notes.ts';
import { registerOrganisationRoutes } from './organisations.routes.ts';
import { registerReviewRoutes } from './review.routes.ts';

/* Pages for editing a service, its locations and its opening times. */

const serviceFieldOrder = [
  'name', 'description', 'status', 'reopeningDate-day', 'eligibilityDescription', 'minimumAge', 'maximumAge', 'freeOfCharge',
  'costOption', 'costAmount', 'costDescription', 'deliveryModes', 'languages', 'email', 'url', 'contactName', 'contactPhone', 'needs',
];
const locationFieldOrder = ['name', 'addressLine1', 'addressLine2', 'town', 'postcode', 'accessibility'];
const timesFieldOrder = ['frequency', 'days', 'week', 'weekday', 'opensAt', 'closesAt', 'description'];

/** A rule about the reopening date points at its first box; one about the whole form at the callout above it. */
const serviceFormAnchor = (field: string) => (field === 'reopeningDate' ? 'reopeningDate-day' : formErrorsAnchor(field));

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
  const reopening = dateToParts(s.reopeningDate);
  const cost = s.costOptions[0];
  const contact = s.contacts[0];
  return {
    name: s.name,
    description: s.description,
    status: s.status,
    'reopeningDate-day': reopening.day,
    'reopeningDate-month': reopening.month,
    'reopeningDate-year': reopening.year,
    eligibilityDescription: s.eligibilityDescription,
    minimumAge: s.minimumAge ?? '',
    maximumAge: s.maximumAge ?? '',
    freeOfCharge: s.freeOfCharge ? 'yes' : 'no',
    costOption: cost?.option,
    costAmount: cost?.amount != null ? penceToInput(Math.round(Number(cost.amount) * 100)) : '',
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
function typed(input: Record<string, unknown>, lists: string[]): Record<string, unknown> {
  const values: Record<string, unknown> = { ...input };
  for (const key of lists) values[key] = input[key] === undefined ? [] : Array.isArray(input[key]) ? input[key] : [input[key]];
  return values;
}

/** Messages on the places-and-times page after a redirect, chosen by a fixed key so no text from the address is shown. */
const locationsMessages: Record<string, string> = {
  created: 'Service added. Now add where and when it runs.',
  location: 'The location has been saved.',
  removed: 'The location has been removed from this service.',
  times: 'The opening times have been saved.',
  timesNoteDisagrees: 'The opening times have been saved, but their note names other days or times. The times are what people see: change or remove the note.',
  timesRemoved: 'The opening times have been removed.',
};

export function registerListingsRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;
  const pages = app.withTypeProvider<ZodTypeProvider>();

  registerOrganisationRoutes(app, context);
  registerReviewRoutes(app, context);
  registerDuplicateRoutes(app, context);
  registerListingsApi(app, context);

  /**
   * The form again after a refusal: on a conflict (409), with what happened and the newer version,
   * so saving again replaces the other person's changes knowingly.
   */
  async function afterRefusal(reply: FastifyReply, actor: Actor, serviceId: string): Promise<{ conflict?: string; version?: string }> {
    if (reply.statusCode !== 409) return {};
    return { conflict: conflictText('service'), version: (await serviceForEditing(db, actor, serviceId)).version };
  }

  // ---------- The service's details ----------

  const newServicePage = (organisation: { id: string; name: string }, values: Record<string, unknown>, errors?: FieldError[]) => ({
    title: `Add a service for ${organisation.name}`,
    organisationName: organisation.name,
    action: `/directory/services/new?organisation=${organisation.id}`,
    values,
    errors: errors && inFieldOrder(errors, serviceFieldOrder),
    options: serviceOptions,
    backHref: '/directory/listings',
  });

  pages.get('/directory/services/new', { preHandler: signedIn, schema: { hide: true, querystring: NewServiceQuery } }, async (request, reply) => {
    const organisation = await organisationToAddTo(db, actorOf(request), request.query.organisation);
    return reply.page('directory/service-form.njk', newServicePage(organisation, { status: 'active', freeOfCharge: 'yes', deliveryModes: [], needs: [] }));
  });

  pages.post('/directory/services/new', { preHandler: signedIn, schema: { hide: true, querystring: NewServiceQuery } }, async (request, reply) => {
    const actor = actorOf(request);
    const organisation = await organisationToAddTo(db, actor, request.query.organisation);
    const input = formBody(request);
    return submitForm(reply, {
      schema: ServiceForm,
      input,
      save: (form) => createService(db, actor, organisation.id, form.input),
      redisplay: (errors) => reply.page('directory/service-form.njk', newServicePage(organisation, typed(input, ['deliveryModes', 'needs']), errors)),
      done: ({ id }) => ({ redirect: `/directory/services/${id}/locations?done=created` }),
      anchor: serviceFormAnchor,
    });
  });

  const editServicePage = (editing: { service: ServiceRecord; organisationName: string }, values: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    title: `Edit ${editing.service.name}`,
    service: editing.service,
    organisationName: editing.organisationName,
    action: `/directory/services/${editing.service.id}/edit`,
    values,
    options: serviceOptions,
    backHref: '/directory/listings',
    ...extra,
  });

  pages.get('/directory/services/:id/edit', { preHandler: signedIn, schema: { hide: true, params: IdParams } }, async (request, reply) => {
    const editing = await serviceForEditing(db, actorOf(request), request.params.id);
    return reply.page('directory/service-form.njk', editServicePage(editing, serviceFormValues(editing.service, editing.version)));
  });

  pages.post('/directory/services/:id/edit', { preHandler: signedIn, schema: { hide: true, params: IdParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const { id } = request.params;
    const editing = await serviceForEditing(db, actor, id);
    const input = formBody(request);
    return submitForm(reply, {
      schema: ServiceForm,
      input,
      save: (form) => updateService(db, actor, id, form.version, form.input),
      redisplay: async (errors) => {
        const { conflict, version } = await afterRefusal(reply, actor, id);
        const values = { ...typed(input, ['deliveryModes', 'needs']), ...(version ? { version } : {}) };
        return reply.page('directory/service-form.njk', editServicePage(editing, values, { errors: inFieldOrder(errors, serviceFieldOrder), conflict }));
      },
      done: () => ({ redirect: `/directory/services/${id}/edit`, flash: 'Your changes have been saved.' }),
      anchor: serviceFormAnchor,
    });
  });

  // "Still correct": one button, on the listings and the edit page; back where it was pressed.
  pages.post('/directory/services/:id/reviewed', { preHandler: signedIn, schema: { hide: true, params: IdParams } }, async (request, reply) => {
    await markServiceReviewed(db, actorOf(request), request.params.id);
    const form = ReviewedForm.safeParse(formBody(request));
    const back = safeReturnPath(form.success ? form.data.returnTo : undefined);
    return reply.redirect(`${back}${back.includes('?') ? '&' : '?'}done=reviewed`, 303);
  });

  // ---------- Locations and times ----------

  pages.get('/directory/services/:id/locations', { preHandler: signedIn, schema: { hide: true, params: IdParams, querystring: DoneQuery } }, async (request, reply) => {
    const { id } = request.params;
    const { service, organisationName } = await serviceForEditing(db, actorOf(request), id);
    return reply.page('directory/locations.njk', {
      title: `Where and when: ${service.name}`,
      service,
      organisationName,
      locations: service.locations.map((l) => ({ ...l, address: describeLocation({ ...l, name: null }), times: l.schedules.map((s) => ({ id: s.id, text: describeTimes(s) })) })),
      serviceTimes: service.schedules.map((s) => ({ id: s.id, text: describeTimes(s) })),
      noteWarnings: notesDisagreeingWithTimes([...service.schedules, ...service.locations.flatMap((l) => l.schedules)]),
      flash: request.query.done ? locationsMessages[request.query.done] : undefined,
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

  /** The service and (when editing one) its location; 404 for a location it does not have. */
  async function locationPage(actor: Actor, id: string, locationId: string | null) {
    const editing = await serviceForEditing(db, actor, id);
    const location = locationId ? locationOf(editing.service, locationId) : undefined;
    const page = (values: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
      title: location ? `Change ${location.name ?? 'location'}` : 'Add a location',
      service: editing.service,
      values,
      backHref: `/directory/services/${id}/locations`,
      ...extra,
    });
    return { ...editing, location, page };
  }

  const showLocationForm = async (actor: Actor, reply: FastifyReply, id: string, locationId: string | null) => {
    const { version, location, page } = await locationPage(actor, id, locationId);
    return reply.page('directory/location-form.njk', page({ ...(location ? locationValues(location) : {}), version }));
  };

  const saveLocationForm = async (actor: Actor, input: Record<string, unknown>, reply: FastifyReply, id: string, locationId: string | null) => {
    const { page } = await locationPage(actor, id, locationId);
    return submitForm(reply, {
      schema: LocationForm,
      input,
      save: ({ version, ...location }) => saveLocation(db, actor, id, locationId, version, location as LocationInput),
      redisplay: async (errors) => {
        const { conflict, version } = await afterRefusal(reply, actor, id);
        return reply.page('directory/location-form.njk', page({ ...input, ...(version ? { version } : {}) }, { errors: inFieldOrder(errors, locationFieldOrder), conflict }));
      },
      done: () => ({ redirect: `/directory/services/${id}/locations?done=location` }),
      anchor: formErrorsAnchor,
    });
  };

  pages.get('/directory/services/:id/locations/new', { preHandler: signedIn, schema: { hide: true, params: IdParams } }, (request, reply) =>
    showLocationForm(actorOf(request), reply, request.params.id, null),
  );
  pages.post('/directory/services/:id/locations/new', { preHandler: signedIn, schema: { hide: true, params: IdParams } }, (request, reply) =>
    saveLocationForm(actorOf(request), formBody(request), reply, request.params.id, null),
  );
  pages.get('/directory/services/:id/locations/:locationId/edit', { preHandler: signedIn, schema: { hide: true, params: LocationParams } }, (request, reply) =>
    showLocationForm(actorOf(request), reply, request.params.id, request.params.locationId),
  );
  pages.post('/directory/services/:id/locations/:locationId/edit', { preHandler: signedIn, schema: { hide: true, params: LocationParams } }, (request, reply) =>
    saveLocationForm(actorOf(request), formBody(request), reply, request.params.id, request.params.locationId),
  );

  pages.get('/directory/services/:id/locations/:locationId/remove', { preHandler: signedIn, schema: { hide: true, params: LocationParams } }, async (request, reply) => {
    const { id, locationId } = request.params;
    const { service, location } = await locationPage(actorOf(request), id, locationId);
    return reply.page('directory/confirm-remove.njk', {
      title: `Remove ${location!.name ?? 'this location'} from ${service.name}?`,
      what: describeLocation(location!),
      detail: 'Its opening times at this place are removed too. The place stays available to other services that use it.',
      action: `/directory/services/${id}/locations/${locationId}/remove`,
      buttonText: 'Remove location',
      backHref: `/directory/services/${id}/locations`,
    });
  });

  // A one-button confirmation: nothing to show again, so a refusal is the error page.
  pages.post('/directory/services/:id/locations/:locationId/remove', { preHandler: signedIn, schema: { hide: true, params: LocationParams } }, async (request, reply) => {
    const { id, locationId } = request.params;
    await removeLocation(db, actorOf(request), id, locationId, undefined);
    return reply.redirect(`/directory/services/${id}/locations?done=removed`, 303);
  });

  /** Where times go: an existing set of times (scheduleId), ?location=ID, or the service itself. */
  async function timesPage(actor: Actor, id: string, where: { scheduleId: string } | { locationId: string | undefined }) {
    const editing = await serviceForEditing(db, actor, id);
    let target: { scheduleId: string } | { locationId: string | null };
    let schedule: ScheduleRecord | undefined;
    let placeName: string | null = null;
    if ('scheduleId' in where) {
      const found = timesOf(editing.service, where.scheduleId);
      schedule = found.schedule;
      placeName = editing.service.locations.find((l) => l.id === found.locationId)?.name ?? null;
      target = { scheduleId: where.scheduleId };
    } else {
      const location = where.locationId ? locationOf(editing.service, where.locationId) : undefined;
      placeName = location?.name ?? null;
      target = { locationId: location?.id ?? null };
    }
    const page = (values: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
      title: `${schedule ? 'Change' : 'Add'} opening times${placeName ? ` at ${placeName}` : ''}`,
      service: editing.service,
      values,
      options: timesOptions,
      backHref: `/directory/services/${id}/locations`,
      ...extra,
    });
    return { ...editing, target, schedule, placeName, page };
  }

  const showTimesForm = async (actor: Actor, reply: FastifyReply, id: string, where: Parameters<typeof timesPage>[2]) => {
    const { version, schedule, page } = await timesPage(actor, id, where);
    return reply.page('directory/times-form.njk', page({ ...(schedule ? fromSchedule(schedule) : { frequency: 'weekly', days: [] }), version }));
  };

  const saveTimesForm = async (actor: Actor, input: Record<string, unknown>, reply: FastifyReply, id: string, where: Parameters<typeof timesPage>[2]) => {
    const { target, page } = await timesPage(actor, id, where);
    let noteDisagrees = false;
    return submitForm(reply, {
      schema: TimesForm,
      input,
      save: (f) => {
        const times: TimesInput =
          f.frequency === 'weekly'
            ? { frequency: 'weekly', days: f.days, opensAt: f.opensAt, closesAt: f.closesAt, description: f.description }
            : { frequency: 'monthly', week: f.week!, weekday: f.weekday!, opensAt: f.opensAt, closesAt: f.closesAt, description: f.description };
        noteDisagrees = noteDisagreesWithTimes(times.description, toSchedule('new', times));
        return saveTimes(db, actor, id, target, f.version, times);
      },
      redisplay: async (errors) => {
        const { conflict, version } = await afterRefusal(reply, actor, id);
        return reply.page('directory/times-form.njk', page({ ...typed(input, ['days']), ...(version ? { version } : {}) }, { errors: inFieldOrder(errors, timesFieldOrder), conflict }));
      },
      done: () => ({ redirect: `/directory/services/${id}/locations?done=${noteDisagrees ? 'timesNoteDisagrees' : 'times'}` }),
      anchor: formErrorsAnchor,
    });
  };

  pages.get('/directory/services/:id/times/new', { preHandler: signedIn, schema: { hide: true, params: IdParams, querystring: NewTimesQuery } }, (request, reply) =>
    showTimesForm(actorOf(request), reply, request.params.id, { locationId: request.query.location }),
  );
  pages.post('/directory/services/:id/times/new', { preHandler: signedIn, schema: { hide: true, params: IdParams, querystring: NewTimesQuery } }, (request, reply) =>
    saveTimesForm(actorOf(request), formBody(request), reply, request.params.id, { locationId: request.query.location }),
  );
  pages.get('/directory/services/:id/times/:scheduleId/edit', { preHandler: signedIn, schema: { hide: true, params: ScheduleParams } }, (request, reply) =>
    showTimesForm(actorOf(request), reply, request.params.id, { scheduleId: request.params.scheduleId }),
  );
  pages.post('/directory/services/:id/times/:scheduleId/edit', { preHandler: signedIn, schema: { hide: true, params: ScheduleParams } }, (request, reply) =>
    saveTimesForm(actorOf(request), formBody(request), reply, request.params.id, { scheduleId: request.params.scheduleId }),
  );

  pages.get('/directory/services/:id/times/:scheduleId/remove', { preHandler: signedIn, schema: { hide: true, params: ScheduleParams } }, async (request, reply) => {
    const { id, scheduleId } = request.params;
    const { service, schedule, placeName } = await timesPage(actorOf(request), id, { scheduleId });
    return reply.page('directory/confirm-remove.njk', {
      title: `Remove these opening times from ${service.name}?`,
      what: `${describeTimes(schedule!)}${placeName ? ` at ${placeName}` : ''}`,
      action: `/directory/services/${id}/times/${scheduleId}/remove`,
      buttonText: 'Remove opening times',
      backHref: `/directory/services/${id}/locations`,
    });
  });

  // A one-button confirmation: nothing to show again, so a refusal is the error page.
  pages.post('/directory/services/:id/times/:scheduleId/remove', { preHandler: signedIn, schema: { hide: true, params: ScheduleParams } }, async (request, reply) => {
    const { id, scheduleId } = request.params;
    await removeTimes(db, actorOf(request), id, scheduleId, undefined);
    return reply.redirect(`/directory/services/${id}/locations?done=timesRemoved`, 303);
  });
}
