import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../../platform/http/app.ts';
import { signedIn } from '../../../platform/http/access.ts';
import { formBody, submitForm, type FieldError } from '../../../platform/http/forms.ts';
import { penceToInput } from '../../../platform/money.ts';
import { openProgramme, programmePage, type ProgrammeContext } from '../innovation.http.ts';
import { BUDGET_LINES, CaseDraftForm, CaseForm } from './cases.schemas.ts';
import { CaseParams, ProgrammeParams, TeamParams } from '../innovation.schemas.ts';
import { outcomeNames } from '../decisions/decisions.schemas.ts';
import { loadTeam } from '../teams/teams.service.ts';
import { getCaseForTeam, getDraft, isDecided, listBudgetLines } from './cases.repository.ts';
import * as service from './cases.service.ts';

export function registerCasesRoutes(appBase: FastifyInstance, { db }: AppContext) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();

  app.get('/programmes/:id/cases', { preHandler: signedIn, schema: { hide: true, params: ProgrammeParams } }, async (request, reply) => {
    const ctx = await openProgramme(db, request);
    return programmePage(reply, ctx, 'innovation/cases.njk', {
      title: 'Investment cases',
      cases: await service.casesPage(db, ctx),
      outcomeNames,
      deadline: ctx.programme.caseDeadline,
    });
  });

  app.get('/programmes/:id/cases/:caseId', { preHandler: signedIn, schema: { hide: true, params: CaseParams } }, async (request, reply) => {
    const ctx = await openProgramme(db, request);
    const { c, decision, canEdit } = await service.casePage(db, ctx, request.params.caseId);
    return programmePage(reply, ctx, 'innovation/case.njk', {
      title: `Investment case: ${c.teamName}`,
      c,
      decision,
      outcomeNames,
      canEdit,
      canModerate: ctx.may.moderate,
      backHref: `/programmes/${ctx.programme.id}/cases`,
    });
  });

  const renderForm = async (reply: FastifyReply, ctx: ProgrammeContext, teamId: string, values?: Record<string, unknown>, errors?: FieldError[]) => {
    const team = await loadTeam(db, ctx.programme.id, teamId);
    const existing = await getCaseForTeam(db, teamId);
    const decided = !!existing && (await isDecided(db, existing.id));
    const draft = await getDraft(db, teamId);
    if (!values) {
      values = {};
      if (draft) values = { ...draft.fields };
      else if (existing) {
        const lines = await listBudgetLines(db, [existing.id]);
        values = { requested: penceToInput(existing.requestedPence), summary: existing.summary, outcomes: existing.outcomes, evaluationPlan: existing.evaluationPlan, risks: existing.risks };
        lines.forEach((l, i) => Object.assign(values!, { [`line${i + 1}Description`]: l.description, [`line${i + 1}Amount`]: penceToInput(l.amountPence) }));
      }
    }
    return programmePage(reply, ctx, 'innovation/case-form.njk', {
      title: `${existing ? 'Change' : 'Write'} the investment case`,
      team,
      values,
      errors,
      lines: Array.from({ length: BUDGET_LINES }, (_, i) => i + 1),
      deadline: ctx.programme.caseDeadline,
      draft,
      submitted: !!existing,
      closedReason: service.whyCaseCannotChange(ctx.programme, decided),
      backHref: `/programmes/${ctx.programme.id}/teams/${teamId}`,
    });
  };

  app.get('/programmes/:id/teams/:teamId/case', { preHandler: signedIn, schema: { hide: true, params: TeamParams } }, async (request, reply) => renderForm(reply, await openProgramme(db, request), request.params.teamId));

  app.post('/programmes/:id/teams/:teamId/case', { preHandler: signedIn, schema: { hide: true, params: TeamParams } }, async (request, reply) => {
    const ctx = await openProgramme(db, request);
    const { teamId } = request.params;
    const input = formBody(request);
    if (input.action === 'draft') {
      return submitForm(reply, {
        schema: CaseDraftForm,
        input,
        save: (fields) => service.saveCaseDraft(db, ctx.actor, ctx.access, ctx.programme, teamId, fields, request.ip),
        redisplay: (errors) => renderForm(reply, ctx, teamId, input, errors),
        done: () => ({ redirect: `/programmes/${ctx.programme.id}/teams/${teamId}/case`, flash: 'Draft saved. Nobody on the panel sees it until you submit the case.' }),
        anchor: 'case-form',
      });
    }
    return submitForm(reply, {
      schema: CaseForm,
      input,
      save: (f) => service.saveCase(db, ctx.actor, ctx.access, ctx.programme, teamId, f, request.ip),
      redisplay: (errors) => renderForm(reply, ctx, teamId, input, errors),
      done: (caseId) => ({ redirect: `/programmes/${ctx.programme.id}/cases/${caseId}` }),
      anchor: 'case-form',
    });
  });
}
