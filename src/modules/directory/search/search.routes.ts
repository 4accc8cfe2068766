import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../../platform/http/app.ts';
import { refusalAsFieldErrors, validateForm } from '../../../platform/http/forms.ts';
import { paginate, withQuery } from '../../../platform/http/pagination.ts';
import { Refusal } from '../../../platform/refusal.ts';
import { presentOrganisationPage, presentSearchForm, presentServicePage, searchFormValues, toApiOrganisation, toApiResult, toApiService } from './search.pages.ts';
import { IdParams, OrganisationDetailSchema, SearchPageQuery, SearchQuerySchema, SearchResponseSchema, ServiceDetailSchema, type SearchQuery } from './search.schemas.ts';
import { findOrganisationDetail, findServiceDetail, searchDirectory, viewOrganisation, viewService, type SearchResults } from './search.service.ts';

const tags = ['Directory'];

/** The API names a refused parameter as the platform names a bad one: querystring.postcode. */
function inQuerystring(error: unknown): never {
  if (error instanceof Refusal && error.field !== 'form') throw new Refusal(error.kind, error.message, `querystring.${error.field}`, 'Your request has problems');
  throw error;
}

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
  const api = app.withTypeProvider<ZodTypeProvider>();

  // The search form is a GET form: what it sends is checked here, so that a mistake redraws the form (422).
  api.get('/directory', { schema: { hide: true, querystring: SearchPageQuery } }, async (request, reply) => {
    const view = { title: 'Find services', width: 'full', ...presentSearchForm(), values: searchFormValues(request.query) };
    const form = validateForm(SearchQuerySchema, request.query);
    if (!form.ok) return reply.status(422).page('directory/directory.njk', { ...view, errors: form.errors });
    let result: SearchResults;
    try {
      result = await searchDirectory(db, form.data, options());
    } catch (error) {
      const refused = refusalAsFieldErrors(error);
      return reply.status(refused.status).page('directory/directory.njk', { ...view, errors: refused.errors });
    }
    const link = queryLink(form.data);
    // The same search draws the same page until the results change: the HTML is kept (page-cache.ts).
    return reply.page(
      'directory/directory.njk',
      {
        ...view,
        result,
        searched: Object.values(link).some((v) => v !== undefined),
        pagination: paginate(result.total, result.page, result.pageSize, (page) => withQuery('/directory', { ...link, page: page > 1 ? page : undefined })),
      },
      { reuse: true },
    );
  });

  api.get('/directory/services/:id', { schema: { hide: true, params: IdParams } }, async (request, reply) => {
    const { detail, canEdit } = await viewService(db, request.actor, request.params.id, options());
    return reply.page('directory/service.njk', { ...presentServicePage(detail), title: detail.service.name, canEdit });
  });

  api.get('/directory/organisations/:id', { schema: { hide: true, params: IdParams } }, async (request, reply) => {
    const { detail, canEdit } = await viewOrganisation(db, request.actor, request.params.id);
    // Other modules' sections (grants received …) through the AppModule hook: the directory imports none of them.
    const panels = await request.server.organisationPanels(detail.organisation.id, request.actor);
    return reply.page('directory/organisation.njk', { ...presentOrganisationPage(detail), title: detail.organisation.name, canEdit, panels });
  });

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
      const result = await searchDirectory(db, request.query, options()).catch(inQuerystring);
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
      return toApiService(await findServiceDetail(db, request.params.id, options()));
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
      return toApiOrganisation(await findOrganisationDetail(db, request.params.id));
    },
  );
}
