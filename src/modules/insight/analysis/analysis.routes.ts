import { stringify } from 'csv-stringify/sync';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { drawChart } from '../../../platform/charts.ts';
import { spreadsheetSafe } from '../../../platform/csv.ts';
import { actorOf, allow } from '../../../platform/http/access.ts';
import type { AppContext } from '../../../platform/http/app.ts';
import { canUseInsight } from '../insight.policy.ts';
import type { InsightModuleContext } from '../insight.context.ts';
import { ageBands, financialYearLabel, settings } from '../settings.ts';
import { AnalysisQuery } from './analysis.schemas.ts';
import { analyses, analysisSlugs, cellText, filterChoices, viewAnalysis } from './analysis.service.ts';

const AnalysisPath = z.object({ analysis: z.enum(analysisSlugs as [string, ...string[]]) });

/** The figures the API gives: every one already suppressed (a hidden cell is null with `suppressed: true`). */
const FiguresResponse = z.object({
  analysis: z.string(),
  title: z.string(),
  financialYear: z.string(),
  filters: z.record(z.string(), z.unknown()),
  smallNumber: z.number().int(),
  findings: z.array(z.string()),
  columns: z.array(z.object({ key: z.string(), label: z.string(), kind: z.enum(['text', 'count', 'money', 'share']) })),
  rows: z.array(z.record(z.string(), z.unknown())),
});

export function registerAnalysisRoutes(appBase: FastifyInstance, { db }: AppContext, insight: InsightModuleContext) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const analyst = allow(canUseInsight);

  app.get('/insight', { preHandler: analyst, schema: { hide: true } }, async (_request, reply) => {
    const choices = await filterChoices(await insight.store());
    return reply.page('insight/index.njk', {
      title: 'Whole-system insight',
      analyses: Object.entries(analyses).map(([slug, a]) => ({ slug, title: a.title })),
      years: choices.years.map(financialYearLabel),
      smallNumber: insight.smallNumber,
    });
  });

  app.get('/insight/:analysis', { preHandler: analyst, schema: { hide: true, params: AnalysisPath, querystring: AnalysisQuery } }, async (request, reply) => {
    const store = await insight.store();
    const query = request.query;
    const figures = await viewAnalysis(store, db, actorOf(request), request.params.analysis, query, request.ip, insight.smallNumber, query.format === 'csv' ? 'csv' : 'page');
    if (query.format === 'csv') {
      const rows = figures.rows.map((row) => figures.columns.map((c) => spreadsheetSafe(cellText(row, c, figures.smallNumber))));
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${figures.slug}-${financialYearLabel(figures.filters.fy)}.csv"`)
        .send(`\uFEFF${stringify([figures.columns.map((c) => c.label), ...rows])}`);
    }
    const choices = await filterChoices(store);
    const download = new URLSearchParams(Object.entries({ ...request.query, format: 'csv' }).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => [k, String(v)]));
    return reply.page('insight/analysis.njk', {
      title: figures.title,
      width: 'full',
      backHref: '/insight',
      figures,
      yearLabel: financialYearLabel(figures.filters.fy),
      chart: figures.chart ? await drawChart(figures.chart) : null,
      table: figures.rows.map((row) => ({ suppressed: row.suppressed, cells: figures.columns.map((c) => ({ text: cellText(row, c, figures.smallNumber), numeric: c.kind !== 'text' })) })),
      downloadHref: `/insight/${figures.slug}?${download.toString()}`,
      choices: {
        years: choices.years.map((y) => ({ value: y, text: financialYearLabel(y), selected: y === figures.filters.fy })),
        localities: choices.localities,
        ageBands,
        settings: Object.entries(settings).map(([code, s]) => ({ value: code, text: s.name })),
      },
      query: request.query,
      showMeasure: ['concentration', 'deprivation', 'variation'].includes(figures.slug),
    });
  });

  app.get('/api/v1/insight/:analysis', {
    preHandler: analyst,
    schema: {
      params: AnalysisPath,
      querystring: AnalysisQuery,
      response: { 200: FiguresResponse },
      summary: 'Whole-system insight figures (suppressed: no figure about fewer people than the small-number setting)',
      description: `One analysis for a financial year (the latest loaded when \`year\` is not given; 2025 means 2025-26), within the filters. Analyses: ${analysisSlugs.join(', ')}. A hidden cell is null and its row has \`suppressed: true\`. Analysts and partnership admins only; every call is audited.`,
      tags: ['Whole-system insight'],
      security: [{ apiToken: [] }],
    },
  }, async (request) => {
    const figures = await viewAnalysis(await insight.store(), db, actorOf(request), request.params.analysis, request.query, request.ip, insight.smallNumber, 'api');
    return {
      analysis: figures.slug,
      title: figures.title,
      financialYear: financialYearLabel(figures.filters.fy),
      filters: figures.filters,
      smallNumber: figures.smallNumber,
      findings: figures.findings,
      columns: figures.columns,
      rows: figures.rows,
    };
  });
}
