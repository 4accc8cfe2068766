import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../../platform/http/app.ts';
import { actorOf, allow } from '../../../platform/http/access.ts';
import { formBody, submitForm } from '../../../platform/http/forms.ts';
import { canUseCaseload } from '../social-prescribing.policy.ts';
import { IdParams } from '../social-prescribing.schemas.ts';
import { GpSummaryForm } from './gp-summary.schemas.ts';
import { sendGpSummary } from './gp-summary.service.ts';
import { renderCasePage } from '../cases/cases.routes.ts';

/** Sending the outcome summary to the GP practice from a closed case (shown on the case page). */
export function registerGpSummaryRoutes(app: FastifyInstance, { db, mailer }: AppContext) {
  app.withTypeProvider<ZodTypeProvider>().post('/social-prescribing/cases/:id/gp-summary', { preHandler: allow(canUseCaseload), schema: { hide: true, params: IdParams } }, async (request, reply) => {
    const { id } = request.params;
    const input = formBody(request);
    return submitForm(reply, {
      schema: GpSummaryForm,
      input,
      save: async (form) => {
        await sendGpSummary(db, mailer, actorOf(request), id, form.how, request.ip);
        return form.how;
      },
      redisplay: (errors) => renderCasePage(db, request, reply, id, { values: input, errors, form: 'gpSummary' }),
      done: (how) => ({ redirect: `/social-prescribing/cases/${id}`, flash: how === 'email' ? 'Outcome summary emailed to the GP practice.' : 'Recorded that you sent the outcome summary to the GP practice.' }),
    });
  });
}
