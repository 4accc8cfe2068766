import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Actor } from '../../../platform/actor.ts';
import { actorOf, allow } from '../../../platform/http/access.ts';
import type { AppContext } from '../../../platform/http/app.ts';
import { formBody, submitForm } from '../../../platform/http/forms.ts';
import { paginate, withQuery } from '../../../platform/http/pagination.ts';
import { canManageDirectory } from '../directory.policy.ts';
import { organisationKinds } from '../directory.types.ts';
import { IdParams, MergeForm, PageQuery } from './listings.schemas.ts';
import { dismissDuplicate, duplicateFlagForMerge, duplicateFlags, mergeDuplicate } from './merge.service.ts';
import { PAGE_SIZE } from './review.service.ts';

/* Possible duplicates: admins dismiss them or merge the two organisations. */

const onlyAdmins = allow(canManageDirectory, 'Only partnership admins can merge organisations.');

export function registerDuplicateRoutes(app: FastifyInstance, { db }: AppContext): void {
  const pages = app.withTypeProvider<ZodTypeProvider>();

  pages.get('/directory/duplicates', { preHandler: onlyAdmins, schema: { hide: true, querystring: PageQuery } }, async (request, reply) => {
    const { page } = request.query;
    const { total, rows } = await duplicateFlags(db, actorOf(request), { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
    return reply.page('directory/duplicates.njk', {
      title: 'Possible duplicate organisations',
      total,
      flags: rows,
      pagination: paginate(total, page, PAGE_SIZE, (p) => withQuery('/directory/duplicates', { page: p })),
      width: 'full',
    });
  });

  // A one-button action: nothing to show again, so a refusal is the error page.
  pages.post('/directory/duplicates/:id/dismiss', { preHandler: onlyAdmins, schema: { hide: true, params: IdParams } }, async (request, reply) => {
    await dismissDuplicate(db, actorOf(request), request.params.id);
    return reply.flash('Marked as not a duplicate.').redirect('/directory/duplicates', 303);
  });

  const mergePage = async (actor: Actor, flagId: string) => {
    const { flag, organisations } = await duplicateFlagForMerge(db, actor, flagId);
    return {
      title: 'Merge these organisations?',
      flag,
      organisations: organisations.map((o) => ({ ...o, kindName: organisationKinds[o.kind] ?? o.kind })),
      backHref: '/directory/duplicates',
    };
  };

  pages.get('/directory/duplicates/:id/merge', { preHandler: onlyAdmins, schema: { hide: true, params: IdParams } }, async (request, reply) =>
    reply.page('directory/merge.njk', { ...(await mergePage(actorOf(request), request.params.id)), values: {} }),
  );

  pages.post('/directory/duplicates/:id/merge', { preHandler: onlyAdmins, schema: { hide: true, params: IdParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const { id } = request.params;
    const view = await mergePage(actor, id);
    const input = formBody(request);
    return submitForm(reply, {
      schema: MergeForm,
      input,
      save: ({ keep }) => mergeDuplicate(db, actor, id, keep),
      redisplay: (errors) => reply.page('directory/merge.njk', { ...view, values: input, errors }),
      done: () => ({ redirect: '/directory/duplicates', flash: 'The organisations have been merged.' }),
    });
  });
}
