import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../../platform/http/app.ts';
import { actorOf, allow } from '../../../platform/http/access.ts';
import { formBody, submitForm, type FieldError } from '../../../platform/http/forms.ts';
import { canManageSharing } from '../information-sharing.policy.ts';
import { OptOutUploadForm } from './opt-out.schemas.ts';
import { uploadOptOut, viewOptOut } from './opt-out.service.ts';

/** The national data opt-out list: its size and date, and a new upload. */
export function registerOptOutRoutes(app: FastifyInstance, { db }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const managers = allow(canManageSharing, 'Only information governance leads and partnership admins can see the national data opt-out list.');

  async function render(request: FastifyRequest, reply: FastifyReply, errors?: FieldError[]) {
    const view = await viewOptOut(db, actorOf(request));
    return reply.page('information-sharing/opt-out.njk', { title: 'National data opt-out list', ...view, errors });
  }

  r.get('/sharing/opt-out', { preHandler: managers, schema: { hide: true } }, (request, reply) => render(request, reply));
  r.post('/sharing/opt-out', { preHandler: managers, schema: { hide: true } }, (request, reply) =>
    submitForm(reply, {
      schema: OptOutUploadForm,
      input: formBody(request),
      save: (form) => uploadOptOut(db, actorOf(request), form.file, request.ip),
      redisplay: (errors) => render(request, reply, errors),
      done: (result) => ({ redirect: '/sharing/opt-out', flash: `National data opt-out list uploaded: ${result.people.toLocaleString('en-GB')} people.` }),
    }),
  );
}
