import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { stringify } from 'csv-stringify/sync';
import { spreadsheetSafe } from '../../../platform/csv.ts';
import type { AppContext } from '../../../platform/http/app.ts';
import { actorOf, allow } from '../../../platform/http/access.ts';
import { canManageSharing } from '../information-sharing.policy.ts';
import { EvidenceQuery } from './evidence.schemas.ts';
import { evidenceColumns, evidenceReport, evidenceRows } from './evidence.service.ts';

/** The Data Security and Protection Toolkit evidence report: page and CSV. */
export function registerEvidenceRoutes(app: FastifyInstance, { db }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const managers = allow(canManageSharing, 'Only information governance leads and partnership admins can see the toolkit evidence.');

  r.get('/sharing/evidence', { preHandler: managers, schema: { hide: true, querystring: EvidenceQuery } }, async (request, reply) => {
    const report = await evidenceReport(db, actorOf(request), request.query, request.ip);
    return reply.page('information-sharing/evidence.njk', { title: 'Evidence for the Data Security and Protection Toolkit', width: 'full', ...report, csvHref: `/sharing/evidence.csv?from=${report.from}&to=${report.to}` });
  });

  r.get('/sharing/evidence.csv', { preHandler: managers, schema: { hide: true, querystring: EvidenceQuery } }, async (request, reply) => {
    const report = await evidenceReport(db, actorOf(request), request.query, request.ip);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="dspt-evidence-${report.on}.csv"`)
      .send(stringify(evidenceRows(report).map((row) => row.map(spreadsheetSafe)), { header: true, columns: evidenceColumns }));
  });
}
