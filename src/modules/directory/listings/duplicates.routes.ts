import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../platform/http/app.ts';
import { organisationKinds } from '../directory.types.ts';
import { dismissDuplicate, duplicateFlagForMerge, duplicateFlags, mergeDuplicate } from './merge.service.ts';
import { pageNumber, paginate, withQuery } from '../../../platform/http/pagination.ts';
import { bodyOf, flashFrom, queryOf, signedIn } from './page-helpers.ts';
import { PAGE_SIZE } from './review.service.ts';

/* Possible duplicates: admins dismiss them or merge the two organisations. */

export function registerDuplicateRoutes(app: FastifyInstance, { db }: AppContext): void {
  const hide = { schema: { hide: true } };

  app.get('/directory/duplicates', hide, async (request, reply) => {
    const actor = signedIn(request, reply);
    if (!actor) return reply;
    const page = pageNumber(queryOf(request).page);
    const { total, rows } = await duplicateFlags(db, actor, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
    return reply.page('listings/duplicates.njk', {
      title: 'Possible duplicate organisations',
      total,
      flags: rows,
      pagination: paginate(total, page, PAGE_SIZE, (p) => withQuery('/directory/duplicates', { page: p })),
      flash: flashFrom(queryOf(request), { dismissed: 'Marked as not a duplicate.', merged: 'The organisations have been merged.' }),
      width: 'full',
    });
  });

  app.post('/directory/duplicates/:id/dismiss', hide, async (request, reply) => {
    const actor = signedIn(request, reply);
    if (!actor) return reply;
    await dismissDuplicate(db, actor, (request.params as { id: string }).id);
    return reply.redirect('/directory/duplicates?done=dismissed', 303);
  });

  const mergePage = async (flagId: string, actor: NonNullable<ReturnType<typeof signedIn>>) => {
    const { flag, organisations } = await duplicateFlagForMerge(db, actor, flagId);
    return {
      title: 'Merge these organisations?',
      flag,
      organisations: organisations.map((o) => ({ ...o, kindName: organisationKinds[o.kind] ?? o.kind })),
      backHref: '/directory/duplicates',
    };
  };

  app.get('/directory/duplicates/:id/merge', hide, async (request, reply) => {
    const actor = signedIn(request, reply);
    if (!actor) return reply;
    return reply.page('listings/merge.njk', { ...(await mergePage((request.params as { id: string }).id, actor)), values: {} });
  });

  app.post('/directory/duplicates/:id/merge', hide, async (request, reply) => {
    const actor = signedIn(request, reply);
    if (!actor) return reply;
    const { id } = request.params as { id: string };
    const keep = bodyOf(request).keep;
    const view = await mergePage(id, actor);
    if (typeof keep !== 'string' || !view.organisations.some((o) => o.id === keep)) {
      return reply.status(422).page('listings/merge.njk', { ...view, values: {}, errors: [{ field: 'keep', message: 'Select the organisation to keep' }] });
    }
    await mergeDuplicate(db, actor, id, keep);
    return reply.redirect('/directory/duplicates?done=merged', 303);
  });
}
