import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Actor } from '../../../platform/actor.ts';
import type { AppContext } from '../../../platform/http/app.ts';
import { actorOf, allow } from '../../../platform/http/access.ts';
import { formBody, submitForm, type FieldError } from '../../../platform/http/forms.ts';
import { canSetUpFunds, canUseGrants } from '../grants.policy.ts';
import { FundParams } from '../grants.schemas.ts';
import { grantsPage } from '../grants.http.ts';
import { listGrantsFor } from '../awards/awards.service.ts';
import { FundForm, DEFAULT_LETTER_TEMPLATE } from './funds.schemas.ts';
import { createFund, fundDashboard, listFundsFor, stageNames } from './funds.service.ts';
import { organisationPickerFor, pickOrganisation, type OrganisationPicker } from '../../../platform/organisation-picker.ts';

export function registerFundsRoutes(appBase: FastifyInstance, { db }: AppContext) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();

  app.get('/grants', { preHandler: allow(canUseGrants), schema: { hide: true } }, async (request, reply) => {
    const actor = actorOf(request);
    const funds = await listFundsFor(db, actor);
    const grants = await listGrantsFor(db, actor, request.ip);
    return grantsPage(reply, 'grants/funds.njk', { title: 'Grants', width: 'full', funds, grants, canSetUp: canSetUpFunds(actor) });
  });

  async function renderForm(reply: FastifyReply, _actor: Actor, values: Record<string, unknown>, errors?: FieldError[], picker?: OrganisationPicker) {
    return grantsPage(reply, 'grants/fund-form.njk', {
      title: 'Set up a fund',
      backHref: '/grants',
      values,
      errors,
      picker: picker ?? (await organisationPickerFor(db, values.funderOrganisationId)),
    });
  }

  app.get('/grants/funds/new', { preHandler: allow(canSetUpFunds), schema: { hide: true } }, async (request, reply) =>
    renderForm(reply, actorOf(request), { letterTemplate: DEFAULT_LETTER_TEMPLATE, endMonthsBeforeSpendOut: '6', lateMovePercent: '10' }),
  );

  app.post('/grants/funds', { preHandler: allow(canSetUpFunds), schema: { hide: true } }, async (request, reply) => {
    const actor = actorOf(request);
    const input = formBody(request);
    // The funder is chosen with the organisation picker: "Find" shows matches, a vague name asks which.
    const pick = await pickOrganisation(db, input, 'funderOrganisationId');
    if (pick.finding || pick.problem) return renderForm(reply.status(pick.problem ? 422 : 200), actor, input, pick.problem ? [pick.problem] : undefined, pick.picker);
    return submitForm(reply, {
      schema: FundForm,
      input,
      save: (form) => createFund(db, actor, form, request.ip),
      redisplay: (errors) => renderForm(reply, actor, input, errors, pick.picker),
      done: (id) => ({ redirect: `/grants/funds/${id}`, flash: 'Fund set up.' }),
    });
  });

  app.get('/grants/funds/:fundId', { preHandler: allow(canSetUpFunds), schema: { hide: true, params: FundParams } }, async (request, reply) => {
    const view = await fundDashboard(db, actorOf(request), request.params.fundId, request.ip);
    return grantsPage(reply, 'grants/fund.njk', { title: view.fund.name, width: 'full', backHref: '/grants', ...view, stageNames });
  });
}
