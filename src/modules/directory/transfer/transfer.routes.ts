import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Actor } from '../../../platform/actor.ts';
import { actorOf, allow } from '../../../platform/http/access.ts';
import type { AppContext } from '../../../platform/http/app.ts';
import { formBody, submitForm, type FieldError } from '../../../platform/http/forms.ts';
import { canManageDirectory } from '../directory.policy.ts';
import { downloadDirectory, exportFormats } from './export.service.ts';
import { ImportForm, RunParams } from './transfer.schemas.ts';
import { recentImports, startFeedImport, startFileImport, viewImportRun } from './transfer.service.ts';

const TITLE = 'Import and export the directory';

/** Partnership admins import records from files and feeds, and download the whole directory. */
export function registerTransferRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;
  const api = app.withTypeProvider<ZodTypeProvider>();
  const admin = allow(canManageDirectory);

  const importPage = async (reply: FastifyReply, actor: Actor, values: Record<string, unknown>, errors?: FieldError[]) =>
    reply.page('directory/import.njk', { title: TITLE, width: 'full', values, errors, runs: await recentImports(db, actor) });

  api.get('/directory/import', { preHandler: admin, schema: { hide: true } }, async (request, reply) => importPage(reply, actorOf(request), { source: 'file' }));

  api.post('/directory/import', { preHandler: admin, schema: { hide: true } }, async (request, reply) => {
    const actor = actorOf(request);
    const input = formBody(request);
    return submitForm(reply, {
      schema: ImportForm,
      input,
      save: async (form) => {
        const started =
          form.source === 'file'
            ? await startFileImport(db, actor, form.file as Buffer, { format: form.format })
            : await startFeedImport(db, actor, form.feedUrl!);
        // The import goes on after this response; its page shows how it is going.
        started.done.catch((error: unknown) => request.log.error({ err: error }, 'import failed'));
        return started;
      },
      redisplay: (errors) => importPage(reply, actor, { source: input.source, format: input.format, feedUrl: input.feedUrl }, errors),
      done: (started) => ({ redirect: `/directory/import/${started.runId}` }),
    });
  });

  api.get('/directory/import/:runId', { preHandler: admin, schema: { hide: true, params: RunParams } }, async (request, reply) => {
    const { run, stalled } = await viewImportRun(db, actorOf(request), request.params.runId);
    return reply.page('directory/run.njk', { title: `Import from ${run.source}`, width: 'full', backHref: '/directory/import', run, stalled });
  });

  for (const format of exportFormats) {
    api.get(`/directory/export.${format}`, { preHandler: admin, schema: { hide: true } }, async (request, reply) => {
      const download = downloadDirectory(db, actorOf(request), format);
      return reply
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
        .header('content-disposition', `attachment; filename="${download.fileName}"`)
        .send(Readable.from(download.lines));
    });
  }
}
