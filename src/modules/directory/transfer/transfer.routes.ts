import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../platform/http/app.ts';
import { notFound } from '../../../platform/http/errors.ts';
import { validateForm, type FieldError } from '../../../platform/http/forms.ts';
import { requirePermission } from '../../identity/index.ts';
import { canManageDirectory } from '../directory.policy.ts';
import { isUuid } from '../../../platform/ids.ts';
import { exportDirectory, type ExportFormat } from './export.service.ts';
import { ImportForm } from './transfer.schemas.ts';
import { findImportRun, ImportProblem, recentImports, startFeedImport, startFileImport } from './transfer.service.ts';

const TITLE = 'Import and export the directory';
/** A running import that has not moved for this long has stopped (its process ended). */
const STALLED_AFTER_MS = 10 * 60 * 1000;

/** Partnership admins import records from files and feeds, and download the whole directory. */
export function registerTransferRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;
  const admin = (request: FastifyRequest, reply: FastifyReply) => requirePermission(request, reply, canManageDirectory);

  const importPage = async (reply: FastifyReply, values: Record<string, unknown>, errors?: FieldError[]) =>
    reply.status(errors ? 422 : 200).page('transfer/import.njk', { title: TITLE, width: 'full', values, errors, runs: await recentImports(db) });

  app.get('/directory/import', { schema: { hide: true } }, async (request, reply) => {
    if (!admin(request, reply)) return reply;
    return importPage(reply, { source: 'file' });
  });

  app.post('/directory/import', { schema: { hide: true } }, async (request, reply) => {
    if (!admin(request, reply)) return reply;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = { source: body.source, format: body.format, feedUrl: body.feedUrl };
    const form = validateForm(ImportForm, body);
    if (!form.ok) return importPage(reply, values, form.errors);
    const startedBy = request.actor;
    try {
      const started =
        form.data.source === 'file'
          ? await startFileImport(db, (form.data.file as Buffer).toString('utf8'), { format: form.data.format, startedBy })
          : await startFeedImport(db, form.data.feedUrl!, { startedBy });
      // The import goes on after this response; its page shows how it is going.
      started.done.catch((error: unknown) => request.log.error({ err: error }, 'import failed'));
      return reply.redirect(`/directory/import/${started.runId}`, 303);
    } catch (error) {
      if (error instanceof ImportProblem) return importPage(reply, values, [{ field: 'file', message: error.message }]);
      throw error;
    }
  });

  app.get('/directory/import/:runId', { schema: { hide: true } }, async (request, reply) => {
    if (!admin(request, reply)) return reply;
    const { runId } = request.params as { runId: string };
    const run = isUuid(runId) ? await findImportRun(db, runId) : null;
    if (!run) throw notFound('Import');
    const stalled = run.status === 'running' && Date.now() - new Date(run.updated_at).getTime() > STALLED_AFTER_MS;
    return reply.page('transfer/run.njk', { title: `Import from ${run.source}`, width: 'full', backHref: '/directory/import', run, stalled });
  });

  for (const format of ['csv', 'ndjson'] as ExportFormat[]) {
    app.get(`/directory/export.${format}`, { schema: { hide: true } }, async (request, reply) => {
      if (!admin(request, reply)) return reply;
      const day = new Date().toISOString().slice(0, 10);
      return reply
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
        .header('content-disposition', `attachment; filename="directory-${day}.${format}"`)
        .send(Readable.from(exportDirectory(db, format)));
    });
  }
}
