import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../../platform/http/app.ts';
import type { FieldError } from '../../../platform/http/forms.ts';
import { asFieldErrors } from '../innovation.errors.ts';
import { anchorErrors, body, childId, handleForm, keep, openProgramme, programmePage, type ProgrammeContext } from '../innovation.http.ts';
import { ConflictForm } from '../innovation.schemas.ts';
import { listCriteria } from '../programmes/programmes.repository.ts';
import { loadCase } from '../cases/cases.service.ts';
import { getDeclaration, listScoresForCase } from './scoring.repository.ts';
import * as service from './scoring.service.ts';

export function registerScoringRoutes(app: FastifyInstance, { db }: AppContext) {
  const renderScore = async (reply: FastifyReply, ctx: ProgrammeContext, caseId: string, values?: Record<string, unknown>, errors?: FieldError[], flash?: string) => {
    const c = await loadCase(db, ctx.programme.id, caseId);
    const [criteria, declaration] = await Promise.all([listCriteria(db, ctx.programme.id), getDeclaration(db, caseId, ctx.actor.userId)]);
    if (!values) {
      const own = (await listScoresForCase(db, caseId)).filter((s) => s.user_id === ctx.actor.userId);
      values = Object.fromEntries(own.flatMap((s) => [[`score-${s.criterion_id}`, String(s.score)], [`comment-${s.criterion_id}`, s.comment]]));
      if (declaration) Object.assign(values, { conflicted: declaration.conflicted ? 'yes' : 'no', reason: declaration.reason });
    }
    return programmePage(reply, ctx, 'innovation/score.njk', {
      title: `Score: ${c.team_name}`,
      c,
      criteria,
      declaration,
      values,
      errors,
      flash,
      scoreItems: [0, 1, 2, 3, 4, 5].map((n) => ({ value: String(n), text: String(n) })),
      backHref: `/programmes/${ctx.programme.id}/cases`,
    });
  };

  app.get('/programmes/:id/cases/:caseId/score', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    if (!ctx) return reply;
    const q = request.query as Record<string, string | undefined>;
    return renderScore(reply, ctx, childId(request, 'caseId', 'Investment case'), undefined, undefined, q.saved ? 'Your scores are saved.' : q.declared ? 'Your declaration is saved.' : undefined);
  });

  app.post('/programmes/:id/cases/:caseId/conflict', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    if (!ctx) return reply;
    const caseId = childId(request, 'caseId', 'Investment case');
    const input = body(request);
    const r = await handleForm(reply, ConflictForm, input, (f) => service.declareInterest(db, ctx.actor, ctx.access, ctx.programme, caseId, { conflicted: f.conflicted === 'yes', reason: f.reason }, request.ip), (errors) => renderScore(reply, ctx, caseId, keep(input), errors), 'scoring');
    return r.saved ? reply.redirect(`/programmes/${ctx.programme.id}/cases/${caseId}/score?declared=1`, 303) : reply;
  });

  app.post('/programmes/:id/cases/:caseId/score', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    if (!ctx) return reply;
    const caseId = childId(request, 'caseId', 'Investment case');
    await loadCase(db, ctx.programme.id, caseId);
    const input = body(request);
    const criteria = await listCriteria(db, ctx.programme.id);
    const form = service.readScoreForm(criteria, input);
    if (!form.ok) return renderScore(reply.status(422), ctx, caseId, keep(input), form.errors);
    try {
      await service.scoreCase(db, ctx.actor, ctx.access, ctx.programme, caseId, form.scores, request.ip);
    } catch (error) {
      const errors = anchorErrors(asFieldErrors(error), 'scoring');
      return renderScore(reply.status((error as { status?: number }).status ?? 422), ctx, caseId, keep(input), errors);
    }
    return reply.redirect(`/programmes/${ctx.programme.id}/cases/${caseId}/score?saved=1`, 303);
  });

  app.get('/programmes/:id/moderation', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    if (!ctx) return reply;
    const view = await service.moderationView(db, ctx.actor, ctx.access, ctx.programme);
    return programmePage(reply, ctx, 'innovation/moderation.njk', { title: 'Moderation', ...view });
  });

  app.get('/programmes/:id/moderation/:caseId', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    if (!ctx) return reply;
    const caseId = childId(request, 'caseId', 'Investment case');
    const c = await loadCase(db, ctx.programme.id, caseId);
    const view = await service.caseScoresFor(db, ctx.actor, ctx.access, ctx.programme, caseId);
    const outlying = new Set(view.stats.outliers.map((o) => `${o.userId}:${o.criterionId}`));
    const scorers = view.stats.members.map((m) => ({
      name: view.names[m.userId] ?? 'Someone',
      weighted: m.weighted,
      scores: view.criteria.map((cr) => {
        const s = view.scores.find((x) => x.user_id === m.userId && x.criterion_id === cr.id);
        return s ? { score: s.score, comment: s.comment, outlier: outlying.has(`${m.userId}:${cr.id}`) } : null;
      }),
    }));
    return programmePage(reply, ctx, 'innovation/case-scores.njk', { title: `Scores: ${c.team_name}`, c, criteria: view.criteria, stats: view.stats, scorers, backHref: `/programmes/${ctx.programme.id}/moderation` });
  });
}
