import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../platform/http/app.ts';
import { validateForm } from '../../../platform/http/forms.ts';
import { withPublicFormLimit } from '../../../platform/http/public-form-limit.ts';
import { pageNumber, paginate, withQuery } from '../../../platform/http/pagination.ts';
import { bodyOf, flashFrom, queryOf, signedIn } from '../listings/page-helpers.ts';
import { PAGE_SIZE } from '../listings/review.service.ts';
import { MAX_DETAILS, ProblemReportForm, problemReasons, ResolveProblemForm } from './problems.schemas.ts';
import { problemReport, problemReportsFor, reportProblem, resolveProblem, serviceToReport } from './problems.service.ts';

/* Reporting a problem with a listing (anyone), and resolving reports (its editors, admins). */

/** Anonymous reports from one address: enough for real use, too few for a flood. */
export const REPORTS_PER_WINDOW = 5;
export const REPORT_WINDOW = '10 minutes';

const reasons = Object.entries(problemReasons).map(([value, text]) => ({ value, text }));

export function registerProblemsRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;
  const hide = { schema: { hide: true } };

  const reportPage = (service: { serviceName: string; organisationName: string }, id: string, values: Record<string, unknown>) => ({
    title: `Report a problem with ${service.serviceName}`,
    service,
    serviceId: id,
    reasons,
    maxDetails: MAX_DETAILS,
    values,
    backHref: `/directory/services/${id}`,
  });

  app.get('/directory/services/:id/report-a-problem', hide, async (request, reply) => {
    const { id } = request.params as { id: string };
    return reply.page('problems/report.njk', reportPage(await serviceToReport(db, id), id, {}));
  });

  withPublicFormLimit(app, { max: REPORTS_PER_WINDOW, window: REPORT_WINDOW, title: 'You have sent too many reports', what: 'reports' }, (scoped, rateLimit) => {
    scoped.post(
      '/directory/services/:id/report-a-problem',
      { schema: { hide: true }, config: { rateLimit } },
      async (request, reply) => {
        const { id } = request.params as { id: string };
        const service = await serviceToReport(db, id);
        const body = bodyOf(request);
        const form = validateForm(ProblemReportForm, body);
        if (!form.ok) {
          const { _csrf, ...values } = body;
          return reply.status(422).page('problems/report.njk', { ...reportPage(service, id, values), errors: form.errors });
        }
        const result = await reportProblem(db, context, id, form.data);
        if (result.mailError) request.log.error({ err: result.mailError, problemReport: result.id }, 'could not email a problem report');
        return reply.redirect(`/directory/services/${id}/report-a-problem/sent`, 303);
      },
    );
  });

  app.get('/directory/services/:id/report-a-problem/sent', hide, async (request, reply) => {
    const { id } = request.params as { id: string };
    const service = await serviceToReport(db, id);
    return reply.page('problems/thank-you.njk', { title: 'Thank you for your report', service, serviceId: id });
  });

  app.get('/directory/problems', hide, async (request, reply) => {
    const actor = signedIn(request, reply);
    if (!actor) return reply;
    const page = pageNumber(queryOf(request).page);
    const list = await problemReportsFor(db, actor, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
    return reply.page('problems/list.njk', {
      title: 'Problem reports',
      ...list,
      problemReasons,
      pagination: paginate(list.total, page, PAGE_SIZE, (p) => withQuery('/directory/problems', { page: p })),
      flash: flashFrom(queryOf(request), { resolved: 'The report has been marked as resolved.' }),
      width: 'full',
    });
  });

  const showPage = (report: Awaited<ReturnType<typeof problemReport>>) => ({
    title: `Problem with ${report.serviceName ?? 'a listing'}`,
    report,
    reason: problemReasons[report.reason],
    backHref: '/directory/problems',
  });

  app.get('/directory/problems/:id', hide, async (request, reply) => {
    const actor = signedIn(request, reply);
    if (!actor) return reply;
    const report = await problemReport(db, actor, (request.params as { id: string }).id);
    return reply.page('problems/show.njk', { ...showPage(report), values: {} });
  });

  app.post('/directory/problems/:id/resolve', hide, async (request, reply) => {
    const actor = signedIn(request, reply);
    if (!actor) return reply;
    const { id } = request.params as { id: string };
    const report = await problemReport(db, actor, id);
    const body = bodyOf(request);
    const form = validateForm(ResolveProblemForm, body);
    if (!form.ok) return reply.status(422).page('problems/show.njk', { ...showPage(report), values: { note: body.note }, errors: form.errors });
    await resolveProblem(db, context.mailer, actor, id, form.data.note);
    return reply.redirect('/directory/problems?done=resolved', 303);
  });
}
