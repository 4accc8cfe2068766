import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../../platform/http/app.ts';
import { HttpProblem, notFound } from '../../../platform/http/errors.ts';
import { validateForm } from '../../../platform/http/forms.ts';
import { paginate, withQuery } from '../../../platform/http/pagination.ts';
import { canEditOrganisation } from '../directory.policy.ts';
import { presentOrganisationPage, presentSearchForm, presentServicePage, searchFormValues, toApiOrganisation, toApiResult, toApiService } from './search.pages.ts';
import { IdParams, OrganisationDetailSchema, SearchQuerySchema, SearchResponseSchema, ServiceDetailSchema, type SearchQuery } from './search.schemas.ts';
import { getOrganisationDetail, getServiceDetail, searchServices } from './search.service.ts';

const hide = { schema: { hide: true } };
const tags = ['Directory'];

/** The search as link parameters, so that pages keep the filters. */
const queryLink = (q: SearchQuery) => ({
  text: q.text,
  need: q.need,
  postcode: q.postcode,
  miles: q.postcode ? q.miles : undefined,
  age: q.age,
  free: q.free ? 'true' : undefined,
  delivery: q.delivery?.join(','),
  day: q.day,
  language: q.language,
});

export function registerSearchRoutes(app: FastifyInstance, { db, config }: AppContext): void {
  const options = () => ({ staleAfterMonths: config.staleAfterMonths });

  app.get('/directory', hide, async (request, reply) => {
    const raw = (request.query ?? {}) as Record<string, unknown>;
    const view = { title: 'Find services', width: 'full', ...presentSearchForm(), values: searchFormValues(raw) };
    const form = validateForm(SearchQuerySchema, raw);
    if (!form.ok) return reply.status(422).page('search/directory.njk', { ...view, errors: form.errors });
    const result = await searchServices(db, form.data, options());
    if (!result.ok) return reply.status(422).page('search/directory.njk', { ...view, errors: result.errors });
    const link = queryLink(form.data);
    return reply.page('search/directory.njk', {
      ...view,
      result,
      searched: Object.values(link).some((v) => v !== undefined),
      pagination: paginate(result.total, result.page, result.pageSize, (page) => withQuery('/directory', { ...link, page: page > 1 ? page : undefined })),
    });
  });

  app.get('/directory/services/:id', hide, async (request, reply) => {
    const { id } = request.params as { id: string };
    const detail = await getServiceDetail(db, id, options());
    if (!detail) throw notFound('Service');
    return reply.page('search/service.njk', {
      ...presentServicePage(detail),
      title: detail.service.name,
      canEdit: canEditOrganisation(request.actor, detail.service.organisationId),
    });
  });

  app.get('/directory/organisations/:id', hide, async (request, reply) => {
    const { id } = request.params as { id: string };
    const detail = await getOrganisationDetail(db, id);
    if (!detail) throw notFound('Organisation');
    return reply.page('search/organisation.njk', {
      ...presentOrganisationPage(detail),
      title: detail.organisation.name,
      canEdit: canEditOrganisation(request.actor, detail.organisation.id),
    });
  });

  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/v1/services',
    {
      schema: {
        summary: 'Search services',
        description:
          'Public search of the directory (no token needed): active and temporarily closed services, 20 a page. ' +
          'With text, ordered by relevance then distance; with a postcode only, by distance; otherwise by name. ' +
          'An unknown postcode is a 422 naming querystring.postcode.',
        tags,
        querystring: SearchQuerySchema,
        response: { 200: SearchResponseSchema },
      },
    },
    async (request) => {
      const result = await searchServices(db, request.query, options());
      if (!result.ok) {
        throw new HttpProblem(
          422,
          'Your request has problems',
          result.errors.map((e) => e.message).join('. '),
          result.errors.map((e) => ({ name: `querystring.${e.field}`, reason: e.message })),
        );
      }
      return { items: result.items.map(toApiResult), total: result.total, page: result.page, pageSize: result.pageSize };
    },
  );

  api.get(
    '/api/v1/services/:id',
    {
      schema: {
        summary: 'One service',
        description: 'The whole service with its organisation’s name. 404 for an unknown id.',
        tags,
        params: IdParams,
        response: { 200: ServiceDetailSchema },
      },
    },
    async (request) => {
      const detail = await getServiceDetail(db, request.params.id, options());
      if (!detail) throw notFound('Service');
      return toApiService(detail);
    },
  );

  api.get(
    '/api/v1/organisations/:id',
    {
      schema: {
        summary: 'One organisation',
        description: 'The organisation with its identifiers and the ids and names of its listed services. 404 for an unknown id.',
        tags,
        params: IdParams,
        response: { 200: OrganisationDetailSchema },
      },
    },
    async (request) => {
      const detail = await getOrganisationDetail(db, request.params.id);
      if (!detail) throw notFound('Organisation');
      return toApiOrganisation(detail);
    },
  );
}
