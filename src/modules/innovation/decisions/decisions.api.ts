import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../../platform/http/app.ts';
import { signedIn } from '../../../platform/http/access.ts';
import { validateForm } from '../../../platform/http/forms.ts';
import { refuse } from '../../../platform/refusal.ts';
import { openProgramme } from '../innovation.http.ts';
import { ApiDecision, ApiDecisionBody, DecisionForm } from './decisions.schemas.ts';
import { CaseParams, ProgrammeParams, apiSecurity as security, apiTags as tags } from '../innovation.schemas.ts';
import { listDecisions, type Decision } from './decisions.repository.ts';
import { decide } from './decisions.service.ts';

const decisionJson = (d: Decision): z.infer<typeof ApiDecision> => ({ id: d.id, caseId: d.caseId, teamName: d.teamName, outcome: d.outcome, requestedPence: d.requestedPence, awardedPence: d.awardedPence, feedback: d.feedback, source: d.source, decidedAt: new Date(d.updatedAt).toISOString() });

export function registerDecisionsApi(appBase: FastifyInstance, { db }: AppContext) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();

  app.get('/api/v1/programmes/:id/decisions', { preHandler: signedIn, schema: { summary: 'List Investment Day decisions', tags, security, params: ProgrammeParams, response: { 200: z.object({ items: z.array(ApiDecision) }) } } }, async (request) => {
    const { programme } = await openProgramme(db, request);
    return { items: (await listDecisions(db, programme.id)).map(decisionJson) };
  });

  app.post(
    '/api/v1/programmes/:id/cases/:caseId/decision',
    {
      preHandler: signedIn,
      schema: {
        summary: 'Record a decision on a case',
        description: 'Fund in full, fund in part (amount as "£1,234.56" or "1234.56"), or not now, with feedback. Refused with 409 when the amount is more than the fund remaining, 403 for someone with a conflict of interest on the case.',
        tags,
        security,
        params: CaseParams,
        body: ApiDecisionBody,
        response: { 201: ApiDecision },
      },
    },
    async (request, reply) => {
      const { programme, access, actor } = await openProgramme(db, request);
      const { caseId } = request.params;
      // The same rules as the form: the amount read exactly, and needed when funding in part.
      const form = validateForm(DecisionForm, request.body);
      if (!form.ok) throw refuse.invalid(form.errors[0].field, form.errors[0].message);
      await decide(db, actor, access, programme, caseId, form.data, request.ip);
      const d = (await listDecisions(db, programme.id)).find((x) => x.caseId === caseId)!;
      return reply.status(201).send(decisionJson(d));
    },
  );
}
