import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../../platform/http/app.ts';
import { actorOf, allow } from '../../../platform/http/access.ts';
import { formBody, submitForm, validateForm, type FieldError } from '../../../platform/http/forms.ts';
import { ukToday } from '../../../platform/dates.ts';
import { canUseCaseload } from '../social-prescribing.policy.ts';
import { IdParams } from '../social-prescribing.schemas.ts';
import { ApiCase, ApiCaseload, ApiContactCreate, CaseStatusForm, ContactForm, FollowUpActionForm, FollowUpForm, PeopleSearchForm, PeopleSearchQuery, ReassignForm } from './cases.schemas.ts';
import { addFollowUp, caseload, closedCases, searchCaseload, changeCaseStatus, completeFollowUp, followUpForTeam, reassignCase, recordContact, viewCase } from './cases.service.ts';
import type { CaseListItem } from './cases.repository.ts';
import { gpSummaryFor } from '../gp-summary/gp-summary.service.ts';
import { postCaseForm } from '../case-forms.ts';
import { presentOnward } from '../connect/connect.service.ts';
import { apiPerson } from '../people/people.routes.ts';
import { caseStatusNames, contactMethodNames, contactOutcomeNames, labels, options } from '../labels.ts';

const tags = ['Social prescribing'];
const security = [{ apiToken: [] }];
const apiRefusal = 'Only link workers and partnership admins can use the social prescribing API.';

const CaseloadQuery = z.object({ view: z.string().optional() });

/** Which form on the case page was sent, to show its errors and what was typed beside it. */
export type CaseForm = 'status' | 'gpSummary' | 'reassign' | 'contact' | 'followUp';

/** The case page, with one of its forms' errors when it is drawn again. */
export async function renderCasePage(db: AppContext['db'], request: FastifyRequest, reply: FastifyReply, id: string, extra: { values?: Record<string, unknown>; errors?: FieldError[]; form?: CaseForm } = {}) {
  const view = await viewCase(db, actorOf(request), id, request.ip);
  const values = extra.values ?? {};
  const today = ukToday();
  const gpSummary = await gpSummaryFor(db, view, today);
  return reply.page('social-prescribing/case.njk', {
    title: `Case: ${view.person.givenName} ${view.person.familyName}`,
    width: 'full',
    backHref: '/social-prescribing',
    view,
    today,
    gpSummary,
    onward: view.onward.map((o) => presentOnward(o, today)),
    labels,
    form: extra.form,
    conflict: reply.statusCode === 409,
    values,
    errors: extra.errors,
    statusItems: options(caseStatusNames, extra.form === 'status' ? values.status : view.case.status),
    teamItems: view.team.map((t) => ({ value: t.id, text: t.name, selected: (extra.form === 'reassign' ? values.linkWorkerId : view.case.linkWorkerId) === t.id })),
    methodItems: options(contactMethodNames, extra.form === 'contact' ? (values.method ?? 'phone') : 'phone'),
    outcomeItems: options(contactOutcomeNames, extra.form === 'contact' ? values.outcome : undefined),
  });
}

const apiCaseSummary = (c: CaseListItem) => ({ id: c.id, personId: c.personId, personName: c.personName, status: c.status, linkWorkerId: c.linkWorkerId, linkWorkerName: c.linkWorkerName, openedOn: c.openedOn, nextDueOn: c.nextDueOn });

/** The caseload, a case and the forms on it (status, reassigning, contacts, follow-ups), and the API's cases. */
export function registerCasesRoutes(app: FastifyInstance, { db }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const caseload$ = allow(canUseCaseload);
  const page = { preHandler: caseload$, schema: { hide: true, params: IdParams } };

  r.get('/social-prescribing', { preHandler: caseload$, schema: { hide: true, querystring: CaseloadQuery } }, async (request, reply) => {
    const everyone = request.query.view === 'team';
    const load = await caseload(db, actorOf(request), request.ip, { everyone, via: everyone ? 'team_page' : 'page' });
    return reply.page('social-prescribing/caseload.njk', { title: 'Caseload', width: 'full', load, everyone, labels });
  });

  r.get('/social-prescribing/search', { preHandler: caseload$, schema: { hide: true, querystring: PeopleSearchQuery } }, async (request, reply) => {
    const values = request.query;
    const form = values.q === undefined ? null : validateForm(PeopleSearchForm, values);
    const results = form?.ok ? await searchCaseload(db, actorOf(request), form.data.q, request.ip) : null;
    if (form && !form.ok) reply.status(422);
    return reply.page('social-prescribing/search.njk', { title: 'Find a person', backHref: '/social-prescribing', values, errors: form && !form.ok ? form.errors : undefined, results, labels });
  });

  r.get('/social-prescribing/closed', { preHandler: caseload$, schema: { hide: true } }, async (request, reply) => {
    const rows = await closedCases(db, actorOf(request), request.ip);
    return reply.page('social-prescribing/closed.njk', { title: 'Closed cases', width: 'full', backHref: '/social-prescribing', rows });
  });

  r.get('/social-prescribing/cases/:id', page, async (request, reply) => renderCasePage(db, request, reply, request.params.id));

  /** Every form on the case page: back to the case, or the case page again with that form's errors. */
  const caseForm = <S extends z.ZodType>(path: string, form: CaseForm, schema: S, save: (request: FastifyRequest, id: string, data: z.infer<S>) => Promise<unknown>, flash: string) =>
    postCaseForm(app, path, caseload$, {
      schema,
      save,
      redisplay: (request, reply, id, input, errors) => renderCasePage(db, request, reply, id, { values: input, errors, form }),
      redirect: (id) => `/social-prescribing/cases/${id}`,
      flash,
    });

  caseForm('status', 'status', CaseStatusForm, (request, id, data) => changeCaseStatus(db, actorOf(request), id, data, request.ip), 'Case status saved.');
  caseForm('reassign', 'reassign', ReassignForm, (request, id, data) => reassignCase(db, actorOf(request), id, data, request.ip), 'Case reassigned.');
  caseForm('contacts', 'contact', ContactForm, (request, id, data) => recordContact(db, actorOf(request), id, data, request.ip), 'Contact recorded.');
  caseForm(
    'follow-ups',
    'followUp',
    FollowUpForm,
    (request, id, data) => addFollowUp(db, actorOf(request), id, { description: data.description, dueOn: data.dueOn, repeatsWeekly: data.repeatsWeekly === 'yes' }, request.ip),
    'Follow-up saved.',
  );

  for (const action of ['done', 'stop'] as const) {
    r.post(`/social-prescribing/follow-ups/:id/${action}`, page, async (request, reply) => {
      const followUpId = request.params.id;
      const { followUp } = await followUpForTeam(db, actorOf(request), followUpId);
      return submitForm(reply, {
        schema: FollowUpActionForm,
        input: formBody(request),
        save: async (form) => ({ caseId: await completeFollowUp(db, actorOf(request), followUpId, action, request.ip), returnTo: form.returnTo }),
        redisplay: (errors) => renderCasePage(db, request, reply, followUp.caseId, { errors }),
        anchor: 'follow-ups',
        done: ({ caseId, returnTo }) =>
          returnTo === 'caseload'
            ? { redirect: '/social-prescribing', flash: 'Follow-up saved.' }
            : { redirect: `/social-prescribing/cases/${caseId}`, flash: action === 'done' ? 'Follow-up done.' : 'Follow-up stopped.' },
      });
    });
  }

  // ---- JSON API ------------------------------------------------------------------------------

  const api = { preHandler: allow(canUseCaseload, apiRefusal) };

  r.get('/api/v1/social-prescribing/caseload', { ...api, schema: { summary: 'Your caseload: new referrals, contacts due today and overdue, open cases', tags, security, response: { 200: ApiCaseload } } }, async (request) => {
    const load = await caseload(db, actorOf(request), request.ip, { via: 'api' });
    return {
      today: load.today,
      newReferrals: load.newReferrals.map((n) => ({ id: n.id, personId: n.personId, personName: n.personName, source: n.source, receivedOn: n.receivedOn, reasons: n.reasons })),
      dueToday: load.dueToday.map(apiCaseSummary),
      overdue: load.overdue.map(apiCaseSummary),
      openCases: load.openCases.map(apiCaseSummary),
    };
  });

  r.get('/api/v1/social-prescribing/cases/:id', { ...api, schema: { summary: 'Read a case with its contacts, follow-ups and onward referrals', tags, security, params: IdParams, response: { 200: ApiCase } } }, async (request) => {
    const v = await viewCase(db, actorOf(request), request.params.id, request.ip);
    const today = ukToday();
    return {
      id: v.case.id,
      status: v.case.status,
      version: v.case.version,
      closedReason: v.case.closedReason,
      openedOn: v.case.openedOn,
      closedOn: v.case.closedOn,
      linkWorkerId: v.case.linkWorkerId,
      person: apiPerson(v.person, v.consents),
      contacts: v.contacts.map((c) => ({ id: c.id, method: c.method, outcome: c.outcome, contactedOn: c.contactedOn, durationMinutes: c.durationMinutes, notes: c.notes })),
      followUps: v.followUps.map((f) => ({ id: f.id, description: f.description, dueOn: f.dueOn, repeatsWeekly: f.repeatsWeekly, status: f.status })),
      onwardReferrals: v.onward.map((o) => presentOnward(o, today)).map((o) => ({ id: o.id, kind: o.kind, serviceName: o.serviceName, organisationName: o.organisationName, sentOn: o.sentOn, status: o.shownStatus, attendance: o.attendance })),
    };
  });

  r.post(
    '/api/v1/social-prescribing/cases/:id/contacts',
    { ...api, schema: { summary: 'Record a contact with the person', tags, security, params: IdParams, body: ApiContactCreate, response: { 201: z.object({ id: z.string() }) } } },
    async (request, reply) => {
      const id = await recordContact(db, actorOf(request), request.params.id, request.body, request.ip);
      return reply.status(201).send({ id });
    },
  );
}
