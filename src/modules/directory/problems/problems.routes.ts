import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf, allow, signedIn } from '../../../platform/http/access.ts';
import type { AppContext } from '../../../platform/http/app.ts';
import { formBody, submitForm, type FieldError } from '../../../platform/http/forms.ts';
import { paginate, withQuery } from '../../../platform/http/pagination.ts';
import { withPublicFormLimit } from '../../../platform/http/public-form-limit.ts';
import { canSeeProblemReports } from '../directory.policy.ts';
import { PAGE_SIZE } from '../listings/review.service.ts';
import { IdParams, MAX_DETAILS, ProblemReportForm, problemReasons, ProblemsQuery, ResolveProblemForm } from './problems.schemas.ts';
import { problemReport, problemReportsFor, PROBLEMS_ARE_FOR, reportProblem, resolveProblem, serviceToReport } from './problems.service.ts';

/* Reporting a problem with a listing (anyone), and resolving reports (its editors, admins). */

/** Anonymous reports from one address: enough for real use, too few for a flood. */
const REPORTS_PER_WINDOW = 5;
const REPORT_WINDOW = '10 minutes';

const reasons = Object.entries(problemReasons).map(([value, text]) => ({ value, text }));

export function registerProblemsRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;
  const pages = app.withTypeProvider<ZodTypeProvider>();

  const reportPage = (service: { serviceName: string; organisationName: string }, id: string, values: Record<string, unknown>, errors?: FieldError[]) => ({
    title: `Report a problem with ${service.serviceName}`,
    service,
    serviceId: id,
    reasons,
    maxDetails: MAX_DETAILS,
    values,
    errors,
    backHref: `/directory/services/${id}`,
  });

  pages.get('/directory/services/:id/report-a-problem', { schema: { hide: true, params: IdParams } }, async (request, reply) => {
    const { id } = request.params;
    return reply.page('directory/report-a-problem.njk', reportPage(await serviceToReport(db, id), id, {}));
  });

  withPublicFormLimit(app, { max: REPORTS_PER_WINDOW, window: REPORT_WINDOW, title: 'You have sent too many reports', what: 'reports' }, (scoped, rateLimit) => {
    scoped.withTypeProvider<ZodTypeProvider>().post(
      '/directory/services/:id/report-a-problem',
      { schema: { hide: true, params: IdParams }, config: { rateLimit } },
      async (request, reply) => {
        const { id } = request.params;
        const service = await serviceToReport(db, id);
        const input = formBody(request);
        return submitForm(reply, {
          schema: ProblemReportForm,
          input,
          save: (report) => reportProblem(db, context, id, report),
          redisplay: (errors) => reply.page('directory/report-a-problem.njk', reportPage(service, id, input, errors)),
          done: () => ({ redirect: `/directory/services/${id}/report-a-problem/sent` }),
        });
      },
    );
  });

  pages.get('/directory/services/:id/report-a-problem/sent', { schema: { hide: true, params: IdParams } }, async (request, reply) => {
    const { id } = request.params;
    const service = await serviceToReport(db, id);
    return reply.page('directory/problem-reported.njk', { title: 'Thank you for your report', service, serviceId: id });
  });

  pages.get('/directory/problems', { preHandler: allow(canSeeProblemReports, PROBLEMS_ARE_FOR), schema: { hide: true, querystring: ProblemsQuery } }, async (request, reply) => {
    const { page, done } = request.query;
    const list = await problemReportsFor(db, actorOf(request), { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
    return reply.page('directory/problems.njk', {
      title: 'Problem reports',
      ...list,
      problemReasons,
      pagination: paginate(list.total, page, PAGE_SIZE, (p) => withQuery('/directory/problems', { page: p })),
      // After resolving one (?done=resolved): a fixed message, so no text from the address is shown.
      flash: done === 'resolved' ? 'The report has been marked as resolved.' : undefined,
      width: 'full',
    });
  });

  const showPage = (report: Awaited<ReturnType<typeof problemReport>>, values: Record<string, unknown>, errors?: FieldError[]) => ({
    title: `Problem with ${report.serviceName ?? 'a listing'}`,
    report,
    reason: problemReasons[report.reason],
    values,
    errors,
    backHref: '/directory/problems',
  });

  pages.get('/directory/problems/:id', { preHandler: signedIn, schema: { hide: true, params: IdParams } }, async (request, reply) => {
    const report = await problemReport(db, actorOf(request), request.params.id);
    return reply.page('directory/problem.njk', showPage(report, {}));
  });

  pages.post('/directory/problems/:id/resolve', { preHandler: signedIn, schema: { hide: true, params: IdParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const { id } = request.params;
    const report = await problemReport(db, actor, id);
    const input = formBody(request);
    return submitForm(reply, {
      schema: ResolveProblemForm,
      input,
      save: ({ note }) => resolveProblem(db, context.mailer, actor, id, note),
      redisplay: (errors) => reply.page('directory/problem.njk', showPage(report, { note: input.note }, errors)),
      done: () => ({ redirect: '/directory/problems?done=resolved' }),
    });
  });
}
