import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../../platform/http/app.ts';
import { signedIn } from '../../../platform/http/access.ts';
import { formBody, submitForm, type FieldError } from '../../../platform/http/forms.ts';
import { penceToInput } from '../../../platform/money.ts';
import { openProgramme, programmePage, type ProgrammeContext } from '../innovation.http.ts';
import { BallotForm, VoteSettingsForm } from './voting.schemas.ts';
import { ProgrammeParams } from '../innovation.schemas.ts';
import { NoFields } from '../../../platform/form-fields.ts';
import { VOTE_RULE } from '../voting.ts';
import { listBallots } from './voting.repository.ts';
import * as service from './voting.service.ts';

export function registerVotingRoutes(appBase: FastifyInstance, { db }: AppContext) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const vote = { preHandler: signedIn, schema: { hide: true, params: ProgrammeParams } };

  const render = async (reply: FastifyReply, ctx: ProgrammeContext, form?: { name: string; values: Record<string, unknown>; errors: FieldError[] }) => {
    const result = await service.currentResult(db, ctx.programme);
    const own = (await listBallots(db, ctx.programme.id)).find((b) => b.userId === ctx.actor.userId);
    const chosen = form?.name === 'ballot' ? ([] as unknown[]).concat(form.values.caseIds ?? []) : (own?.caseIds ?? []);
    const p = ctx.programme;
    return programmePage(reply, ctx, 'innovation/vote.njk', {
      title: 'Community vote',
      result,
      rule: VOTE_RULE,
      voted: !!own,
      optionItems: result.options.map((o) => ({ value: o.id, text: o.title, cost: o.costPence, checked: chosen.includes(o.id) })),
      settings: form?.name === 'settings' ? form.values : { votePot: penceToInput(p.votePotPence), voteMethod: p.voteMethod, voteMaxChoices: String(p.voteMaxChoices), voteOpen: p.voteOpen ? 'yes' : 'no' },
      form: form?.name,
      errors: form?.errors,
    });
  };

  app.get('/programmes/:id/vote', vote, async (request, reply) => render(reply, await openProgramme(db, request)));

  app.post('/programmes/:id/vote/settings', vote, async (request, reply) => {
    const ctx = await openProgramme(db, request);
    const input = formBody(request);
    return submitForm(reply, {
      schema: VoteSettingsForm,
      input,
      save: (f) => service.configureVote(db, ctx.actor, ctx.access, ctx.programme.id, f, request.ip),
      redisplay: (errors) => render(reply, ctx, { name: 'settings', values: input, errors }),
      done: () => ({ redirect: `/programmes/${ctx.programme.id}/vote` }),
      anchor: 'settings',
    });
  });

  app.post('/programmes/:id/vote', vote, async (request, reply) => {
    const ctx = await openProgramme(db, request);
    const input = formBody(request);
    return submitForm(reply, {
      schema: BallotForm,
      input,
      save: (f) => service.castBallot(db, ctx.actor, ctx.access, ctx.programme, f.caseIds, request.ip),
      redisplay: (errors) => render(reply, ctx, { name: 'ballot', values: input, errors }),
      done: () => ({ redirect: `/programmes/${ctx.programme.id}/vote` }),
      anchor: 'ballot',
    });
  });

  app.post('/programmes/:id/vote/apply', vote, async (request, reply) => {
    const ctx = await openProgramme(db, request);
    return submitForm(reply, {
      schema: NoFields,
      input: {},
      save: () => service.applyVote(db, ctx.actor, ctx.access, ctx.programme.id, request.ip),
      redisplay: (errors) => render(reply, ctx, { name: 'apply', values: {}, errors }),
      done: () => ({ redirect: `/programmes/${ctx.programme.id}/investment-day` }),
      anchor: 'apply',
    });
  });
}
