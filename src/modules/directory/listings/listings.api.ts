import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, allow, signedIn } from '../../../platform/http/access.ts';
import type { AppContext } from '../../../platform/http/app.ts';
import { validateForm } from '../../../platform/http/forms.ts';
import type { Actor } from '../../../platform/actor.ts';
import { canCreateOrganisation } from '../directory.policy.ts';
import { needs } from '../needs-taxonomy.ts';
import { normalisePostcode } from '../postcodes/postcode.ts';
import type { RuleBreach } from './listing-rules.ts';
import { Refusal, refuse } from '../../../platform/refusal.ts';
import { IdParams, NewServiceJson, OrganisationForm, OrganisationJson, OrganisationOut, ServiceJson, ServiceOut, type ServiceInput, type ServiceJsonInput, type TimesJsonInput } from './listings.schemas.ts';
import { createService, markServiceReviewed, savedService, updateService, type ExtraParts } from './listings.service.ts';
import { createOrganisation, savedOrganisation, updateOrganisation, type SavedOrganisation } from './organisations.service.ts';
import type { TimesInput } from './opening-times-text.ts';

/* The JSON API for keeping listings current. Reading and searching live with the search API. */

const tags = ['Directory'];
const security = [{ apiToken: [] }];

/** A field of the API's body, by the name the form gives it. */
const apiName = (e: RuleBreach) => ({ field: `body.${e.field === 'costAmount' ? 'cost.amount' : e.field}`, message: e.message });

/** The service names fields as the form does; the API names them as its JSON body does. Other refusals pass through. */
async function everyField<T>(save: () => Promise<T>): Promise<T> {
  try {
    return await save();
  } catch (error) {
    if (error instanceof Refusal && error.kind === 'invalid') throw refuse.invalidFields(error.fields.map(apiName));
    throw error;
  }
}

const needByCode = new Map(needs.flatMap((n) => [[n.id, n.id], [n.code, n.id]]));
const toTimes = (t: TimesJsonInput): TimesInput => ({ ...t, description: t.description ?? null }) as TimesInput;

/** JSON body → the inputs the service takes; postcodes must be real-shaped before lookup (refused naming each field if not). */
function fromJson(body: ServiceJsonInput): { input: ServiceInput; parts: ExtraParts } {
  const errors: RuleBreach[] = [];
  const input: ServiceInput = {
    name: body.name,
    description: body.description,
    status: body.status,
    reopeningDate: body.reopeningDate ?? null,
    eligibilityDescription: body.eligibilityDescription ?? null,
    minimumAge: body.minimumAge ?? null,
    maximumAge: body.maximumAge ?? null,
    freeOfCharge: body.freeOfCharge,
    cost: body.cost ? { option: body.cost.option ?? null, amountPence: Math.round(body.cost.amount * 100), description: body.cost.description ?? null } : null,
    deliveryModes: body.deliveryModes,
    languages: body.languages,
    email: body.email ?? null,
    url: body.url ?? null,
    contact: body.contact && (body.contact.name || body.contact.phone) ? { name: body.contact.name ?? null, phone: body.contact.phone ?? null } : null,
    needs: body.needs.map((n) => needByCode.get(n) ?? n),
  };
  const parts: ExtraParts = {};
  if (body.times) parts.times = body.times.map(toTimes);
  if (body.locations) {
    parts.locations = body.locations.map((l, i) => {
      const postcode = normalisePostcode(l.postcode);
      if (!postcode) errors.push({ field: `locations.${i}.postcode`, message: 'Enter a real postcode' });
      return {
        id: l.id,
        name: l.name,
        addressLine1: l.addressLine1,
        addressLine2: l.addressLine2 ?? null,
        town: l.town,
        postcode: postcode ?? l.postcode,
        accessibility: l.accessibility ?? null,
        times: l.times.map(toTimes),
      };
    });
  }
  if (errors.length) throw refuse.invalidFields(errors);
  return { input, parts };
}

export function registerListingsApi(app: FastifyInstance, { db, config }: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  async function serviceOut(actor: Actor, id: string) {
    const { service: s, version } = await savedService(db, actor, id);
    const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v));
    return {
      id: s.id,
      organisationId: s.organisationId,
      name: s.name,
      status: s.status,
      lastModified: iso(s.lastModified),
      lastReviewedAt: iso(s.lastReviewedAt),
      version,
      href: `${config.publicUrl}/directory/services/${id}`,
    };
  }

  api.post(
    '/api/v1/services',
    { preHandler: signedIn, schema: { summary: 'Add a service', description: 'For editors of the organisation and partnership admins.', tags, security, body: NewServiceJson, response: { 201: ServiceOut } } },
    async (request, reply) => {
      const actor = actorOf(request);
      const { id } = await everyField(() => {
        const { input, parts } = fromJson(request.body);
        return createService(db, actor, request.body.organisationId, input, parts);
      });
      return reply.status(201).header('location', `/api/v1/services/${id}`).send(await serviceOut(actor, id));
    },
  );

  api.put(
    '/api/v1/services/:id',
    {
      preHandler: signedIn,
      schema: {
        summary: 'Replace a service’s details',
        description: 'Replaces every editable field. Send the version you read to refuse the change if someone else has saved since (409).',
        tags,
        security,
        params: IdParams,
        body: ServiceJson,
        response: { 200: ServiceOut },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { id } = await everyField(() => {
        const { input, parts } = fromJson(request.body);
        return updateService(db, actor, request.params.id, request.body.version, input, parts);
      });
      return serviceOut(actor, id);
    },
  );

  api.post(
    '/api/v1/services/:id/reviewed',
    { preHandler: signedIn, schema: { summary: 'Mark a service as still correct', description: 'Sets its last reviewed date to now.', tags, security, params: IdParams, response: { 200: ServiceOut } } },
    async (request) => {
      const actor = actorOf(request);
      await markServiceReviewed(db, actor, request.params.id);
      return serviceOut(actor, request.params.id);
    },
  );

  // ---------- Organisations ----------

  /** The API checks organisations with the form's own rules, so both give the same messages. */
  function organisationInput(body: z.infer<typeof OrganisationJson>) {
    const asText = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, v ?? '']));
    const form = validateForm(OrganisationForm, asText);
    if (!form.ok) throw refuse.invalidFields(form.errors);
    const { version, ...input } = form.data;
    return { version, input };
  }

  async function organisationOut(actor: Actor, result: SavedOrganisation) {
    const { organisation: o, version } = await savedOrganisation(db, actor, result.id);
    return {
      id: o.id,
      name: o.name,
      kind: o.kind,
      identifiers: o.identifiers.map((i) => ({ scheme: i.scheme, identifier: i.identifier })),
      version,
      possibleDuplicates: result.possibleDuplicates,
    };
  }

  api.post(
    '/api/v1/organisations',
    {
      preHandler: allow(canCreateOrganisation, 'Only partnership admins can add organisations.'),
      schema: {
        summary: 'Add an organisation',
        description: 'For partnership admins. Possible duplicates (shared identifier, or a very similar name at the same postcode) are flagged for an admin and returned.',
        tags,
        security,
        body: OrganisationJson,
        response: { 201: OrganisationOut },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const out = await organisationOut(actor, await everyField(() => createOrganisation(db, actor, organisationInput(request.body).input)));
      return reply.status(201).header('location', `/api/v1/organisations/${out.id}`).send(out);
    },
  );

  api.put(
    '/api/v1/organisations/:id',
    {
      preHandler: signedIn,
      schema: {
        summary: 'Replace an organisation’s details',
        description: 'For editors of the organisation and partnership admins. Send the version you read to refuse the change if someone else has saved since (409).',
        tags,
        security,
        params: IdParams,
        body: OrganisationJson,
        response: { 200: OrganisationOut },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      return organisationOut(
        actor,
        await everyField(() => {
          const { version, input } = organisationInput(request.body);
          return updateOrganisation(db, actor, request.params.id, version, input);
        }),
      );
    },
  );
}
