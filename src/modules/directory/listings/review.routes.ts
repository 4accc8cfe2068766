import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf, signedIn } from '../../../platform/http/access.ts';
import type { AppContext } from '../../../platform/http/app.ts';
import { paginate, withQuery } from '../../../platform/http/pagination.ts';
import { IdParams, ListingsQuery, PageQuery } from './listings.schemas.ts';
import { statusNames } from './listings.service.ts';
import { listingHistory, PAGE_SIZE, yourListings } from './review.service.ts';

/* Your listings, the staleness dashboard, and history pages. */

export function registerReviewRoutes(app: FastifyInstance, { db, config }: AppContext): void {
  const pages = app.withTypeProvider<ZodTypeProvider>();
  const months = config.staleAfterMonths;

  pages.get('/directory/listings', { preHandler: signedIn, schema: { hide: true, querystring: ListingsQuery } }, async (request, reply) => {
    const { organisation, page, done } = request.query;
    // After "Still correct" (?done=reviewed): a fixed message, so no text from the address is shown.
    const flash = done === 'reviewed' ? 'Marked as still correct. Thank you for checking.' : undefined;
    const shown = await yourListings(db, actorOf(request), months, { organisation, page });
    if (shown.dashboard) {
      const { dashboard } = shown;
      return reply.page('directory/dashboard.njk', {
        title: 'Listings that may be out of date',
        months,
        dashboard,
        pagination: paginate(dashboard.organisationsWithStale, page, PAGE_SIZE, (p) => withQuery('/directory/listings', { page: p })),
        flash,
        width: 'full',
      });
    }
    const data = shown.listings;
    return reply.page('directory/listings.njk', {
      title: organisation ? `Listings: ${data.organisations[0].name}` : 'Your listings',
      months,
      statusNames,
      returnTo: request.url.replace(/[?&]done=[^&]*/, ''),
      ...data,
      flash,
      width: 'full',
      backHref: organisation ? '/directory/listings' : undefined,
    });
  });

  for (const type of ['service', 'organisation'] as const) {
    pages.get(`/directory/${type}s/:id/history`, { preHandler: signedIn, schema: { hide: true, params: IdParams, querystring: PageQuery } }, async (request, reply) => {
      const { id } = request.params;
      const { page } = request.query;
      const history = await listingHistory(db, actorOf(request), type, id, page);
      return reply.page('directory/history.njk', {
        title: `History of ${history.name}`,
        type,
        id,
        history,
        pagination: paginate(history.total, page, PAGE_SIZE, (p) => withQuery(`/directory/${type}s/${id}/history`, { page: p })),
        backHref: type === 'service' ? `/directory/services/${id}/edit` : `/directory/organisations/${id}/edit`,
      });
    });
  }
}
