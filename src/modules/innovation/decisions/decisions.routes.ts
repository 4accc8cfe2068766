import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../../platform/http/app.ts';
import { signedIn } from '../../../platform/http/access.ts';
import { formBody, submitForm, type FieldError } from '../../../platform/http/forms.ts';
import { penceToInput } from '../../../platform/money.ts';
import { openProgramme, programmePage, type ProgrammeContext } from '../innovation.http.ts';
import { CaseParams, ProgrammeParams } from '../innovation.schemas.ts';
import { DecisionForm, outcomeNames } from './decisions.schemas.ts';
import { loadCase } from '../cases/cases.service.ts';
import * as service from './decisions.service.ts';

export function registerDecisionsRoutes(appBase: FastifyInstance, { db }: AppContext) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();

  app.get('/programmes/:id/investment-day', { preHandler: signedIn, schema: { hide: true, params: ProgrammeParams } }, async (request, reply) => {
    const ctx = await openProgramme(db, request);
    const day = await service.investmentDay(db, ctx);
    return programmePage(reply, ctx, 'innovation/investment-day.njk', {
      title: 'Investment Day',
      ...day,
      outcomeNames,
      canDecide: ctx.may.decide,
      seeScores: ctx.may.moderate,
      fundUrl: `/api/v1/programmes/${ctx.programme.id}/fund`,
    });
  });

  const renderDecision = async (reply: FastifyReply, ctx: ProgrammeContext, caseId: string, values?: Record<string, unknown>, errors?: FieldError[]) => {
    const c = await loadCase(db, ctx.programme.id, caseId);
    const facts = await service.decisionFacts(db, ctx, caseId);
    const existing = facts.existing;
    return programmePage(reply, ctx, 'innovation/decision.njk', {
      title: `Decision: ${c.teamName}`,
      c,
      ...facts,
      ...(facts.sheet ?? {}),
      decide: ctx.may.decide,
      values: values ?? (existing ? { outcome: existing.outcome, amount: existing.outcome === 'fund_part' ? penceToInput(existing.awardedPence) : '', feedback: existing.feedback } : {}),
      errors,
      backHref: `/programmes/${ctx.programme.id}/investment-day`,
    });
  };

  app.get('/programmes/:id/cases/:caseId/decision', { preHandler: signedIn, schema: { hide: true, params: CaseParams } }, async (request, reply) => renderDecision(reply, await openProgramme(db, request), request.params.caseId));

  app.post('/programmes/:id/cases/:caseId/decision', { preHandler: signedIn, schema: { hide: true, params: CaseParams } }, async (request, reply) => {
    const ctx = await openProgramme(db, request);
    const { caseId } = request.params;
    await loadCase(db, ctx.programme.id, caseId);
    const input = formBody(request);
    return submitForm(reply, {
      schema: DecisionForm,
      input,
      save: (f) => service.decide(db, ctx.actor, ctx.access, ctx.programme, caseId, f, request.ip),
      redisplay: (errors) => renderDecision(reply, ctx, caseId, input, errors),
      done: () => ({ redirect: `/programmes/${ctx.programme.id}/investment-day` }),
      anchor: 'decision',
    });
  });
}
