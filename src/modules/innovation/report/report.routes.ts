import type { FastifyInstance, FastifyReply } from 'fastify';
import { stringify } from 'csv-stringify/sync';
import type { AppContext } from '../../../platform/http/app.ts';
import { notFound } from '../../../platform/http/errors.ts';
import { spreadsheetSafe } from '../../../platform/csv.ts';
import { openProgramme, param, programmePage } from '../innovation.http.ts';
import { outcomeNames, sessionKindNames } from '../innovation.schemas.ts';
import { formatPence } from '../../../platform/money.ts';
import { progressStep } from '../projects/projects.service.ts';
import { programmeReport } from './report.service.ts';

type Report = Awaited<ReturnType<typeof programmeReport>>;

const exports: Record<string, { columns: string[]; rows: (r: Report) => unknown[][] }> = {
  ideas: {
    columns: ['title', 'status', 'source', 'from', 'organisation', 'supporters', 'comments', 'rough cost', 'rough cost pence', 'team', 'submitted'],
    rows: (r) => r.ideas.map((i) => [i.title, i.status, i.source, i.author, i.organisation_name, i.supports, i.comments, i.rough_cost_pence === null ? '' : formatPence(i.rough_cost_pence), i.rough_cost_pence ?? '', i.team_name, new Date(i.created_at).toISOString()]),
  },
  cases: {
    columns: ['team', 'idea', 'requested', 'requested pence', 'decision', 'awarded', 'awarded pence', 'decided by', 'feedback'],
    rows: (r) =>
      r.cases.map((c) => {
        const d = r.decisions.find((x) => x.case_id === c.id);
        return [c.team_name, c.idea_title, formatPence(c.requested_pence), c.requested_pence, d ? outcomeNames[d.outcome] : 'Not decided', d ? formatPence(d.awarded_pence) : '', d?.awarded_pence ?? '', d ? (d.source === 'community_vote' ? 'Community vote' : d.decided_by_name) : '', d?.feedback ?? ''];
      }),
  },
  projects: {
    columns: ['project', 'awarded', 'awarded pence', 'progress percent', 'milestones', 'milestones done', 'milestones overdue', 'latest risks', 'end decision', 'learning'],
    rows: (r) => r.projects.map((p) => [p.title, formatPence(p.awarded_pence), p.awarded_pence, p.progress_percent ?? '', p.milestones, p.milestones_done, p.milestones_overdue, p.latest_risks ?? '', p.end_decision ?? '', p.learning]),
  },
  sessions: {
    columns: ['starts', 'kind', 'title', 'for', 'held', 'attendees', 'notes'],
    rows: (r) => r.sessions.map((s) => [new Date(s.starts_at).toISOString(), sessionKindNames[s.kind], s.title, s.team_name ?? 'Everyone', s.held ? 'yes' : 'no', s.attendees, s.notes]),
  },
  needs: {
    columns: ['helper', 'helper organisation', 'team helped', 'team organisations', 'need', 'offer', 'status'],
    rows: (r) => r.help.map((h) => [h.helper_name, h.helper_organisation, h.team_name, h.helped_organisations, h.need_title, h.offer, h.status]),
  },
};

export function registerReportRoutes(app: FastifyInstance, { db }: AppContext) {
  app.get('/programmes/:id/report', { schema: { hide: true } }, async (request, reply: FastifyReply) => {
    const ctx = await openProgramme(db, request, reply);
    if (!ctx) return reply;
    const report = await programmeReport(db, ctx.programme);
    return programmePage(reply, ctx, 'innovation/report.njk', {
      title: `Report: ${ctx.programme.name}`,
      ...report,
      projects: report.projects.map((p) => ({ ...p, step: progressStep(p.progress_percent) })),
      outcomeNames,
      generatedAt: new Date(),
      exports: Object.keys(exports),
    });
  });

  app.get('/programmes/:id/export/:what', { schema: { hide: true } }, async (request, reply) => {
    const what = param(request, 'what').replace(/\.csv$/, '');
    const ctx = await openProgramme(db, request, reply);
    if (!ctx) return reply;
    const spec = exports[what];
    if (!spec) throw notFound('Export');
    const report = await programmeReport(db, ctx.programme);
    const csv = stringify([spec.columns, ...spec.rows(report).map((row) => row.map(spreadsheetSafe))]);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="programme-${what}-${new Date().toISOString().slice(0, 10)}.csv"`)
      .header('cache-control', 'no-store')
      .send(csv);
  });
}
