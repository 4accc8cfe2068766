import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/http/app.ts';
import { validateForm, type FieldError } from '../../platform/http/forms.ts';
import { requirePermission } from '../identity/index.ts';
import * as measures from './measures.service.ts';
import * as cohorts from './cohorts.service.ts';
import { listPcns } from './social-prescribing.service.ts';
import { canManageMeasures, caseloadScope } from './social-prescribing.policy.ts';
import { CohortCallForm, CohortUploadForm, MeasureDefinitionForm, MeasurementForm } from './social-prescribing.schemas.ts';
import { asFormErrors, formValues, requireCaseload } from './route-helpers.ts';
import { cohortOutcomeNames, labels, options, stageNames } from './labels.ts';
import { flashFor } from './casework.routes.ts';
import { ukToday } from './dates.ts';

/** An uploaded file arrives as a Buffer (multipart); a pasted one as text. */
function fileText(value: unknown): string {
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (typeof value === 'string') return value;
  return '';
}

/** Outcome measures on a case, loading licensed measures, and outreach cohorts. */
export function registerOutcomesRoutes(app: FastifyInstance, { db }: AppContext) {
  const page = { schema: { hide: true } };

  async function renderMeasures(request: FastifyRequest, reply: FastifyReply, id: string, values: Record<string, unknown> = {}, errors?: FieldError[]) {
    const view = await measures.viewMeasures(db, request.actor!, id, request.ip);
    const code = String(values.measure ?? (request.query as Record<string, unknown>).measure ?? 'ons4');
    const chosen = view.choices.find((c) => c.code === code) ?? view.choices[0];
    // The person's measures from earlier cases show too; this case's first measure is its start.
    const stage = view.summaries.some((s) => s.taken.some((t) => t.case_id === view.case.id)) ? 'review' : 'start';
    return reply.page('social-prescribing/measures.njk', {
      title: `Outcome measures: ${view.person.given_name} ${view.person.family_name}`,
      width: 'full',
      backHref: `/social-prescribing/cases/${id}`,
      view,
      chosen,
      values: { takenOn: ukToday(), stage, ...values },
      errors,
      labels,
      flash: flashFor(request),
      stageItems: options(stageNames, values.stage ?? stage),
    });
  }

  app.get('/social-prescribing/cases/:id/measures', page, async (request, reply) => {
    if (!requireCaseload(request, reply)) return reply;
    return renderMeasures(request, reply, (request.params as { id: string }).id);
  });

  app.post('/social-prescribing/cases/:id/measures', page, async (request, reply) => {
    if (!requireCaseload(request, reply)) return reply;
    const id = (request.params as { id: string }).id;
    const values = formValues(request.body);
    const form = validateForm(MeasurementForm, values);
    const choice = (await measures.measureChoices(db)).find((c) => c.code === values.measure);
    const answers = choice ? measures.readAnswers(choice, values) : { errors: [{ field: 'measure', message: 'Choose a measure from the list' }] };
    const errors = [...(form.ok ? [] : form.errors), ...('errors' in answers ? answers.errors : [])];
    if (!form.ok || 'errors' in answers) return renderMeasures(request, reply.status(422), id, values, errors);
    try {
      await measures.recordMeasurement(db, request.actor!, id, { ...form.data, answers: answers.answers }, request.ip);
    } catch (error) {
      const f = asFormErrors(error, 'takenOn');
      return renderMeasures(request, reply.status(f.status), id, values, f.errors);
    }
    return reply.redirect(`/social-prescribing/cases/${id}/measures?done=measure`, 303);
  });

  // ---- loaded measures (admins) -----------------------------------------------------------

  async function renderMeasureAdmin(request: FastifyRequest, reply: FastifyReply, values: Record<string, unknown> = {}, errors?: FieldError[]) {
    return reply.page('social-prescribing/measure-definitions.njk', { title: 'Outcome measures', values, errors, loaded: await measures.listLoadedMeasures(db), flash: flashFor(request) });
  }

  app.get('/social-prescribing/measures', page, async (request, reply) => {
    if (!requirePermission(request, reply, canManageMeasures)) return reply;
    return renderMeasureAdmin(request, reply);
  });

  app.post('/social-prescribing/measures', page, async (request, reply) => {
    if (!requirePermission(request, reply, canManageMeasures)) return reply;
    const body = formValues(request.body);
    const values = { code: body.code, name: body.name };
    const form = validateForm(MeasureDefinitionForm, values);
    const content = fileText(body.file);
    const errors = form.ok ? [] : form.errors;
    if (!content.trim()) errors.push({ field: 'file', message: 'Choose a JSON or CSV file with the questions and conversion table' });
    if (!form.ok || errors.length) return renderMeasureAdmin(request, reply.status(422), values, errors);
    const result = await measures.loadMeasureDefinition(db, request.actor!, { ...form.data, content }, request.ip);
    if (!result.ok) return renderMeasureAdmin(request, reply.status(422), values, [{ field: 'file', message: result.message }]);
    return reply.redirect('/social-prescribing/measures?done=loaded', 303);
  });

  // ---- cohorts ------------------------------------------------------------------------------

  async function pcnItems(request: FastifyRequest, selected: unknown) {
    const scope = caseloadScope(request.actor);
    const pcns = await listPcns(db, scope === 'all' ? undefined : scope);
    return pcns.map((p) => ({ value: p.id, text: p.name, selected: p.id === selected }));
  }

  app.get('/social-prescribing/cohorts', page, async (request, reply) => {
    if (!requireCaseload(request, reply)) return reply;
    return reply.page('social-prescribing/cohorts.njk', { title: 'Outreach cohorts', width: 'full', cohorts: await cohorts.listCohorts(db, request.actor!) });
  });

  async function renderCohortUpload(request: FastifyRequest, reply: FastifyReply, values: Record<string, unknown> = {}, errors?: FieldError[], rowErrors?: string[]) {
    return reply.page('social-prescribing/cohort-new.njk', { title: 'Load an outreach cohort', backHref: '/social-prescribing/cohorts', values, errors, rowErrors, pcnItems: await pcnItems(request, values.pcnId) });
  }

  app.get('/social-prescribing/cohorts/new', page, async (request, reply) => {
    if (!requireCaseload(request, reply)) return reply;
    return renderCohortUpload(request, reply);
  });

  app.post('/social-prescribing/cohorts/new', page, async (request, reply) => {
    if (!requireCaseload(request, reply)) return reply;
    const body = formValues(request.body);
    const values = { name: body.name, description: body.description, pcnId: body.pcnId };
    const form = validateForm(CohortUploadForm, values);
    const csv = fileText(body.file);
    const errors = form.ok ? [] : [...form.errors];
    if (!csv.trim()) errors.push({ field: 'file', message: 'Choose a CSV file of people to call' });
    if (!form.ok || errors.length) return renderCohortUpload(request, reply.status(422), values, errors);
    try {
      const result = await cohorts.createCohort(db, request.actor!, { ...form.data, csv }, request.ip);
      if (!result.ok) return renderCohortUpload(request, reply.status(422), values, [{ field: 'file', message: 'The file has problems: nothing was loaded. Fix the rows listed below and load it again' }], result.errors);
      return reply.redirect(`/social-prescribing/cohorts/${result.cohortId}`, 303);
    } catch (error) {
      const f = asFormErrors(error, 'pcnId');
      return renderCohortUpload(request, reply.status(f.status), values, f.errors);
    }
  });

  app.get('/social-prescribing/cohorts/:id', page, async (request, reply) => {
    if (!requireCaseload(request, reply)) return reply;
    const query = request.query as Record<string, unknown>;
    const filter = query.show === 'all' ? 'all' : 'to_call';
    const pageNo = typeof query.page === 'string' && /^\d{1,5}$/.test(query.page) && Number(query.page) >= 1 ? Number(query.page) : 1;
    const view = await cohorts.viewCohort(db, request.actor!, (request.params as { id: string }).id, filter, pageNo, request.ip);
    return reply.page('social-prescribing/cohort.njk', {
      title: view.cohort.name,
      width: 'full',
      backHref: '/social-prescribing/cohorts',
      view,
      filter,
      pageNo,
      hasNext: view.members.length === cohorts.COHORT_PAGE_SIZE,
      labels,
      flash: flashFor(request),
      percent: view.cohort.total ? Math.round((view.cohort.done / view.cohort.total) * 100) : 0,
    });
  });

  async function renderCall(request: FastifyRequest, reply: FastifyReply, id: string, values: Record<string, unknown> = {}, errors?: FieldError[]) {
    const view = await cohorts.viewCohortMember(db, request.actor!, id, request.ip);
    return reply.page('social-prescribing/cohort-call.njk', {
      title: `Call ${view.member.given_name} ${view.member.family_name}`,
      backHref: `/social-prescribing/cohorts/${view.cohort.id}`,
      view,
      values,
      errors,
      labels,
      outcomeItems: options(cohortOutcomeNames, values.outcome),
    });
  }

  app.get('/social-prescribing/cohort-members/:id', page, async (request, reply) => {
    if (!requireCaseload(request, reply)) return reply;
    return renderCall(request, reply, (request.params as { id: string }).id);
  });

  app.post('/social-prescribing/cohort-members/:id/call', page, async (request, reply) => {
    if (!requireCaseload(request, reply)) return reply;
    const id = (request.params as { id: string }).id;
    const values = formValues(request.body);
    const form = validateForm(CohortCallForm, values);
    if (!form.ok) return renderCall(request, reply.status(422), id, values, form.errors);
    try {
      const result = await cohorts.recordCohortCall(db, request.actor!, id, form.data, request.ip);
      return reply.redirect(result.caseId ? `/social-prescribing/cases/${result.caseId}?done=call` : `/social-prescribing/cohorts/${result.cohortId}?done=call`, 303);
    } catch (error) {
      const f = asFormErrors(error, 'outcome');
      return renderCall(request, reply.status(f.status), id, values, f.errors);
    }
  });
}
