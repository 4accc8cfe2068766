import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { AppContext } from '../../../platform/http/app.ts';
import { actorOf, allow } from '../../../platform/http/access.ts';
import { formBody, submitForm, type ErrorAnchor, type FieldError } from '../../../platform/http/forms.ts';
import type { Database } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/actor.ts';
import { canUseGrants } from '../grants.policy.ts';
import { GrantParams } from '../grants.schemas.ts';
import { grantsPage } from '../grants.http.ts';
import { reportKindNames } from '../reports/reports.schemas.ts';
import { stageNames } from '../funds/funds.service.ts';
import { grantPage } from './grant-page.service.ts';

export const forGrantUsers = allow(canUseGrants);

/** Draws the grant's page; after a refused form, with its errors and what was typed (`form` names which form). */
export async function renderGrant(db: Database, reply: FastifyReply, actor: Actor, grantId: string, ip: string, extra: { errors?: FieldError[]; values?: Record<string, unknown>; form?: string } = {}) {
  const view = await grantPage(db, actor, grantId, ip);
  return grantsPage(reply, 'grants/grant.njk', {
    title: view.grant.title,
    width: 'full',
    backHref: view.manager ? `/grants/funds/${view.grant.fundId}` : '/grants',
    ...view,
    reportKindNames,
    stageNames,
    errors: extra.errors,
    values: extra.values ?? {},
    openForm: extra.form,
  });
}

type GrantRequest = FastifyRequest<{ Params: { grantId: string } & Record<string, string> }>;

/**
 * A form on the grant's page: validate, call the service, back to the page (at `#section`) with a
 * message; or the page again with the error summary and what was typed.
 */
export function grantForm<S extends z.ZodType, R>(
  app: FastifyInstance,
  db: Database,
  path: string,
  params: z.ZodType,
  options: {
    schema: S;
    save: (actor: Actor, request: GrantRequest, form: z.infer<S>, input: Record<string, unknown>) => Promise<R>;
    flash: (result: R) => string;
    section: string;
    anchor?: (request: GrantRequest) => ErrorAnchor;
  },
) {
  app.withTypeProvider<ZodTypeProvider>().post(path, { preHandler: forGrantUsers, schema: { hide: true, params } }, async (request, reply) => {
    const req = request as unknown as GrantRequest;
    const actor = actorOf(request);
    const input = formBody(request);
    return submitForm(reply, {
      schema: options.schema,
      input,
      save: (form) => options.save(actor, req, form, input),
      redisplay: (errors) => renderGrant(db, reply, actor, req.params.grantId, request.ip, { errors, values: input, form: options.section }),
      done: (result) => ({ redirect: `/grants/${req.params.grantId}#${options.section}`, flash: options.flash(result) }),
      anchor: options.anchor?.(req) ?? options.section,
    });
  });
}

export function registerGrantPageRoutes(appBase: FastifyInstance, { db }: AppContext) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  app.get('/grants/:grantId', { preHandler: forGrantUsers, schema: { hide: true, params: GrantParams } }, async (request, reply) =>
    renderGrant(db, reply, actorOf(request), request.params.grantId, request.ip),
  );
}
