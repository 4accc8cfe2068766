import { stringify } from 'csv-stringify/sync';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { spreadsheetSafe } from '../../../platform/csv.ts';
import type { AppContext } from '../../../platform/http/app.ts';
import { actorOf, allow } from '../../../platform/http/access.ts';
import { validateForm } from '../../../platform/http/forms.ts';
import { withQuery } from '../../../platform/http/pagination.ts';
import { canSeeReports } from '../social-prescribing.policy.ts';
import { ReportForm } from './reports.schemas.ts';
import { buildReport, reportPcns, reportRows } from './reports.service.ts';
import { reportCharts } from './reports.charts.ts';

const csv = (rows: string[][]) => stringify(rows.map((r) => r.map(spreadsheetSafe)));

/** The report's filters as sent; checked with ReportForm so the page can show the errors. */
const ReportQuery = z.object({ pcnId: z.string().optional(), from: z.string().optional(), to: z.string().optional() });

/** The commissioner's report, as a page with charts and tables, and as CSV. */
export function registerReportsRoutes(app: FastifyInstance, { db }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const reports = { preHandler: allow(canSeeReports), schema: { hide: true, querystring: ReportQuery } };

  async function loadReport(request: FastifyRequest, values: z.infer<typeof ReportQuery>) {
    const form = validateForm(ReportForm, values);
    const report = await buildReport(db, actorOf(request), form.ok ? form.data : {}, request.ip);
    return { form, report };
  }

  r.get('/social-prescribing/reports', reports, async (request, reply) => {
    const values = request.query;
    const { form, report } = await loadReport(request, values);
    const { wholePartnership, pcns } = await reportPcns(db, actorOf(request));
    if (!form.ok) reply.status(422);
    return reply.page('social-prescribing/reports.njk', {
      title: 'Social prescribing report',
      width: 'full',
      values: { from: report.from, to: report.to, ...values },
      errors: form.ok ? undefined : form.errors,
      report,
      pcnItems: [...(wholePartnership ? [{ value: 'all', text: 'The whole partnership' }] : []), ...pcns.map((p) => ({ value: p.id, text: p.name, selected: p.id === values.pcnId }))],
      csvHref: withQuery('/social-prescribing/reports.csv', { pcnId: values.pcnId, from: report.from, to: report.to }),
      ...(await reportCharts(report)),
    });
  });

  r.get('/social-prescribing/reports.csv', reports, async (request, reply) => {
    const { report } = await loadReport(request, request.query);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="social-prescribing-${report.from}-to-${report.to}.csv"`)
      .header('cache-control', 'no-store')
      .send(csv(reportRows(report)));
  });
}
