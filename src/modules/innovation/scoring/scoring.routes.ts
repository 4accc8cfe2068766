import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../../platform/http/app.ts';
import { signedIn } from '../../../platform/http/access.ts';
import { formBody, submitForm, type FieldError } from '../../../platform/http/forms.ts';
import { openProgramme, programmePage, type ProgrammeContext } from '../innovation.http.ts';
import { CaseParams, ProgrammeParams } from '../innovation.schemas.ts';
import { listCriteria } from '../programmes/programmes.repository.ts';
import { loadCase } from '../cases/cases.service.ts';
import { getDeclaration, listScoresForCase } from './scoring.repository.ts';
import { conflictOn } from './conflicts.ts';
import { ConflictForm, ScoreForm } from './scoring.schemas.ts';
import * as service from './scoring.service.ts';

export function registerScoringRoutes(appBase: FastifyInstance, { db }: AppContext) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const casePage = { preHandler: signedIn, schema: { hide: true, params: CaseParams } };

  const renderScore = async (reply: FastifyReply, ctx: ProgrammeContext, caseId: string, values?: Record<string, unknown>, errors?: FieldError[]) => {
    const c = await loadCase(db, ctx.programme.id, caseId);
    const [criteria, declaration, conflict] = await Promise.all([listCriteria(db, ctx.programme.id), getDeclaration(db, caseId, ctx.actor.userId), conflictOn(db, ctx.programme.id, caseId, ctx.actor.userId)]);
    if (!values) {
      const own = (await listScoresForCase(db, caseId)).filter((s) => s.userId === ctx.actor.userId);
      values = Object.fromEntries(own.flatMap((s) => [[`score-${s.criterionId}`, String(s.score)], [`comment-${s.criterionId}`, s.comment]]));
      if (declaration) Object.assign(values, { conflicted: declaration.conflicted ? 'yes' : 'no', reason: declaration.reason });
    }
    return programmePage(reply, ctx, 'innovation/score.njk', {
      title: `Score: ${c.teamName}`,
      c,
      criteria,
      declaration,
      automaticConflict: conflict?.automatic ? conflict : undefined,
      values,
      errors,
      scoreItems: [0, 1, 2, 3, 4, 5].map((n) => ({ value: String(n), text: String(n) })),
      backHref: `/programmes/${ctx.programme.id}/cases`,
    });
  };

  app.get('/programmes/:id/cases/:caseId/score', casePage, async (request, reply) => renderScore(reply, await openProgramme(db, request), request.params.caseId));

  app.post('/programmes/:id/cases/:caseId/conflict', casePage, async (request, reply) => {
    const ctx = await openProgramme(db, request);
    const { caseId } = request.params;
    const input = formBody(request);
    return submitForm(reply, {
      schema: ConflictForm,
      input,
      save: (f) => service.declareInterest(db, ctx.actor, ctx.access, ctx.programme, caseId, { conflicted: f.conflicted === 'yes', reason: f.reason }, request.ip),
      redisplay: (errors) => renderScore(reply, ctx, caseId, input, errors),
      done: () => ({ redirect: `/programmes/${ctx.programme.id}/cases/${caseId}/score`, flash: 'Your declaration is saved.' }),
      anchor: 'scoring',
    });
  });

  app.post('/programmes/:id/cases/:caseId/score', casePage, async (request, reply) => {
    const ctx = await openProgramme(db, request);
    const { caseId } = request.params;
    await loadCase(db, ctx.programme.id, caseId);
    const input = formBody(request);
    return submitForm(reply, {
      schema: ScoreForm(await listCriteria(db, ctx.programme.id)),
      input,
      save: (scores) => service.scoreCase(db, ctx.actor, ctx.access, ctx.programme, caseId, scores, request.ip),
      redisplay: (errors) => renderScore(reply, ctx, caseId, input, errors),
      done: () => ({ redirect: `/programmes/${ctx.programme.id}/cases/${caseId}/score`, flash: 'Your scores are saved.' }),
      anchor: 'scoring',
    });
  });

  app.get('/programmes/:id/moderation', { preHandler: signedIn, schema: { hide: true, params: ProgrammeParams } }, async (request, reply) => {
    const ctx = await openProgramme(db, request);
    const view = await service.moderationView(db, ctx.actor, ctx.access, ctx.programme);
    return programmePage(reply, ctx, 'innovation/moderation.njk', { title: 'Moderation', ...view });
  });

  app.get('/programmes/:id/moderation/:caseId', casePage, async (request, reply) => {
    const ctx = await openProgramme(db, request);
    const { caseId } = request.params;
    const c = await loadCase(db, ctx.programme.id, caseId);
    const sheet = await service.caseScoreSheet(db, ctx.actor, ctx.access, ctx.programme, caseId);
    return programmePage(reply, ctx, 'innovation/case-scores.njk', { title: `Scores: ${c.teamName}`, c, ...sheet, backHref: `/programmes/${ctx.programme.id}/moderation` });
  });
}
