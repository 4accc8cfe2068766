import { spreadsheetSafe } from '../../platform/csv.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { stringify } from 'csv-stringify/sync';
import type { AppContext } from '../../platform/http/app.ts';
import { validateForm } from '../../platform/http/forms.ts';
import { paginate, withQuery } from '../../platform/http/pagination.ts';
import { requirePermission, requireSignIn } from '../identity/index.ts';
import * as privacy from './privacy.service.ts';
import * as reports from './reports.service.ts';
import { listPcns } from './social-prescribing.service.ts';
import { canAnonymise, canReviewAccess, canSeeReports, reportScope } from './social-prescribing.policy.ts';
import { AccessSearchForm, ReportForm } from './social-prescribing.schemas.ts';
import { formValues } from './route-helpers.ts';
import { labels } from './labels.ts';
import { flashFor } from './casework.routes.ts';
import { barChart, groupedBarChart } from './charts.ts';

const csv = (rows: string[][]) => stringify(rows.map((r) => r.map(spreadsheetSafe)));

/** Information governance (access review, subject access, anonymising) and reports. */
export function registerGovernanceRoutes(app: FastifyInstance, { db }: AppContext, retentionYears: number) {
  const page = { schema: { hide: true } };

  app.get('/social-prescribing/access-review', page, async (request, reply) => {
    if (!requirePermission(request, reply, canReviewAccess)) return reply;
    const values = formValues(request.query);
    const form = validateForm(AccessSearchForm, values);
    const people = form.ok && form.data.q ? await privacy.findPeopleForReview(db, request.actor!, form.data.q, request.ip) : null;
    return reply.page('social-prescribing/access-review.njk', { title: 'Access review', values, errors: form.ok ? undefined : form.errors, people, labels });
  });

  app.get('/social-prescribing/people/:id/access', page, async (request, reply) => {
    if (!requirePermission(request, reply, canReviewAccess)) return reply;
    const id = (request.params as { id: string }).id;
    const q = request.query as Record<string, unknown>;
    const pageNo = typeof q.page === 'string' && /^\d{1,5}$/.test(q.page) && Number(q.page) >= 1 ? Number(q.page) : 1;
    const log = await privacy.whoLookedAt(db, request.actor!, id, pageNo, request.ip);
    return reply.page('social-prescribing/access.njk', {
      title: `Who looked at ${log.person.given_name} ${log.person.family_name}`,
      width: 'full',
      backHref: '/social-prescribing/access-review',
      log,
      entries: log.rows.map((r) => ({ ...r, actionText: r.action.replace(/_/g, ' '), part: String((r.details as Record<string, unknown>).part ?? (r.details as Record<string, unknown>).via ?? '') })),
      pagination: paginate(log.total, log.page, log.pageSize, (p) => withQuery(`/social-prescribing/people/${id}/access`, { page: p })),
      retentionYears,
    });
  });

  for (const format of ['json', 'csv'] as const) {
    app.get(`/social-prescribing/people/:id/export.${format}`, page, async (request, reply) => {
      if (!requireSignIn(request, reply)) return reply; // the service checks who may export
      const id = (request.params as { id: string }).id;
      const data = await privacy.exportPerson(db, request.actor!, id, format, request.ip);
      const date = new Date().toISOString().slice(0, 10);
      reply.header('content-disposition', `attachment; filename="subject-access-${id.slice(0, 8)}-${date}.${format}"`).header('cache-control', 'no-store');
      if (format === 'json') return reply.type('application/json; charset=utf-8').send(JSON.stringify(data, null, 2));
      return reply.type('text/csv; charset=utf-8').send(csv(privacy.exportAsRows(data)));
    });
  }

  app.get('/social-prescribing/anonymise', page, async (request, reply) => {
    if (!requirePermission(request, reply, canAnonymise)) return reply;
    const due = await privacy.dueForAnonymising(db, request.actor!, retentionYears);
    return reply.page('social-prescribing/anonymise.njk', { title: 'Records due for anonymising', width: 'full', due, retentionYears, flash: flashFor(request) });
  });

  app.post('/social-prescribing/people/:id/anonymise', page, async (request, reply) => {
    if (!requirePermission(request, reply, canAnonymise)) return reply;
    await privacy.anonymisePerson(db, request.actor!, (request.params as { id: string }).id, retentionYears, request.ip);
    return reply.redirect('/social-prescribing/anonymise?done=anonymised', 303);
  });

  // ---- reports ------------------------------------------------------------------------------

  async function loadReport(request: FastifyRequest) {
    const values = formValues(request.query);
    const form = validateForm(ReportForm, values);
    const pcnName = async (pcnId: string) => (await listPcns(db, [pcnId]))[0]?.name ?? null;
    const report = await reports.buildReport(db, request.actor!, form.ok ? form.data : {}, pcnName, request.ip);
    return { values, form, report };
  }

  app.get('/social-prescribing/reports', page, async (request, reply) => {
    if (!requirePermission(request, reply, canSeeReports)) return reply;
    const { values, form, report } = await loadReport(request);
    const scope = reportScope(request.actor);
    const pcns = await listPcns(db, scope === 'all' ? undefined : scope);
    if (!form.ok) reply.status(422);
    return reply.page('social-prescribing/reports.njk', {
      title: 'Social prescribing report',
      width: 'full',
      values: { from: report.from, to: report.to, ...values },
      errors: form.ok ? undefined : form.errors,
      report,
      pcnItems: [...(scope === 'all' ? [{ value: 'all', text: 'The whole partnership' }] : []), ...pcns.map((p) => ({ value: p.id, text: p.name, selected: p.id === values.pcnId }))],
      csvHref: withQuery('/social-prescribing/reports.csv', { pcnId: values.pcnId as string | undefined, from: report.from, to: report.to }),
      charts: {
        bySource: barChart(report.bySource, 'Referrals by source'),
        byReason: barChart(report.byReason, 'Referrals by reason'),
        byMonth: groupedBarChart(report.byMonth.map((m) => ({ label: m.month, values: [m.received, m.accepted, m.declined] })), ['Received', 'Accepted', 'Declined'], 'Referrals by month'),
        outcomes: barChart(report.outcomes, 'Triage outcome'),
        days: barChart(report.daysToFirstContact.buckets, 'Days from referral to first contact'),
      },
    });
  });

  app.get('/social-prescribing/reports.csv', page, async (request, reply) => {
    if (!requirePermission(request, reply, canSeeReports)) return reply;
    const { report } = await loadReport(request);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="social-prescribing-${report.from}-to-${report.to}.csv"`)
      .header('cache-control', 'no-store')
      .send(csv(reports.reportRows(report)));
  });
}
