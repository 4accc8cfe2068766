import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../../platform/http/app.ts';
import { signedIn } from '../../../platform/http/access.ts';
import { openProgramme } from '../innovation.http.ts';
import { ApiCase } from './cases.schemas.ts';
import { ProgrammeParams, apiSecurity as security, apiTags as tags } from '../innovation.schemas.ts';
import { listBudgetLines, listCases } from './cases.repository.ts';

export function registerCasesApi(appBase: FastifyInstance, { db }: AppContext) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();

  app.get('/api/v1/programmes/:id/cases', { preHandler: signedIn, schema: { summary: 'List a programme’s investment cases', tags, security, params: ProgrammeParams, response: { 200: z.object({ items: z.array(ApiCase) }) } } }, async (request) => {
    const { programme } = await openProgramme(db, request);
    const cases = await listCases(db, programme.id);
    const lines = await listBudgetLines(db, cases.map((c) => c.id));
    return {
      items: cases.map((c) => ({
        id: c.id, teamId: c.teamId, teamName: c.teamName, requestedPence: c.requestedPence, summary: c.summary, outcomes: c.outcomes, evaluationPlan: c.evaluationPlan, risks: c.risks,
        budgetLines: lines.filter((l) => l.caseId === c.id).map((l) => ({ description: l.description, amountPence: l.amountPence })),
        updatedAt: new Date(c.updatedAt).toISOString(),
      })),
    };
  });
}
