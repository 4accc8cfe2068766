import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../../platform/http/app.ts';
import { actorOf, allow } from '../../../platform/http/access.ts';
import { formBody, submitForm } from '../../../platform/http/forms.ts';
import { canUseCaseload } from '../social-prescribing.policy.ts';
import { IdParams } from '../social-prescribing.schemas.ts';
import { GpSummaryForm } from './gp-summary.schemas.ts';
import { sendGpSummary, type GpSummaryOutcome } from './gp-summary.service.ts';
import { renderCasePage } from '../cases/cases.routes.ts';

/** Says what happened, never "emailed" when it was not. */
function gpSummaryMessage(outcome: GpSummaryOutcome): string {
  if (outcome.how === 'other') return 'Recorded that you sent the outcome summary to the GP practice.';
  if (outcome.emailed) return 'Outcome summary emailed to the GP practice.';
  const why = outcome.notSentBecause === 'not_configured' ? 'email is not set up on this Common Ground' : 'the mail server did not accept it';
  return `The outcome summary was not emailed: ${why}. It is kept in the Email outbox for a partnership admin to send. Or send it your usual way, then record that you sent it.`;
}

/** Sending the outcome summary to the GP practice from a closed case (shown on the case page). */
export function registerGpSummaryRoutes(app: FastifyInstance, { db, mailer }: AppContext) {
  app.withTypeProvider<ZodTypeProvider>().post('/social-prescribing/cases/:id/gp-summary', { preHandler: allow(canUseCaseload), schema: { hide: true, params: IdParams } }, async (request, reply) => {
    const { id } = request.params;
    const input = formBody(request);
    return submitForm(reply, {
      schema: GpSummaryForm,
      input,
      save: (form) => sendGpSummary(db, mailer, actorOf(request), id, form.how, request.ip),
      redisplay: (errors) => renderCasePage(db, request, reply, id, { values: input, errors, form: 'gpSummary' }),
      done: (outcome) => ({ redirect: `/social-prescribing/cases/${id}`, flash: gpSummaryMessage(outcome) }),
    });
  });
}
