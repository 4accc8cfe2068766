import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../../platform/http/app.ts';
import { sendProblem } from '../../../platform/http/errors.ts';
import * as oruk from './oruk.service.ts';
import { IdParams, OrganizationQuery, OrganizationsQuery, ServiceAtLocationsQuery, ServicesQuery, TaxonomiesQuery, TaxonomyTermsQuery } from './oruk.schemas.ts';

const tags = ['Open Referral UK 3.0 (public)'];

/**
 * The public, anonymous Open Referral UK 3.0 API under /oruk. Any web page may read it, so every
 * response (errors too) carries Access-Control-Allow-Origin: *.
 */
export function registerOrukRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;
  app.register(
    async (scope) => {
      const api = scope.withTypeProvider<ZodTypeProvider>();
      scope.addHook('onSend', async (_request, reply, payload) => {
        reply.header('access-control-allow-origin', '*');
        return payload;
      });
      scope.setNotFoundHandler((request, reply) => sendProblem(request, reply, { status: 404, title: 'Not found' }));
      const preflight = async (_request: unknown, reply: FastifyReply) =>
        reply
          .status(204)
          .header('access-control-allow-methods', 'GET, HEAD, OPTIONS')
          .header('access-control-allow-headers', 'Accept, Content-Type')
          .header('access-control-max-age', '86400')
          .send();
      api.options('/', { schema: { hide: true } }, preflight);
      api.options('/*', { schema: { hide: true } }, preflight);

      const details = { schema: { summary: 'About this API: the Open Referral UK version it follows', tags } };
      api.get('/', details, async () => oruk.apiDetails());

      api.get(
        '/services',
        { schema: { summary: 'Services, a page at a time (format=ndjson: every one, fully nested, one per line)', tags, querystring: ServicesQuery } },
        async (request, reply) => {
          if (request.query.format === 'ndjson') {
            const services = oruk.streamServices(db, request.query);
            // Start the query before the headers go, so a bad postcode is still a 400.
            const first = await services.next();
            async function* lines() {
              if (first.done) return;
              yield `${JSON.stringify(first.value)}\n`;
              for await (const service of services) yield `${JSON.stringify(service)}\n`;
            }
            return reply.type('application/x-ndjson; charset=utf-8').send(Readable.from(lines()));
          }
          return oruk.listServices(db, request.query);
        },
      );
      api.get('/services/:id', { schema: { summary: 'One service, fully nested', tags, params: IdParams } }, async (request) => oruk.getService(db, request.params.id));
      api.get(
        '/service_at_locations',
        { schema: { summary: 'Services at their locations, a page at a time', tags, querystring: ServiceAtLocationsQuery } },
        async (request) => oruk.listServiceAtLocations(db, request.query),
      );
      api.get('/service_at_locations/:id', { schema: { summary: 'One service at one location, fully nested', tags, params: IdParams } }, async (request) => oruk.getServiceAtLocation(db, request.params.id));
      api.get('/organizations', { schema: { summary: 'Organisations, a page at a time', tags, querystring: OrganizationsQuery } }, async (request) =>
        oruk.listOrganisations(db, request.query),
      );
      api.get(
        '/organizations/:id',
        { schema: { summary: 'One organisation with its identifiers and services', tags, params: IdParams, querystring: OrganizationQuery } },
        async (request) => oruk.getOrganisation(db, request.params.id, !!request.query.full_service),
      );
      api.get('/taxonomies', { schema: { summary: 'Taxonomies, a page at a time', tags, querystring: TaxonomiesQuery } }, async (request) =>
        oruk.listTaxonomies(db, request.query),
      );
      api.get('/taxonomies/:id', { schema: { summary: 'One taxonomy with its terms', tags, params: IdParams } }, async (request) => oruk.getTaxonomy(db, request.params.id));
      api.get('/taxonomy_terms', { schema: { summary: 'Taxonomy terms, a page at a time', tags, querystring: TaxonomyTermsQuery } }, async (request) =>
        oruk.listTerms(db, request.query),
      );
      api.get('/taxonomy_terms/:id', { schema: { summary: 'One taxonomy term', tags, params: IdParams } }, async (request) => oruk.getTerm(db, request.params.id));
    },
    { prefix: '/oruk' },
  );
}
