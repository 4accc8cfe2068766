import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../../platform/http/app.ts';
import type { FieldError } from '../../../platform/http/forms.ts';
import { body, handleForm, keep, openProgramme, programmePage, type ProgrammeContext } from '../innovation.http.ts';
import { BallotForm, VoteSettingsForm } from '../innovation.schemas.ts';
import { penceToInput } from '../../../platform/money.ts';
import { VOTE_RULE } from '../voting.ts';
import { listBallots } from './voting.repository.ts';
import * as service from './voting.service.ts';

export function registerVotingRoutes(app: FastifyInstance, { db }: AppContext) {
  const render = async (reply: FastifyReply, ctx: ProgrammeContext, form?: { name: string; values: Record<string, unknown>; errors: FieldError[] }) => {
    const result = await service.currentResult(db, ctx.programme);
    const own = (await listBallots(db, ctx.programme.id)).find((b) => b.user_id === ctx.actor.userId);
    const chosen = form?.name === 'ballot' ? ([] as unknown[]).concat(form.values.caseIds ?? []) : (own?.case_ids ?? []);
    const p = ctx.programme;
    return programmePage(reply, ctx, 'innovation/vote.njk', {
      title: 'Community vote',
      result,
      rule: VOTE_RULE,
      voted: !!own,
      optionItems: result.options.map((o) => ({ value: o.id, text: o.title, cost: o.costPence, checked: chosen.includes(o.id) })),
      settings: form?.name === 'settings' ? form.values : { votePot: penceToInput(p.vote_pot_pence), voteMethod: p.vote_method, voteMaxChoices: String(p.vote_max_choices), voteOpen: p.vote_open ? 'yes' : 'no' },
      form: form?.name,
      errors: form?.errors,
    });
  };

  app.get('/programmes/:id/vote', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    return ctx ? render(reply, ctx) : reply;
  });

  app.post('/programmes/:id/vote/settings', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    if (!ctx) return reply;
    const input = body(request);
    const r = await handleForm(reply, VoteSettingsForm, input, (f) => service.configureVote(db, ctx.actor, ctx.access, ctx.programme.id, f, request.ip), (errors) => render(reply, ctx, { name: 'settings', values: keep(input), errors }), 'settings');
    return r.saved ? reply.redirect(`/programmes/${ctx.programme.id}/vote`, 303) : reply;
  });

  app.post('/programmes/:id/vote', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    if (!ctx) return reply;
    const input = body(request);
    const r = await handleForm(reply, BallotForm, input, (f) => service.castBallot(db, ctx.actor, ctx.access, ctx.programme, f.caseIds, request.ip), (errors) => render(reply, ctx, { name: 'ballot', values: keep(input), errors }), 'ballot');
    return r.saved ? reply.redirect(`/programmes/${ctx.programme.id}/vote?voted=1`, 303) : reply;
  });

  app.post('/programmes/:id/vote/apply', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    if (!ctx) return reply;
    const r = await handleForm(reply, z.object({}), {}, () => service.applyVote(db, ctx.actor, ctx.access, ctx.programme.id, request.ip), (errors) => render(reply, ctx, { name: 'apply', values: {}, errors }), 'apply');
    return r.saved ? reply.redirect(`/programmes/${ctx.programme.id}/investment-day`, 303) : reply;
  });
}
