import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { stringify } from 'csv-stringify/sync';
import type { AppContext } from '../../../platform/http/app.ts';
import { signedIn } from '../../../platform/http/access.ts';
import { spreadsheetSafe } from '../../../platform/csv.ts';
import { ukToday } from '../../../platform/dates.ts';
import { refuse } from '../../../platform/refusal.ts';
import { openProgramme, programmePage } from '../innovation.http.ts';
import { ExportParams, ProgrammeParams } from '../innovation.schemas.ts';
import { outcomeNames } from '../decisions/decisions.schemas.ts';
import { sessionKindNames } from '../sessions/sessions.schemas.ts';
import { formatPence } from '../../../platform/money.ts';
import { progressStep } from '../projects/projects.service.ts';
import { programmeReport } from './report.service.ts';

type Report = Awaited<ReturnType<typeof programmeReport>>;

const exports: Record<string, { columns: string[]; rows: (r: Report) => unknown[][] }> = {
  ideas: {
    columns: ['title', 'status', 'source', 'from', 'organisation', 'supporters', 'comments', 'rough cost', 'rough cost pence', 'team', 'submitted'],
    rows: (r) => r.ideas.map((i) => [i.title, i.status, i.source, i.author, i.organisationName, i.supports, i.comments, i.roughCostPence === null ? '' : formatPence(i.roughCostPence), i.roughCostPence ?? '', i.teamName, new Date(i.createdAt).toISOString()]),
  },
  cases: {
    columns: ['team', 'idea', 'requested', 'requested pence', 'decision', 'awarded', 'awarded pence', 'decided by', 'feedback'],
    rows: (r) =>
      r.cases.map((c) => {
        const d = r.decisions.find((x) => x.caseId === c.id);
        return [c.teamName, c.ideaTitle, formatPence(c.requestedPence), c.requestedPence, d ? outcomeNames[d.outcome] : 'Not decided', d ? formatPence(d.awardedPence) : '', d?.awardedPence ?? '', d ? (d.source === 'community_vote' ? 'Community vote' : d.decidedByName) : '', d?.feedback ?? ''];
      }),
  },
  projects: {
    columns: ['project', 'awarded', 'awarded pence', 'progress percent', 'milestones', 'milestones done', 'milestones overdue', 'latest risks', 'end decision', 'learning'],
    rows: (r) => r.projects.map((p) => [p.title, formatPence(p.awardedPence), p.awardedPence, p.progressPercent ?? '', p.milestones, p.milestonesDone, p.milestonesOverdue, p.latestRisks ?? '', p.endDecision ?? '', p.learning]),
  },
  sessions: {
    columns: ['starts', 'kind', 'title', 'for', 'held', 'attendees', 'notes'],
    rows: (r) => r.sessions.map((s) => [new Date(s.startsAt).toISOString(), sessionKindNames[s.kind], s.title, s.teamName ?? 'Everyone', s.held ? 'yes' : 'no', s.attendees, s.notes]),
  },
  needs: {
    columns: ['helper', 'helper organisation', 'team helped', 'team organisations', 'need', 'offer', 'status'],
    rows: (r) => r.help.map((h) => [h.helperName, h.helperOrganisation, h.teamName, h.helpedOrganisations, h.needTitle, h.offer, h.status]),
  },
};

export function registerReportRoutes(appBase: FastifyInstance, { db }: AppContext) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();

  app.get('/programmes/:id/report', { preHandler: signedIn, schema: { hide: true, params: ProgrammeParams } }, async (request, reply) => {
    const ctx = await openProgramme(db, request);
    const report = await programmeReport(db, ctx.programme);
    return programmePage(reply, ctx, 'innovation/report.njk', {
      title: `Report: ${ctx.programme.name}`,
      ...report,
      projects: report.projects.map((p) => ({ ...p, step: progressStep(p.progressPercent) })),
      outcomeNames,
      generatedAt: new Date(),
      exports: Object.keys(exports),
    });
  });

  app.get('/programmes/:id/export/:what', { preHandler: signedIn, schema: { hide: true, params: ExportParams } }, async (request, reply) => {
    const what = request.params.what.replace(/\.csv$/, '');
    const ctx = await openProgramme(db, request);
    const spec = Object.hasOwn(exports, what) ? exports[what] : undefined;
    if (!spec) throw refuse.notFound('Export');
    const report = await programmeReport(db, ctx.programme);
    const csv = stringify([spec.columns, ...spec.rows(report).map((row) => row.map(spreadsheetSafe))]);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="programme-${what}-${ukToday()}.csv"`)
      .header('cache-control', 'no-store')
      .send(csv);
  });
}
