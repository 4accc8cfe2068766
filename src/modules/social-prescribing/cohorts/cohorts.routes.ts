import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../../platform/http/app.ts';
import { actorOf, allow } from '../../../platform/http/access.ts';
import { formBody, submitForm, type FieldError } from '../../../platform/http/forms.ts';
import { canUseCaseload } from '../social-prescribing.policy.ts';
import { IdParams } from '../social-prescribing.schemas.ts';
import { CohortCallForm, CohortQuery, CohortUploadForm } from './cohorts.schemas.ts';
import { COHORT_PAGE_SIZE, CohortFileProblems, cohortPcns, createCohort, listCohorts, recordCohortCall, viewCohort, viewCohortMember } from './cohorts.service.ts';
import { cohortOutcomeNames, labels, options } from '../labels.ts';

/** Outreach cohorts: loading a list of people to call, working through it, recording calls. */
export function registerCohortsRoutes(app: FastifyInstance, { db }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const caseload = allow(canUseCaseload);
  const page = { preHandler: caseload, schema: { hide: true, params: IdParams } };

  r.get('/social-prescribing/cohorts', { preHandler: caseload, schema: { hide: true } }, async (request, reply) =>
    reply.page('social-prescribing/cohorts.njk', { title: 'Outreach cohorts', width: 'full', cohorts: await listCohorts(db, actorOf(request)) }),
  );

  async function renderCohortUpload(request: FastifyRequest, reply: FastifyReply, values: Record<string, unknown> = {}, errors?: FieldError[], rowErrors?: string[]) {
    const pcns = await cohortPcns(db, actorOf(request));
    return reply.page('social-prescribing/cohort-new.njk', {
      title: 'Load an outreach cohort',
      backHref: '/social-prescribing/cohorts',
      values,
      errors,
      rowErrors,
      pcnItems: pcns.map((p) => ({ value: p.id, text: p.name, selected: p.id === values.pcnId })),
    });
  }

  r.get('/social-prescribing/cohorts/new', { preHandler: caseload, schema: { hide: true } }, async (request, reply) => renderCohortUpload(request, reply));

  r.post('/social-prescribing/cohorts/new', { preHandler: caseload, schema: { hide: true } }, async (request, reply) => {
    const { name, description, pcnId, file } = formBody(request);
    let rowErrors: string[] | undefined;
    return submitForm(reply, {
      schema: CohortUploadForm,
      input: { name, description, pcnId, file },
      save: async (form) => {
        try {
          return await createCohort(db, actorOf(request), { name: form.name, description: form.description, pcnId: form.pcnId, csv: form.file }, request.ip);
        } catch (error) {
          if (error instanceof CohortFileProblems) rowErrors = error.rows;
          throw error;
        }
      },
      redisplay: (errors) => renderCohortUpload(request, reply, { name, description, pcnId }, errors, rowErrors),
      // Tests and people follow the address of the new cohort.
      done: ({ cohortId }) => ({ redirect: `/social-prescribing/cohorts/${cohortId}` }),
    });
  });

  r.get('/social-prescribing/cohorts/:id', { preHandler: caseload, schema: { hide: true, params: IdParams, querystring: CohortQuery } }, async (request, reply) => {
    const filter = request.query.show === 'all' ? 'all' : 'to_call';
    const pageNo = request.query.page;
    const view = await viewCohort(db, actorOf(request), request.params.id, filter, pageNo, request.ip);
    return reply.page('social-prescribing/cohort.njk', {
      title: view.cohort.name,
      width: 'full',
      backHref: '/social-prescribing/cohorts',
      view,
      filter,
      pageNo,
      hasNext: view.members.length === COHORT_PAGE_SIZE,
      labels,
      percent: view.cohort.total ? Math.round((view.cohort.done / view.cohort.total) * 100) : 0,
    });
  });

  async function renderCall(request: FastifyRequest, reply: FastifyReply, id: string, values: Record<string, unknown> = {}, errors?: FieldError[]) {
    const view = await viewCohortMember(db, actorOf(request), id, request.ip);
    return reply.page('social-prescribing/cohort-call.njk', {
      title: `Call ${view.member.givenName} ${view.member.familyName}`,
      backHref: `/social-prescribing/cohorts/${view.cohort.id}`,
      view,
      values,
      errors,
      labels,
      outcomeItems: options(cohortOutcomeNames, values.outcome),
    });
  }

  r.get('/social-prescribing/cohort-members/:id', page, async (request, reply) => renderCall(request, reply, request.params.id));

  r.post('/social-prescribing/cohort-members/:id/call', page, async (request, reply) => {
    const { id } = request.params;
    const input = formBody(request);
    return submitForm(reply, {
      schema: CohortCallForm,
      input,
      save: (form) => recordCohortCall(db, actorOf(request), id, form, request.ip),
      redisplay: (errors) => renderCall(request, reply, id, input, errors),
      done: (result) => ({ redirect: result.caseId ? `/social-prescribing/cases/${result.caseId}` : `/social-prescribing/cohorts/${result.cohortId}`, flash: 'Call recorded.' }),
    });
  });
}
