import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { formBody, submitForm, type FieldError } from '../../platform/http/forms.ts';
import { IdParams } from './social-prescribing.schemas.ts';

/**
 * A form posted from a page about one case (`/social-prescribing/cases/:id/<path>`): the case page
 * and the plan page each have several. Validate, save, back to the page with a success message; or
 * the page again with the form's errors and what was typed.
 */
export function postCaseForm<S extends z.ZodType>(
  app: FastifyInstance,
  path: string,
  access: preHandlerAsyncHookHandler,
  form: {
    schema: S;
    save: (request: FastifyRequest, caseId: string, data: z.infer<S>) => Promise<unknown>;
    redisplay: (request: FastifyRequest, reply: FastifyReply, caseId: string, input: Record<string, unknown>, errors: FieldError[]) => Promise<unknown>;
    redirect: (caseId: string) => string;
    flash: string;
  },
) {
  app.withTypeProvider<ZodTypeProvider>().post(`/social-prescribing/cases/:id/${path}`, { preHandler: access, schema: { hide: true, params: IdParams } }, async (request, reply) => {
    const { id } = request.params;
    const input = formBody(request);
    return submitForm(reply, {
      schema: form.schema,
      input,
      save: (data) => form.save(request, id, data),
      redisplay: (errors) => form.redisplay(request, reply, id, input, errors),
      done: () => ({ redirect: form.redirect(id), flash: form.flash }),
    });
  });
}
