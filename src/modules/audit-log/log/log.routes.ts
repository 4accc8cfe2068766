import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { stringify } from 'csv-stringify';
import type { Actor } from '../../../platform/actor.ts';
import { spreadsheetSafe } from '../../../platform/csv.ts';
import { ukToday } from '../../../platform/dates.ts';
import type { AppContext } from '../../../platform/http/app.ts';
import { actorOf, allow } from '../../../platform/http/access.ts';
import { blankToUndefined, validateForm, type FieldError } from '../../../platform/http/forms.ts';
import { paginate, withQuery } from '../../../platform/http/pagination.ts';
import { canViewAuditLog } from '../audit-log.policy.ts';
import { AuditFilter, AuditFilterQuery, AuditPage, FILTER_KEYS } from './log.schemas.ts';
import { auditFilterChoices, exportAuditLog, viewAuditLog } from './log.service.ts';

type FilterValues = Partial<Record<(typeof FILTER_KEYS)[number], string>>;

/** The query string as the form sent it: blanks as absent. */
const filterValues = (query: FilterValues): FilterValues =>
  Object.fromEntries(FILTER_KEYS.map((k) => [k, blankToUndefined(query[k]) as string | undefined]));

const humanise = (action: string) => action.replace(/_/g, ' ');

/** Details as "key: value" lines; nested values stay JSON so nothing is hidden. */
function detailLines(details: Record<string, unknown> | null): { key: string; value: string }[] {
  return Object.entries(details ?? {}).map(([key, value]) => ({ key, value: typeof value === 'string' ? value : JSON.stringify(value) }));
}

const forReviewers = allow(canViewAuditLog);

export function registerAuditLogRoutes(app: FastifyInstance, { db }: AppContext) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  async function renderPage(reply: FastifyReply, actor: Actor, values: FilterValues, errors?: FieldError[], result?: Awaited<ReturnType<typeof viewAuditLog>>) {
    const choices = await auditFilterChoices(db, actor);
    const { page: _page, ...filters } = values;
    return reply.page('audit-log/audit.njk', {
      title: 'Audit log',
      width: 'full',
      errors,
      values,
      personItems: [{ value: '', text: 'Anyone' }, ...choices.people.map((p) => ({ value: p.id, text: p.name }))],
      recordTypeItems: [{ value: '', text: 'Any' }, ...choices.recordTypes.map((t) => ({ value: t, text: humanise(t) }))],
      actionItems: [{ value: '', text: 'Any' }, ...choices.actions.map((a) => ({ value: a, text: humanise(a) }))],
      entries: result?.rows.map((r) => ({ ...r, actionText: humanise(r.action), recordTypeText: humanise(r.recordType), detailLines: detailLines(r.details) })),
      total: result?.total,
      firstShown: result ? (result.page - 1) * result.pageSize + 1 : 0,
      lastShown: result ? (result.page - 1) * result.pageSize + result.rows.length : 0,
      csvHref: withQuery('/admin/audit.csv', filters),
      pagination: result ? paginate(result.total, result.page, result.pageSize, (p) => withQuery('/admin/audit', { ...filters, page: p })) : undefined,
      filterHref: (extra: Record<string, string>) => withQuery('/admin/audit', extra),
    });
  }

  // The filters are a form on the page: a bad date shows the form again with the error summary.
  api.get('/admin/audit', { preHandler: forReviewers, schema: { hide: true, querystring: AuditFilterQuery } }, async (request, reply) => {
    const actor = actorOf(request);
    const values = filterValues(request.query);
    const form = validateForm(AuditFilter, values);
    if (!form.ok) return renderPage(reply.status(422), actor, values, form.errors);
    const result = await viewAuditLog(db, actor, form.data, request.ip, 'page');
    return renderPage(reply, actor, values, undefined, result);
  });

  api.get('/admin/audit.csv', { preHandler: forReviewers, schema: { hide: true, querystring: AuditFilterQuery } }, async (request, reply) => {
    const actor = actorOf(request);
    const values = filterValues(request.query);
    const form = validateForm(AuditFilter, values);
    if (!form.ok) return renderPage(reply.status(422), actor, values, form.errors);
    const entries = await exportAuditLog(db, actor, form.data, request.ip);
    const rows = Readable.from(
      (async function* () {
        for await (const r of entries) {
          yield [new Date(r.at).toISOString(), spreadsheetSafe(r.actorName), r.actorUserId ?? '', spreadsheetSafe(r.action), spreadsheetSafe(r.recordType), spreadsheetSafe(r.recordId), spreadsheetSafe(r.ip), spreadsheetSafe(JSON.stringify(r.details ?? {}))];
        }
      })(),
    );
    const csv = rows.pipe(stringify({ header: true, columns: ['at', 'actor', 'actor id', 'action', 'record type', 'record id', 'ip', 'details'] }));
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="audit-log-${ukToday()}.csv"`)
      .header('cache-control', 'no-store')
      .send(csv);
  });

  api.get(
    '/api/v1/audit',
    {
      preHandler: allow(canViewAuditLog, 'Only partnership admins and information governance leads can read the audit log.'),
      schema: {
        summary: 'Read the audit log',
        description: 'Who did what to which record, newest first, 50 a page. For partnership admins and information governance leads (403 otherwise). Reading it is itself recorded.',
        tags: ['Audit log'],
        security: [{ apiToken: [] }],
        querystring: AuditFilter,
        response: { 200: AuditPage },
      },
    },
    async (request) => {
      const result = await viewAuditLog(db, actorOf(request), request.query, request.ip, 'api');
      return {
        page: result.page,
        pageSize: result.pageSize,
        total: result.total,
        items: result.rows.map((r) => ({ ...r, at: new Date(r.at).toISOString(), details: r.details ?? {} })),
      };
    },
  );
}
