import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../../platform/http/app.ts';
import type { FieldError } from '../../../platform/http/forms.ts';
import { canDecide } from '../innovation.policy.ts';
import { body, childId, handleForm, keep, openProgramme, programmePage, type ProgrammeContext } from '../innovation.http.ts';
import { DecisionForm, outcomeNames } from '../innovation.schemas.ts';
import { penceToInput } from '../../../platform/money.ts';
import { fundPosition } from '../programmes/programmes.repository.ts';
import { listCases } from '../cases/cases.repository.ts';
import { loadCase } from '../cases/cases.service.ts';
import { getDeclaration } from '../scoring/scoring.repository.ts';
import { getDecisionForCase, listDecisions } from './decisions.repository.ts';
import * as service from './decisions.service.ts';

export function registerDecisionsRoutes(app: FastifyInstance, { db }: AppContext) {
  app.get('/programmes/:id/investment-day', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    if (!ctx) return reply;
    const [position, cases, decisions] = await Promise.all([fundPosition(db, ctx.programme), listCases(db, ctx.programme.id), listDecisions(db, ctx.programme.id)]);
    return programmePage(reply, ctx, 'innovation/investment-day.njk', {
      title: 'Investment Day',
      position,
      cases: cases.map((c) => ({ ...c, decision: decisions.find((d) => d.case_id === c.id) })),
      outcomeNames,
      canDecide: canDecide(ctx.access),
      fundUrl: `/api/v1/programmes/${ctx.programme.id}/fund`,
    });
  });

  const renderDecision = async (reply: FastifyReply, ctx: ProgrammeContext, caseId: string, values?: Record<string, unknown>, errors?: FieldError[]) => {
    const c = await loadCase(db, ctx.programme.id, caseId);
    const [position, existing, declaration] = await Promise.all([fundPosition(db, ctx.programme), getDecisionForCase(db, caseId), getDeclaration(db, caseId, ctx.actor.userId)]);
    return programmePage(reply, ctx, 'innovation/decision.njk', {
      title: `Decision: ${c.team_name}`,
      c,
      position,
      existing,
      conflicted: !!declaration?.conflicted,
      values: values ?? (existing ? { outcome: existing.outcome, amount: existing.outcome === 'fund_part' ? penceToInput(existing.awarded_pence) : '', feedback: existing.feedback } : {}),
      errors,
      backHref: `/programmes/${ctx.programme.id}/investment-day`,
    });
  };

  app.get('/programmes/:id/cases/:caseId/decision', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    return ctx ? renderDecision(reply, ctx, childId(request, 'caseId', 'Investment case')) : reply;
  });

  app.post('/programmes/:id/cases/:caseId/decision', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    if (!ctx) return reply;
    const caseId = childId(request, 'caseId', 'Investment case');
    await loadCase(db, ctx.programme.id, caseId);
    const input = body(request);
    const r = await handleForm(reply, DecisionForm, input, (f) => service.decide(db, ctx.actor, ctx.access, ctx.programme, caseId, f, request.ip), (errors) => renderDecision(reply, ctx, caseId, keep(input), errors), 'decision');
    return r.saved ? reply.redirect(`/programmes/${ctx.programme.id}/investment-day`, 303) : reply;
  });
}
