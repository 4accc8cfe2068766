import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../platform/http/app.ts';
import { canManageDirectory } from '../directory.policy.ts';
import { statusNames } from './listings.service.ts';
import { pageNumber, paginate, withQuery } from '../../../platform/http/pagination.ts';
import { flashFrom, queryOf, signedIn } from './page-helpers.ts';
import { listingHistory, listingsForActor, PAGE_SIZE, staleDashboard } from './review.service.ts';

/* Your listings, the staleness dashboard, and history pages. */

export function registerReviewRoutes(app: FastifyInstance, { db, config }: AppContext): void {
  const hide = { schema: { hide: true } };
  const months = config.staleAfterMonths;

  app.get('/directory/listings', hide, async (request, reply) => {
    const actor = signedIn(request, reply);
    if (!actor) return reply;
    const query = queryOf(request);
    const flash = flashFrom(query, { reviewed: 'Marked as still correct. Thank you for checking.' });
    if (canManageDirectory(actor) && !query.organisation) {
      const page = pageNumber(query.page);
      const dashboard = await staleDashboard(db, actor, months, page);
      return reply.page('listings/dashboard.njk', {
        title: 'Listings that may be out of date',
        months,
        dashboard,
        pagination: paginate(dashboard.organisationsWithStale, page, PAGE_SIZE, (p) => withQuery('/directory/listings', { page: p })),
        flash,
        width: 'full',
      });
    }
    const data = await listingsForActor(db, actor, months, query.organisation);
    return reply.page('listings/listings.njk', {
      title: query.organisation ? `Listings: ${data.organisations[0].name}` : 'Your listings',
      months,
      statusNames,
      returnTo: request.url.replace(/[?&]done=[^&]*/, ''),
      isAdmin: canManageDirectory(actor),
      ...data,
      flash,
      width: 'full',
      backHref: query.organisation ? '/directory/listings' : undefined,
    });
  });

  for (const type of ['service', 'organisation'] as const) {
    app.get(`/directory/${type}s/:id/history`, hide, async (request, reply) => {
      const actor = signedIn(request, reply);
      if (!actor) return reply;
      const { id } = request.params as { id: string };
      const page = pageNumber(queryOf(request).page);
      const history = await listingHistory(db, actor, type, id, page);
      return reply.page('listings/history.njk', {
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
