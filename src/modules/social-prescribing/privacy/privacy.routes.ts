import { stringify } from 'csv-stringify/sync';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { spreadsheetSafe } from '../../../platform/csv.ts';
import { ukToday } from '../../../platform/dates.ts';
import type { AppContext } from '../../../platform/http/app.ts';
import { actorOf, allow, signedIn } from '../../../platform/http/access.ts';
import { formBody, submitForm, validateForm, type FieldError } from '../../../platform/http/forms.ts';
import { paginate, withQuery } from '../../../platform/http/pagination.ts';
import { canAnonymise, canReviewAccess, canUseCaseload } from '../social-prescribing.policy.ts';
import { IdParams, NoFields, recordId } from '../social-prescribing.schemas.ts';
import { AccessSearchForm, MergeForm } from './privacy.schemas.ts';
import { anonymisePerson, dueForAnonymising, exportAsRows, exportPerson, findPeopleForReview, mergePeople, previewMerge, whoLookedAt } from './privacy.service.ts';
import { labels } from '../labels.ts';

const csv = (rows: string[][]) => stringify(rows.map((r) => r.map(spreadsheetSafe)));

const AccessQuery = z.object({ q: z.string().optional() });
const PageQuery = z.object({ page: z.coerce.number().int().min(1).max(99_999).catch(1).default(1) });
const MergeQuery = z.object({ with: recordId });

/** Information governance (access review, subject access, anonymising) and merging two records of one person. */
export function registerPrivacyRoutes(app: FastifyInstance, { db, config }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const retentionYears = config.socialPrescribingRetentionYears;
  const reviewers = allow(canReviewAccess);

  r.get('/social-prescribing/access-review', { preHandler: reviewers, schema: { hide: true, querystring: AccessQuery } }, async (request, reply) => {
    const values = request.query;
    const form = validateForm(AccessSearchForm, values);
    const people = form.ok && form.data.q ? await findPeopleForReview(db, actorOf(request), form.data.q, request.ip) : null;
    return reply.page('social-prescribing/access-review.njk', { title: 'Access review', values, errors: form.ok ? undefined : form.errors, people, labels });
  });

  r.get('/social-prescribing/people/:id/access', { preHandler: reviewers, schema: { hide: true, params: IdParams, querystring: PageQuery } }, async (request, reply) => {
    const { id } = request.params;
    const log = await whoLookedAt(db, actorOf(request), id, request.query.page, request.ip);
    return reply.page('social-prescribing/access.njk', {
      title: `Who looked at ${log.person.givenName} ${log.person.familyName}`,
      width: 'full',
      backHref: '/social-prescribing/access-review',
      log,
      entries: log.entries,
      pagination: paginate(log.total, log.page, log.pageSize, (p) => withQuery(`/social-prescribing/people/${id}/access`, { page: p })),
      retentionYears,
    });
  });

  for (const format of ['json', 'csv'] as const) {
    // Any signed-in person may ask; the service lets the IG lead, admins and the person's own team export.
    r.get(`/social-prescribing/people/:id/export.${format}`, { preHandler: signedIn, schema: { hide: true, params: IdParams } }, async (request, reply) => {
      const { id } = request.params;
      const data = await exportPerson(db, actorOf(request), id, format, request.ip);
      reply.header('content-disposition', `attachment; filename="subject-access-${id.slice(0, 8)}-${ukToday()}.${format}"`).header('cache-control', 'no-store');
      if (format === 'json') return reply.type('application/json; charset=utf-8').send(JSON.stringify(data, null, 2));
      return reply.type('text/csv; charset=utf-8').send(csv(exportAsRows(data)));
    });
  }

  async function renderDue(request: FastifyRequest, reply: FastifyReply, errors?: FieldError[]) {
    const due = await dueForAnonymising(db, actorOf(request), retentionYears, request.ip);
    return reply.page('social-prescribing/anonymise.njk', { title: 'Records due for anonymising', width: 'full', due, retentionYears, errors });
  }

  r.get('/social-prescribing/anonymise', { preHandler: allow(canAnonymise), schema: { hide: true } }, async (request, reply) => renderDue(request, reply));

  r.post('/social-prescribing/people/:id/anonymise', { preHandler: allow(canAnonymise), schema: { hide: true, params: IdParams } }, async (request, reply) =>
    submitForm(reply, {
      schema: NoFields,
      input: formBody(request),
      save: () => anonymisePerson(db, actorOf(request), request.params.id, retentionYears, request.ip),
      redisplay: (errors) => renderDue(request, reply, errors),
      anchor: 'records-due',
      done: () => ({ redirect: '/social-prescribing/anonymise', flash: 'The record is anonymised.' }),
    }),
  );

  // ---- merging two records of the same person ------------------------------------------------

  async function renderMerge(request: FastifyRequest, reply: FastifyReply, id: string, duplicateId: string, errors?: FieldError[]) {
    const view = await previewMerge(db, actorOf(request), id, duplicateId, request.ip);
    return reply.page('social-prescribing/merge.njk', {
      title: `Merge two records for ${view.keep.givenName} ${view.keep.familyName}`,
      width: 'full',
      backHref: `/social-prescribing/people/${id}`,
      view,
      errors,
      labels,
    });
  }

  const merging = { preHandler: allow(canUseCaseload), schema: { hide: true, params: IdParams } };

  r.get('/social-prescribing/people/:id/merge', { ...merging, schema: { ...merging.schema, querystring: MergeQuery } }, async (request, reply) => renderMerge(request, reply, request.params.id, request.query.with));

  r.post('/social-prescribing/people/:id/merge', merging, async (request, reply) => {
    const { id } = request.params;
    const input = formBody(request);
    return submitForm(reply, {
      schema: MergeForm,
      input,
      save: (form) => mergePeople(db, actorOf(request), id, form.duplicateId, form.version, request.ip),
      redisplay: (errors) => renderMerge(request, reply, id, String(input.duplicateId ?? ''), errors),
      done: () => ({ redirect: `/social-prescribing/people/${id}`, flash: 'The two records are now one. Cases, contacts, consents and referrals from the other record are on this one.' }),
    });
  });
}
