import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../../platform/http/app.ts';
import type { FieldError } from '../../../platform/http/forms.ts';
import { canActForTeam, canModerate } from '../innovation.policy.ts';
import { body, childId, handleForm, keep, openProgramme, programmePage, type ProgrammeContext } from '../innovation.http.ts';
import { BUDGET_LINES, CaseForm, outcomeNames } from '../innovation.schemas.ts';
import { penceToInput } from '../../../platform/money.ts';
import { loadTeam } from '../teams/teams.service.ts';
import { listDecisions } from '../decisions/decisions.repository.ts';
import { listDeclarationsBy } from '../scoring/scoring.repository.ts';
import { getCaseForTeam, isDecided, listBudgetLines, listCases } from './cases.repository.ts';
import * as service from './cases.service.ts';

export function registerCasesRoutes(app: FastifyInstance, { db }: AppContext) {
  app.get('/programmes/:id/cases', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    if (!ctx) return reply;
    const [cases, decisions, declarations] = await Promise.all([listCases(db, ctx.programme.id), listDecisions(db, ctx.programme.id), listDeclarationsBy(db, ctx.programme.id, ctx.actor.userId)]);
    return programmePage(reply, ctx, 'innovation/cases.njk', {
      title: 'Investment cases',
      cases: cases.map((c) => ({ ...c, decision: decisions.find((d) => d.case_id === c.id), declaration: declarations.find((d) => d.case_id === c.id), own: canActForTeam(ctx.access, c.team_id) })),
      outcomeNames,
      deadline: ctx.programme.case_deadline,
    });
  });

  app.get('/programmes/:id/cases/:caseId', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    if (!ctx) return reply;
    const c = await service.loadCase(db, ctx.programme.id, childId(request, 'caseId', 'Investment case'));
    const decision = (await listDecisions(db, ctx.programme.id)).find((d) => d.case_id === c.id);
    return programmePage(reply, ctx, 'innovation/case.njk', {
      title: `Investment case: ${c.team_name}`,
      c,
      decision,
      outcomeNames,
      canEdit: canActForTeam(ctx.access, c.team_id) && !service.whyCaseCannotChange(ctx.programme, !!decision),
      canModerate: canModerate(ctx.access),
      backHref: `/programmes/${ctx.programme.id}/cases`,
    });
  });

  const renderForm = async (reply: FastifyReply, ctx: ProgrammeContext, teamId: string, values?: Record<string, unknown>, errors?: FieldError[]) => {
    const team = await loadTeam(db, ctx.programme.id, teamId);
    const existing = await getCaseForTeam(db, teamId);
    const decided = !!existing && (await isDecided(db, existing.id));
    if (!values) {
      values = {};
      if (existing) {
        const lines = await listBudgetLines(db, [existing.id]);
        values = { requested: penceToInput(existing.requested_pence), summary: existing.summary, outcomes: existing.outcomes, evaluationPlan: existing.evaluation_plan, risks: existing.risks };
        lines.forEach((l, i) => Object.assign(values!, { [`line${i + 1}Description`]: l.description, [`line${i + 1}Amount`]: penceToInput(l.amount_pence) }));
      }
    }
    return programmePage(reply, ctx, 'innovation/case-form.njk', {
      title: `${existing ? 'Change' : 'Write'} the investment case`,
      team,
      values,
      errors,
      lines: Array.from({ length: BUDGET_LINES }, (_, i) => i + 1),
      deadline: ctx.programme.case_deadline,
      closedReason: service.whyCaseCannotChange(ctx.programme, decided),
      backHref: `/programmes/${ctx.programme.id}/teams/${teamId}`,
    });
  };

  app.get('/programmes/:id/teams/:teamId/case', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    return ctx ? renderForm(reply, ctx, childId(request, 'teamId', 'Team')) : reply;
  });

  app.post('/programmes/:id/teams/:teamId/case', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    if (!ctx) return reply;
    const teamId = childId(request, 'teamId', 'Team');
    const input = body(request);
    const r = await handleForm(reply, CaseForm, input, (f) => service.saveCase(db, ctx.actor, ctx.access, ctx.programme, teamId, f, request.ip), (errors) => renderForm(reply, ctx, teamId, keep(input), errors), 'case-form');
    return r.saved ? reply.redirect(`/programmes/${ctx.programme.id}/cases/${r.result}`, 303) : reply;
  });
}
