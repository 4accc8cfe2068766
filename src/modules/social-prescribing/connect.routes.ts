import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/http/app.ts';
import { validateForm, type FieldError } from '../../platform/http/forms.ts';
import { forbidden } from '../../platform/http/errors.ts';
import { requireSignIn } from '../identity/index.ts';
import { getServiceDetail } from '../directory/index.ts';
import { needs } from '../directory/index.ts';
import * as connect from './connect.service.ts';
import * as plan from './plan.service.ts';
import { caseForTeam } from './social-prescribing.service.ts';
import { isUuid } from '../../platform/ids.ts';
import { inboxOrganisations } from './social-prescribing.policy.ts';
import { AttendanceForm, ConnectSearchForm, GoalForm, GoalStatusForm, InboxAnswerForm, OnwardReferralForm, PlanActionForm, WhatMattersForm } from './social-prescribing.schemas.ts';
import { asFormErrors, formValues, requireCaseload } from './route-helpers.ts';
import { attendanceNames, goalStatusNames, labels, options, shareableFieldNames } from './labels.ts';
import { flashFor } from './casework.routes.ts';

/** Connecting to community support, the receiving organisation's inbox, and the person's plan. */
export function registerConnectRoutes(app: FastifyInstance, { db, config }: AppContext) {
  const page = { schema: { hide: true } };

  app.get('/social-prescribing/cases/:id/connect', page, async (request, reply) => {
    if (!requireCaseload(request, reply)) return reply;
    const id = (request.params as { id: string }).id;
    const values = formValues(request.query);
    const form = validateForm(ConnectSearchForm, values);
    const result = await connect.searchForCase(db, request.actor!, id, form.ok ? form.data : {}, { staleAfterMonths: config.staleAfterMonths });
    if (!form.ok) reply.status(422);
    return reply.page('social-prescribing/connect.njk', {
      title: `Find support for ${result.person.given_name} ${result.person.family_name}`,
      width: 'full',
      backHref: `/social-prescribing/cases/${id}`,
      result,
      values,
      errors: form.ok ? undefined : form.errors,
      needItems: [{ value: '', text: 'Any need' }, ...needs.map((n) => ({ value: n.id, text: n.name, selected: n.id === result.need }))],
      milesItems: [1, 3, 5, 10, 25].map((m) => ({ value: String(m), text: `${m} miles`, selected: String(result.miles ?? 10) === String(m) })),
    });
  });

  async function renderConnectForm(request: FastifyRequest, reply: FastifyReply, caseId: string, serviceId: string, values: Record<string, unknown>, errors?: FieldError[]) {
    const found = await caseForTeam(db, request.actor!, caseId);
    const detail = isUuid(serviceId) ? await getServiceDetail(db, serviceId) : null;
    if (!detail) {
      return reply.status(404).page('error.njk', { problem: { status: 404, title: 'Service not found' } });
    }
    const chosen = Array.isArray(values.sharedFields) ? values.sharedFields : values.sharedFields ? [values.sharedFields] : ['name', 'phone', 'reasons'];
    return reply.page('social-prescribing/connect-service.njk', {
      title: `Connect to ${detail.service.name}`,
      backHref: `/social-prescribing/cases/${caseId}/connect`,
      caseId: found.id,
      detail,
      values: { kind: 'refer', ...values },
      errors,
      fieldItems: Object.entries(shareableFieldNames).map(([value, text]) => ({ value, text, checked: chosen.includes(value) })),
    });
  }

  app.get('/social-prescribing/cases/:id/connect/:serviceId', page, async (request, reply) => {
    if (!requireCaseload(request, reply)) return reply;
    const { id, serviceId } = request.params as { id: string; serviceId: string };
    return renderConnectForm(request, reply, id, serviceId, {});
  });

  app.post('/social-prescribing/cases/:id/connect/:serviceId', page, async (request, reply) => {
    if (!requireCaseload(request, reply)) return reply;
    const { id, serviceId } = request.params as { id: string; serviceId: string };
    const values = { ...formValues(request.body), serviceId };
    const form = validateForm(OnwardReferralForm, values);
    if (!form.ok) return renderConnectForm(request, reply.status(422), id, serviceId, values, form.errors);
    try {
      await connect.connectToService(db, request.actor!, id, form.data, request.ip);
    } catch (error) {
      const f = asFormErrors(error, 'kind');
      return renderConnectForm(request, reply.status(f.status), id, serviceId, values, f.errors);
    }
    return reply.redirect(`/social-prescribing/cases/${id}?done=${form.data.kind === 'refer' ? 'connected' : 'signposted'}#onward`, 303);
  });

  // ---- referrals received -----------------------------------------------------------------

  app.get('/social-prescribing/referrals-received', page, async (request, reply) => {
    if (!requireSignIn(request, reply)) return reply;
    if (!inboxOrganisations(request.actor).length) throw forbidden('The referral inbox is for editors of organisations that receive referrals.');
    const items = await connect.referralInbox(db, request.actor!, request.ip);
    return reply.page('social-prescribing/inbox.njk', { title: 'Referrals received', width: 'full', items, labels, flash: flashFor(request) });
  });

  async function renderInboxItem(request: FastifyRequest, reply: FastifyReply, id: string, values: Record<string, unknown> = {}, errors?: FieldError[]) {
    const item = await connect.viewInboxItem(db, request.actor!, id, request.ip);
    return reply.page('social-prescribing/inbox-item.njk', {
      title: `Referral to ${item.service_name}`,
      backHref: '/social-prescribing/referrals-received',
      item,
      values,
      errors,
      labels,
      flash: flashFor(request),
      attendanceItems: options(attendanceNames, values.attendance ?? item.attendance),
    });
  }

  app.get('/social-prescribing/referrals-received/:id', page, async (request, reply) => {
    if (!requireSignIn(request, reply)) return reply;
    return renderInboxItem(request, reply, (request.params as { id: string }).id);
  });

  app.post('/social-prescribing/referrals-received/:id/answer', page, async (request, reply) => {
    if (!requireSignIn(request, reply)) return reply;
    const id = (request.params as { id: string }).id;
    const values = formValues(request.body);
    const form = validateForm(InboxAnswerForm, values);
    if (!form.ok) return renderInboxItem(request, reply.status(422), id, values, form.errors);
    try {
      await connect.answerReferral(db, request.actor!, id, form.data, request.ip);
    } catch (error) {
      const f = asFormErrors(error, 'decision');
      return renderInboxItem(request, reply.status(f.status), id, values, f.errors);
    }
    return reply.redirect(`/social-prescribing/referrals-received/${id}?done=answered`, 303);
  });

  app.post('/social-prescribing/referrals-received/:id/attendance', page, async (request, reply) => {
    if (!requireSignIn(request, reply)) return reply;
    const id = (request.params as { id: string }).id;
    const values = formValues(request.body);
    const form = validateForm(AttendanceForm, values);
    if (!form.ok) return renderInboxItem(request, reply.status(422), id, values, form.errors);
    try {
      await connect.recordAttendance(db, request.actor!, id, form.data.attendance, request.ip);
    } catch (error) {
      const f = asFormErrors(error, 'attendance');
      return renderInboxItem(request, reply.status(f.status), id, values, f.errors);
    }
    return reply.redirect(`/social-prescribing/referrals-received/${id}?done=attendance`, 303);
  });

  // ---- what matters, goals and plan ----------------------------------------------------------

  async function renderPlan(request: FastifyRequest, reply: FastifyReply, id: string, values: Record<string, unknown> = {}, errors?: FieldError[]) {
    const view = await plan.viewPlan(db, request.actor!, id, request.ip);
    return reply.page('social-prescribing/plan.njk', {
      title: `Plan: ${view.person.given_name} ${view.person.family_name}`,
      backHref: `/social-prescribing/cases/${id}`,
      view,
      values,
      errors,
      labels,
      flash: flashFor(request),
      goalStatusItems: (current: string) => options(goalStatusNames, current),
    });
  }

  app.get('/social-prescribing/cases/:id/plan', page, async (request, reply) => {
    if (!requireCaseload(request, reply)) return reply;
    return renderPlan(request, reply, (request.params as { id: string }).id);
  });

  const planForms = [
    { path: 'what-matters', schema: WhatMattersForm, run: (r: FastifyRequest, id: string, d: Record<string, string>) => plan.saveWhatMatters(db, r.actor!, id, d.whatMatters, r.ip) },
    { path: 'goals', schema: GoalForm, run: (r: FastifyRequest, id: string, d: Record<string, string>) => plan.addGoal(db, r.actor!, id, d.inTheirWords, r.ip) },
    { path: 'actions', schema: PlanActionForm, run: (r: FastifyRequest, id: string, d: Record<string, string>) => plan.addPlanAction(db, r.actor!, id, { action: d.action, who: d.who, dueOn: d.dueOn }, r.ip) },
  ];
  for (const f of planForms) {
    app.post(`/social-prescribing/cases/:id/${f.path}`, page, async (request, reply) => {
      if (!requireCaseload(request, reply)) return reply;
      const id = (request.params as { id: string }).id;
      const values = formValues(request.body);
      const form = validateForm(f.schema, values);
      if (!form.ok) return renderPlan(request, reply.status(422), id, values, form.errors);
      await f.run(request, id, form.data as Record<string, string>);
      return reply.redirect(`/social-prescribing/cases/${id}/plan?done=plan`, 303);
    });
  }

  app.post('/social-prescribing/goals/:id/status', page, async (request, reply) => {
    if (!requireCaseload(request, reply)) return reply;
    const form = validateForm(GoalStatusForm, formValues(request.body));
    const goalId = (request.params as { id: string }).id;
    if (!form.ok) return reply.status(422).page('error.njk', { problem: { status: 422, title: 'Select a status for the goal' } });
    const caseId = await plan.setGoalStatus(db, request.actor!, goalId, form.data.status, request.ip);
    return reply.redirect(`/social-prescribing/cases/${caseId}/plan?done=plan`, 303);
  });

  app.post('/social-prescribing/actions/:id/done', page, async (request, reply) => {
    if (!requireCaseload(request, reply)) return reply;
    const caseId = await plan.completePlanAction(db, request.actor!, (request.params as { id: string }).id, request.ip);
    return reply.redirect(`/social-prescribing/cases/${caseId}/plan?done=plan`, 303);
  });
}
