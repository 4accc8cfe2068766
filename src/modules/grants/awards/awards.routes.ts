import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Actor } from '../../../platform/actor.ts';
import type { AppContext } from '../../../platform/http/app.ts';
import { actorOf, allow } from '../../../platform/http/access.ts';
import { formBody, submitForm, type FieldError } from '../../../platform/http/forms.ts';
import { fundedDecisions } from '../../innovation/index.ts';
import { canSetUpFunds } from '../grants.policy.ts';
import { DecisionParams, FundParams, GrantParams } from '../grants.schemas.ts';
import { grantsPage } from '../grants.http.ts';
import type { Fund } from '../funds/funds.repository.ts';
import { organisationPickerFor, pickOrganisation, type OrganisationPicker } from '../../../platform/organisation-picker.ts';
import { openFund } from '../funds/funds.service.ts';
import { grantForm } from '../grant-page/grant-page.routes.ts';
import { GrantForm, PublishForm } from './awards.schemas.ts';
import { awardGrant, grantFromDecision, setPublication } from './awards.service.ts';

export function registerAwardsRoutes(appBase: FastifyInstance, { db }: AppContext) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const managers = allow(canSetUpFunds);

  async function renderForm(reply: FastifyReply, _actor: Actor, fund: Fund, values: Record<string, unknown>, errors?: FieldError[], decisionNote?: string, picker?: OrganisationPicker) {
    const decisions = await fundedDecisions(db);
    return grantsPage(reply, 'grants/grant-form.njk', {
      title: `Award a grant from ${fund.name}`,
      backHref: `/grants/funds/${fund.id}`,
      fund,
      values,
      errors,
      decisionNote,
      decisions,
      picker: picker ?? (await organisationPickerFor(db, values.recipientOrganisationId)),
      programmeItems: fund.programmes.map((p) => ({ value: p, text: p })),
    });
  }

  app.get('/grants/funds/:fundId/grants/new', { preHandler: managers, schema: { hide: true, params: FundParams } }, async (request, reply) => {
    const fund = await openFund(db, actorOf(request), request.params.fundId);
    return renderForm(reply, actorOf(request), fund, { publish: 'yes', programme: fund.programmes[0] ?? '' });
  });

  // An Investment Day decision becomes a grant with one action: the form, filled in from the decision.
  app.get('/grants/funds/:fundId/from-decision/:decisionId', { preHandler: managers, schema: { hide: true, params: FundParams.extend(DecisionParams.shape) } }, async (request, reply) => {
    const actor = actorOf(request);
    const { fund, values, decision } = await grantFromDecision(db, actor, request.params.fundId, request.params.decisionId);
    return renderForm(reply, actor, fund, values, undefined, `From the Investment Day decision for ${decision.teamName} in ${decision.programmeName}. Check the details, add dates and where the people helped live, then award it.`);
  });

  app.post('/grants/funds/:fundId/grants', { preHandler: managers, schema: { hide: true, params: FundParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const fund = await openFund(db, actor, request.params.fundId);
    const input = formBody(request);
    const pick = await pickOrganisation(db, input, 'recipientOrganisationId');
    if (pick.finding || pick.problem) return renderForm(reply.status(pick.problem ? 422 : 200), actor, fund, input, pick.problem ? [pick.problem] : undefined, undefined, pick.picker);
    return submitForm(reply, {
      schema: GrantForm,
      input,
      save: (form) => awardGrant(db, actor, fund.id, form, request.ip),
      redisplay: (errors) => renderForm(reply, actor, fund, input, errors, undefined, pick.picker),
      done: (id) => ({ redirect: `/grants/${id}`, flash: 'Grant awarded. Next, set its payment schedule.' }),
    });
  });

  grantForm(app, db, '/grants/:grantId/publish', GrantParams, {
    schema: PublishForm,
    save: (actor, request, form) => setPublication(db, actor, request.params.grantId, form.publish === 'yes', request.ip),
    flash: () => 'Publication changed.',
    section: 'publication',
  });
}
