import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../../platform/http/app.ts';
import { actorOf, allow } from '../../../platform/http/access.ts';
import { formBody, submitForm, type FieldError } from '../../../platform/http/forms.ts';
import { drawChart } from '../../../platform/charts.ts';
import { formatDate } from '../../../platform/dates.ts';
import { canUseCaseload } from '../social-prescribing.policy.ts';
import { IdParams } from '../social-prescribing.schemas.ts';
import { AssignForm, CallPlaceQuery, CohortCallForm, CohortQuery, CohortUploadForm, ReassignForm, ShareOutForm, type CohortListPlace } from './cohorts.schemas.ts';
import {
  COHORT_PAGE_SIZE,
  CohortFileProblems,
  assignCohortMembers,
  cohortPcns,
  cohortProgress,
  createCohort,
  listCohorts,
  myCallsDue,
  progressStatuses,
  reassignCohortMember,
  recordCohortCall,
  shareOutCohort,
  viewCohort,
  viewCohortMember,
} from './cohorts.service.ts';
import { callNeeds, directoryNeedOf } from './call-needs.ts';
import { progressChart, progressStatusNames } from './progress-chart.ts';
import { cohortOutcomeNames, labels, options } from '../labels.ts';

export const cohortFilterNames: Record<CohortListPlace['show'], string> = { to_call: 'Still to call', due: 'Calls due', needs_support: 'Needs support', all: 'Everyone' };

/** The list's address for a place in it: filter, worker and page, and the row to land on. */
export function cohortListHref(cohortId: string, place: Partial<CohortListPlace>, anchor?: string): string {
  const query = new URLSearchParams();
  if (place.show && place.show !== 'to_call') query.set('show', place.show);
  if (place.worker) query.set('worker', place.worker);
  if (place.page && place.page > 1) query.set('page', String(place.page));
  const search = query.toString();
  return `/social-prescribing/cohorts/${cohortId}${search ? `?${search}` : ''}${anchor ? `#${anchor}` : ''}`;
}

/** The same place as query parameters, for links and forms that come back to it. */
const placeQuery = (place: Partial<CohortListPlace>) => {
  const query = new URLSearchParams();
  if (place.show) query.set('show', place.show);
  if (place.worker) query.set('worker', place.worker);
  if (place.page) query.set('page', String(place.page));
  return query.toString();
};

/** Outreach cohorts: loading a list of people, sharing it out, working through it, recording calls. */
export function registerCohortsRoutes(app: FastifyInstance, { db }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const caseload = allow(canUseCaseload);

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

  const listPage = { preHandler: caseload, schema: { hide: true, params: IdParams, querystring: CohortQuery } };

  async function renderCohort(request: FastifyRequest, reply: FastifyReply, id: string, place: CohortListPlace, values: Record<string, unknown> = {}, errors?: FieldError[]) {
    const view = await viewCohort(db, actorOf(request), id, place, request.ip);
    const c = view.cohort;
    const chosen = new Set([values.members ?? []].flat());
    const chosenWorkers = new Set([values.workers ?? []].flat());
    return reply.page('social-prescribing/cohort.njk', {
      title: c.name,
      width: 'full',
      backHref: '/social-prescribing/cohorts',
      view,
      place,
      placeQuery: placeQuery(place),
      values,
      errors,
      chosen: [...chosen],
      labels,
      pages: Math.max(1, Math.ceil(view.matching / COHORT_PAGE_SIZE)),
      percent: c.total ? Math.round((c.done / c.total) * 100) : 0,
      // Each row links to its call with the row after it, so saving the call lands there.
      callHrefs: view.members.map((m, i) => `/social-prescribing/cohort-members/${m.id}?${placeQuery({ ...place })}${view.members[i + 1] ? `&next=${view.members[i + 1].id}` : ''}`),
      filters: Object.entries(cohortFilterNames).map(([value, text]) => ({ text, href: cohortListHref(c.id, { show: value as CohortListPlace['show'], worker: place.worker }), current: value === place.show })),
      workerFilters: [
        { text: 'Everyone’s', href: cohortListHref(c.id, { show: place.show }), current: !place.worker },
        ...view.team.map((t) => ({ text: t.id === actorOf(request).userId ? 'Mine' : t.name, href: cohortListHref(c.id, { show: place.show, worker: t.id }), current: place.worker === t.id })),
        { text: 'Nobody’s yet', href: cohortListHref(c.id, { show: place.show, worker: 'none' }), current: place.worker === 'none' },
      ],
      prevHref: place.page > 1 ? cohortListHref(c.id, { ...place, page: place.page - 1 }) : null,
      nextHref: place.page * COHORT_PAGE_SIZE < view.matching ? cohortListHref(c.id, { ...place, page: place.page + 1 }) : null,
      assigneeItems: [{ value: '', text: 'Choose a link worker' }, ...view.team.map((t) => ({ value: t.id, text: t.name, selected: values.assignee === t.id })), { value: 'none', text: 'Nobody (give back to the team)', selected: values.assignee === 'none' }],
      workerItems: view.team.map((t) => ({ value: t.id, text: t.name, checked: chosenWorkers.has(t.id) })),
    });
  }

  r.get('/social-prescribing/cohorts/:id', listPage, async (request, reply) => renderCohort(request, reply, request.params.id, request.query));

  r.post('/social-prescribing/cohorts/:id/assign', listPage, async (request, reply) => {
    const { id } = request.params;
    const place = request.query;
    const input = formBody(request);
    return submitForm(reply, {
      schema: AssignForm,
      input,
      anchor: (field) => (field === 'members' ? 'people' : field),
      save: (form) => assignCohortMembers(db, actorOf(request), id, form, request.ip),
      redisplay: (errors) => renderCohort(request, reply, id, place, input, errors),
      done: ({ changed, to }) => ({ redirect: cohortListHref(id, place, 'people'), flash: `${changed} ${changed === 1 ? 'person' : 'people'} given to ${to}.` }),
    });
  });

  r.post('/social-prescribing/cohorts/:id/share-out', listPage, async (request, reply) => {
    const { id } = request.params;
    const place = request.query;
    const input = formBody(request);
    return submitForm(reply, {
      schema: ShareOutForm,
      input,
      save: (form) => shareOutCohort(db, actorOf(request), id, form, request.ip),
      redisplay: (errors) => renderCohort(request, reply, id, place, input, errors),
      done: ({ shares }) => ({ redirect: cohortListHref(id, place), flash: `Shared out: ${shares.map((s) => `${s.people} to ${s.name}`).join(', ')}.` }),
    });
  });

  r.get('/social-prescribing/cohorts/:id/progress', { preHandler: caseload, schema: { hide: true, params: IdParams } }, async (request, reply) => {
    const progress = await cohortProgress(db, actorOf(request), request.params.id, request.ip);
    return reply.page('social-prescribing/cohort-progress.njk', {
      title: `Progress: ${progress.cohort.name}`,
      width: 'full',
      backHref: `/social-prescribing/cohorts/${progress.cohort.id}`,
      progress,
      statuses: progressStatuses.map((value) => ({ value, text: progressStatusNames[value] })),
      chart: await drawChart(progressChart(progress.cohort.name, progress.workers)),
    });
  });

  const memberPage = { preHandler: caseload, schema: { hide: true, params: IdParams, querystring: CallPlaceQuery } };

  async function renderCall(request: FastifyRequest, reply: FastifyReply, id: string, place: CohortListPlace & { next?: string }, values: Record<string, unknown> = {}, errors?: FieldError[]) {
    const view = await viewCohortMember(db, actorOf(request), id, request.ip);
    const m = view.member;
    const chosenNeeds = new Set([values.needs ?? []].flat());
    const returnQuery = `${placeQuery(place)}${place.next ? `&next=${place.next}` : ''}`;
    return reply.page('social-prescribing/cohort-call.njk', {
      title: `Call ${m.givenName} ${m.familyName}`,
      backHref: cohortListHref(view.cohort.id, place, `member-${m.id}`),
      view,
      values: { weekly: m.weeklyCall ? 'yes' : undefined, ...values },
      version: m.version,
      errors,
      labels,
      returnQuery,
      outcomeItems: options(cohortOutcomeNames, values.outcome),
      needItems: callNeeds.map((n) => ({ value: n.code, text: n.name, hint: { text: `Finds ${directoryNeedOf(n.code)!.need.name.toLowerCase()} services` }, checked: chosenNeeds.has(n.code) })),
      callNeedNames: Object.fromEntries(callNeeds.map((n) => [n.code, n.name])),
      // One step from each need found to the nearest services that meet it: the case's "find support"
      // (distance from the person's postcode, and from there refer), or the directory itself.
      needLinks: view.needsFound.map(({ callNeed, need }) => ({
        text: `${callNeed.name}: ${need.name.toLowerCase()} services nearest ${m.postcode ?? 'them'}`,
        href: m.caseId ? `/social-prescribing/cases/${m.caseId}/connect?need=${need.id}` : `/directory?${new URLSearchParams({ need: need.code, ...(m.postcode ? { postcode: m.postcode } : {}) }).toString()}`,
      })),
      assigneeItems: [...view.team.map((t) => ({ value: t.id, text: t.name, selected: (values.assignee ?? m.assignedTo) === t.id })), { value: 'none', text: 'Nobody (give back to the team)', selected: (values.assignee ?? (m.assignedTo ? undefined : 'none')) === 'none' }],
    });
  }

  r.get('/social-prescribing/cohort-members/:id', memberPage, async (request, reply) => renderCall(request, reply, request.params.id, request.query));

  r.post('/social-prescribing/cohort-members/:id/call', memberPage, async (request, reply) => {
    const { id } = request.params;
    const place = request.query;
    const input = formBody(request);
    return submitForm(reply, {
      schema: CohortCallForm,
      input,
      anchor: (field) => (field === 'needs' ? 'needs' : field === 'form' || field === 'version' ? 'call' : field),
      save: (form) => recordCohortCall(db, actorOf(request), id, form, request.ip),
      redisplay: (errors) => renderCall(request, reply, id, place, input, errors),
      done: (result) => {
        // Back to the same place in the list: the row itself where it stays, else the row after it.
        const stays = place.show === 'all' || (place.show === 'needs_support' && result.caseId);
        const anchor = stays ? `member-${id}` : place.next ? `member-${place.next}` : 'people';
        const weekly = result.nextCallOn ? ` Next wellbeing call: ${formatDate(result.nextCallOn)}.` : '';
        const opened = result.openedCase ? ' A case was opened: find support for their needs from their page.' : '';
        return { redirect: cohortListHref(result.cohortId, place, anchor), flash: `Call to ${result.name} recorded.${opened}${weekly}` };
      },
    });
  });

  r.post('/social-prescribing/cohort-members/:id/assign', memberPage, async (request, reply) => {
    const { id } = request.params;
    const place = request.query;
    const input = formBody(request);
    return submitForm(reply, {
      schema: ReassignForm,
      input,
      anchor: (field) => (field === 'form' || field === 'version' ? 'reassign' : field),
      save: (form) => reassignCohortMember(db, actorOf(request), id, form, request.ip),
      redisplay: (errors) => renderCall(request, reply, id, place, input, errors),
      done: ({ to }) => ({ redirect: `/social-prescribing/cohort-members/${id}?${placeQuery(place)}${place.next ? `&next=${place.next}` : ''}`, flash: `Now called by ${to}.` }),
    });
  });

  r.get('/social-prescribing/calls-due', { preHandler: caseload, schema: { hide: true } }, async (request, reply) => {
    const due = await myCallsDue(db, actorOf(request), request.ip);
    return reply.page('social-prescribing/calls-due.njk', { title: 'Your calls due', width: 'full', due, labels });
  });
}
