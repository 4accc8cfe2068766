import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../../platform/http/app.ts';
import { actorOf, allow } from '../../../platform/http/access.ts';
import { formBody, submitForm, type FieldError } from '../../../platform/http/forms.ts';
import { ukToday } from '../../../platform/dates.ts';
import { canManageMeasures, canUseCaseload } from '../social-prescribing.policy.ts';
import { IdParams } from '../social-prescribing.schemas.ts';
import { MeasureUploadForm, measurementFormFor } from './measures.schemas.ts';
import { listLoadedMeasures, loadMeasureDefinition, measureChoices, recordMeasurement, viewMeasures } from './measures.service.ts';
import { labels, options, stageNames } from '../labels.ts';

const MeasuresQuery = z.object({ measure: z.string().optional() });

/** Outcome measures on a case, and loading licensed measures (partnership admins). */
export function registerMeasuresRoutes(app: FastifyInstance, { db }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const page = { preHandler: allow(canUseCaseload), schema: { hide: true, params: IdParams } };

  async function renderMeasures(request: FastifyRequest, reply: FastifyReply, id: string, measure: string | undefined, values: Record<string, unknown> = {}, errors?: FieldError[]) {
    const view = await viewMeasures(db, actorOf(request), id, request.ip);
    const code = String(values.measure ?? measure ?? 'ons4');
    const chosen = view.choices.find((c) => c.code === code) ?? view.choices[0];
    // The person's measures from earlier cases show too; this case's first measure is its start.
    const stage = view.summaries.some((s) => s.taken.some((t) => t.caseId === view.case.id)) ? 'review' : 'start';
    return reply.page('social-prescribing/measures.njk', {
      title: `Outcome measures: ${view.person.givenName} ${view.person.familyName}`,
      width: 'full',
      backHref: `/social-prescribing/cases/${id}`,
      view,
      chosen,
      values: { takenOn: ukToday(), stage, ...values },
      errors,
      labels,
      stageItems: options(stageNames, values.stage ?? stage),
    });
  }

  r.get('/social-prescribing/cases/:id/measures', { ...page, schema: { ...page.schema, querystring: MeasuresQuery } }, async (request, reply) => renderMeasures(request, reply, request.params.id, request.query.measure));

  r.post('/social-prescribing/cases/:id/measures', page, async (request, reply) => {
    const { id } = request.params;
    const input = formBody(request);
    return submitForm(reply, {
      schema: measurementFormFor(await measureChoices(db)),
      input,
      save: (form) => recordMeasurement(db, actorOf(request), id, form, request.ip),
      redisplay: (errors) => renderMeasures(request, reply, id, undefined, input, errors),
      done: () => ({ redirect: `/social-prescribing/cases/${id}/measures`, flash: 'Measure recorded.' }),
    });
  });

  // ---- loaded measures (admins) -----------------------------------------------------------

  const admin = { preHandler: allow(canManageMeasures), schema: { hide: true } };

  async function renderMeasureAdmin(request: FastifyRequest, reply: FastifyReply, values: Record<string, unknown> = {}, errors?: FieldError[]) {
    return reply.page('social-prescribing/measure-definitions.njk', { title: 'Outcome measures', values, errors, loaded: await listLoadedMeasures(db, actorOf(request)) });
  }

  r.get('/social-prescribing/measures', admin, async (request, reply) => renderMeasureAdmin(request, reply));

  r.post('/social-prescribing/measures', admin, async (request, reply) => {
    const { code, name, file } = formBody(request);
    return submitForm(reply, {
      schema: MeasureUploadForm,
      input: { code, name, file },
      save: (form) => loadMeasureDefinition(db, actorOf(request), { code: form.code, name: form.name, content: form.file }, request.ip),
      redisplay: (errors) => renderMeasureAdmin(request, reply, { code, name }, errors),
      done: () => ({ redirect: '/social-prescribing/measures', flash: 'Measure loaded.' }),
    });
  });
}
