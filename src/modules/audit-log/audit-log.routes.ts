import { spreadsheetSafe } from '../../platform/csv.ts';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { stringify } from 'csv-stringify';
import type { AppContext } from '../../platform/http/app.ts';
import { forbidden } from '../../platform/http/errors.ts';
import { blankToUndefined, validateForm, type FieldError } from '../../platform/http/forms.ts';
import { paginate, withQuery } from '../../platform/http/pagination.ts';
import { requireApiActor, requirePermission } from '../identity/index.ts';
import { canViewAuditLog } from './audit-log.policy.ts';
import type { AuditRow } from './audit-log.repository.ts';
import { AuditFilter, AuditPage } from './audit-log.schemas.ts';
import { auditFilterChoices, exportAuditLog, viewAuditLog } from './audit-log.service.ts';

const FILTER_KEYS = ['userId', 'recordType', 'recordId', 'action', 'from', 'to', 'page'] as const;

/** The query string as the form sent it: known keys only, blanks as absent. */
function filterValues(query: unknown): Record<string, string | undefined> {
  const q = (query ?? {}) as Record<string, unknown>;
  return Object.fromEntries(FILTER_KEYS.map((k) => [k, typeof q[k] === 'string' ? (blankToUndefined(q[k]) as string | undefined) : undefined]));
}

const humanise = (action: string) => action.replace(/_/g, ' ');

/** Details as "key: value" lines; nested values stay JSON so nothing is hidden. */
function detailLines(details: Record<string, unknown> | null): { key: string; value: string }[] {
  return Object.entries(details ?? {}).map(([key, value]) => ({ key, value: typeof value === 'string' ? value : JSON.stringify(value) }));
}


export function registerAuditLogRoutes(app: FastifyInstance, { db }: AppContext) {
  async function renderPage(request: FastifyRequest, reply: FastifyReply, values: Record<string, string | undefined>, errors?: FieldError[], result?: Awaited<ReturnType<typeof viewAuditLog>>) {
    const choices = await auditFilterChoices(db);
    const { page: _page, ...filters } = values;
    return reply.page('audit-log/audit.njk', {
      title: 'Audit log',
      width: 'full',
      errors,
      values,
      personItems: [{ value: '', text: 'Anyone' }, ...choices.people.map((p) => ({ value: p.id, text: p.name }))],
      recordTypeItems: [{ value: '', text: 'Any' }, ...choices.recordTypes.map((t) => ({ value: t, text: humanise(t) }))],
      actionItems: [{ value: '', text: 'Any' }, ...choices.actions.map((a) => ({ value: a, text: humanise(a) }))],
      entries: result?.rows.map((r) => ({ ...r, actionText: humanise(r.action), recordTypeText: humanise(r.record_type), detailLines: detailLines(r.details) })),
      total: result?.total,
      firstShown: result ? (result.page - 1) * result.pageSize + 1 : 0,
      lastShown: result ? (result.page - 1) * result.pageSize + result.rows.length : 0,
      csvHref: withQuery('/admin/audit.csv', filters),
      pagination: result ? paginate(result.total, result.page, result.pageSize, (p) => withQuery('/admin/audit', { ...filters, page: p })) : undefined,
      filterHref: (extra: Record<string, string>) => withQuery('/admin/audit', extra),
    });
  }

  app.get('/admin/audit', { schema: { hide: true } }, async (request, reply) => {
    if (!requirePermission(request, reply, canViewAuditLog)) return reply;
    const values = filterValues(request.query);
    const form = validateForm(AuditFilter, values);
    if (!form.ok) return renderPage(request, reply.status(422), values, form.errors);
    const result = await viewAuditLog(db, request.actor!, form.data, request.ip, 'page');
    return renderPage(request, reply, values, undefined, result);
  });

  app.get('/admin/audit.csv', { schema: { hide: true } }, async (request, reply) => {
    if (!requirePermission(request, reply, canViewAuditLog)) return reply;
    const values = filterValues(request.query);
    const form = validateForm(AuditFilter, values);
    if (!form.ok) return renderPage(request, reply.status(422), values, form.errors);
    const entries = await exportAuditLog(db, request.actor!, form.data, request.ip);
    const rows = Readable.from(
      (async function* () {
        for await (const r of entries as AsyncIterable<AuditRow>) {
          yield [new Date(r.at).toISOString(), spreadsheetSafe(r.actor_name), r.actor_user_id ?? '', spreadsheetSafe(r.action), spreadsheetSafe(r.record_type), spreadsheetSafe(r.record_id), r.ip ?? '', JSON.stringify(r.details ?? {})];
        }
      })(),
    );
    const csv = rows.pipe(stringify({ header: true, columns: ['at', 'actor', 'actor id', 'action', 'record type', 'record id', 'ip', 'details'] }));
    const date = new Date().toISOString().slice(0, 10);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="audit-log-${date}.csv"`)
      .header('cache-control', 'no-store')
      .send(csv);
  });

  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/audit',
    {
      schema: {
        summary: 'Read the audit log',
        description: 'Who did what to which record, newest first, 50 a page. For partnership admins and information governance leads (403 otherwise). Reading it is itself recorded.',
        tags: ['Audit log'],
        security: [{ apiToken: [] }],
        querystring: AuditFilter,
        response: { 200: AuditPage },
      },
    },
    async (request, reply) => {
      const actor = requireApiActor(request, reply);
      if (!canViewAuditLog(actor)) throw forbidden('Only partnership admins and information governance leads can read the audit log.');
      const result = await viewAuditLog(db, actor, request.query, request.ip, 'api');
      return {
        page: result.page,
        pageSize: result.pageSize,
        total: result.total,
        items: result.rows.map((r) => ({
          id: r.id,
          at: new Date(r.at).toISOString(),
          actorUserId: r.actor_user_id,
          actorName: r.actor_name,
          action: r.action,
          recordType: r.record_type,
          recordId: r.record_id,
          ip: r.ip,
          details: r.details ?? {},
        })),
      };
    },
  );
}
