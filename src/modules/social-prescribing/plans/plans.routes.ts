import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { AppContext } from '../../../platform/http/app.ts';
import { actorOf, allow } from '../../../platform/http/access.ts';
import { formBody, submitForm, type FieldError } from '../../../platform/http/forms.ts';
import { canUseCaseload } from '../social-prescribing.policy.ts';
import { IdParams, NoFields } from '../social-prescribing.schemas.ts';
import { GoalForm, GoalStatusForm, PlanActionForm, WhatMattersForm } from './plans.schemas.ts';
import { addGoal, addPlanAction, completePlanAction, goalForTeam, planActionForTeam, saveWhatMatters, setGoalStatus, viewPlan } from './plans.service.ts';
import { goalStatusNames, labels, options } from '../labels.ts';
import { postCaseForm } from '../case-forms.ts';

/** What matters to the person, their goals and the plan of who does what by when. */
export function registerPlansRoutes(app: FastifyInstance, { db }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const page = { preHandler: allow(canUseCaseload), schema: { hide: true, params: IdParams } };

  async function renderPlan(request: FastifyRequest, reply: FastifyReply, id: string, values: Record<string, unknown> = {}, errors?: FieldError[]) {
    const view = await viewPlan(db, actorOf(request), id, request.ip);
    return reply.page('social-prescribing/plan.njk', {
      title: `Plan: ${view.person.givenName} ${view.person.familyName}`,
      backHref: `/social-prescribing/cases/${id}`,
      view,
      values,
      errors,
      labels,
      goalStatusItems: (current: string) => options(goalStatusNames, current),
    });
  }

  r.get('/social-prescribing/cases/:id/plan', page, async (request, reply) => renderPlan(request, reply, request.params.id));

  /** Every form on the plan page: back to the plan, or the plan again with the errors. */
  const planForm = <S extends z.ZodType>(path: string, schema: S, save: (request: FastifyRequest, id: string, data: z.infer<S>) => Promise<void>) =>
    postCaseForm(app, path, page.preHandler, {
      schema,
      save,
      redisplay: (request, reply, id, input, errors) => renderPlan(request, reply, id, input, errors),
      redirect: (id) => `/social-prescribing/cases/${id}/plan`,
      flash: 'Plan saved.',
    });

  planForm('what-matters', WhatMattersForm, (request, id, d) => saveWhatMatters(db, actorOf(request), id, d.whatMatters, request.ip));
  planForm('goals', GoalForm, (request, id, d) => addGoal(db, actorOf(request), id, d.inTheirWords, request.ip));
  planForm('actions', PlanActionForm, (request, id, d) => addPlanAction(db, actorOf(request), id, { action: d.action, who: d.who, dueOn: d.dueOn }, request.ip));

  r.post('/social-prescribing/goals/:id/status', page, async (request, reply) => {
    const goalId = request.params.id;
    const { case: found } = await goalForTeam(db, actorOf(request), goalId);
    return submitForm(reply, {
      schema: GoalStatusForm,
      input: formBody(request),
      save: (form) => setGoalStatus(db, actorOf(request), goalId, form.status, request.ip),
      redisplay: (errors) => renderPlan(request, reply, found.id, {}, errors),
      // Each goal has its own status field on the plan page.
      anchor: () => `goal-${goalId}`,
      done: (caseId) => ({ redirect: `/social-prescribing/cases/${caseId}/plan`, flash: 'Plan saved.' }),
    });
  });

  r.post('/social-prescribing/actions/:id/done', page, async (request, reply) => {
    const actionId = request.params.id;
    const { action } = await planActionForTeam(db, actorOf(request), actionId);
    return submitForm(reply, {
      schema: NoFields,
      input: formBody(request),
      save: () => completePlanAction(db, actorOf(request), actionId, request.ip),
      redisplay: (errors) => renderPlan(request, reply, action.caseId, {}, errors),
      anchor: 'plan',
      done: (caseId) => ({ redirect: `/social-prescribing/cases/${caseId}/plan`, flash: 'Plan saved.' }),
    });
  });
}
