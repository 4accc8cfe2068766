import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../../platform/http/app.ts';
import { signedIn } from '../../../platform/http/access.ts';
import { formBody, submitForm, type FieldError } from '../../../platform/http/forms.ts';
import { openProgramme, programmePage, type ProgrammeContext } from '../innovation.http.ts';
import { MatchForm, NeedForm, OfferForm } from './needs-offers.schemas.ts';
import { NeedParams, ProgrammeParams } from '../innovation.schemas.ts';
import { NoFields } from '../../../platform/form-fields.ts';
import { listHelp } from './needs-offers.repository.ts';
import * as service from './needs-offers.service.ts';
import { helpedChart } from './helped-chart.ts';

export function registerNeedsOffersRoutes(appBase: FastifyInstance, { db }: AppContext) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const board = { preHandler: signedIn, schema: { hide: true, params: ProgrammeParams } };
  const need = { preHandler: signedIn, schema: { hide: true, params: NeedParams } };

  const renderBoard = async (reply: FastifyReply, ctx: ProgrammeContext, form?: { name: string; needId?: string; values: Record<string, unknown>; errors: FieldError[] }) => {
    const { needs, ownTeams, organisations } = await service.needsBoard(db, ctx);
    return programmePage(reply, ctx, 'innovation/needs.njk', {
      title: 'Needs and offers',
      needs,
      teamItems: [{ value: '', text: 'Choose a team' }, ...ownTeams.map((t) => ({ value: t.id, text: t.name }))],
      organisationItems: organisations.map((o) => ({ value: o.id, text: o.name })),
      counts: { open: needs.filter((n) => n.status === 'open').length, matched: needs.filter((n) => n.status === 'matched').length, met: needs.filter((n) => n.status === 'met').length },
      form: form?.name,
      formNeedId: form?.needId,
      values: form?.values ?? {},
      errors: form?.errors,
    });
  };

  app.get('/programmes/:id/needs', board, async (request, reply) => renderBoard(reply, await openProgramme(db, request)));

  app.post('/programmes/:id/needs', board, async (request, reply) => {
    const ctx = await openProgramme(db, request);
    const input = formBody(request);
    return submitForm(reply, {
      schema: NeedForm,
      input,
      save: (f) => service.postNeed(db, ctx.actor, ctx.access, ctx.programme, f, request.ip),
      redisplay: (errors) => renderBoard(reply, ctx, { name: 'need', values: input, errors }),
      done: (needId) => ({ redirect: `/programmes/${ctx.programme.id}/needs#need-${needId}` }),
    });
  });

  app.post('/programmes/:id/needs/:needId/offers', need, async (request, reply) => {
    const ctx = await openProgramme(db, request);
    const { needId } = request.params;
    const input = formBody(request);
    return submitForm(reply, {
      schema: OfferForm,
      input,
      save: (f) => service.pledgeOffer(db, ctx.actor, ctx.access, ctx.programme, needId, f, request.ip),
      redisplay: (errors) => renderBoard(reply, ctx, { name: 'offer', needId, values: input, errors }),
      done: () => ({ redirect: `/programmes/${ctx.programme.id}/needs#need-${needId}`, flash: 'Thank you: your offer is pledged. The team will see it.' }),
      anchor: (field) => (['description', 'organisationId'].includes(field) ? `${field}-${needId}` : `need-${needId}`),
    });
  });

  app.post('/programmes/:id/needs/:needId/match', need, async (request, reply) => {
    const ctx = await openProgramme(db, request);
    const { needId } = request.params;
    return submitForm(reply, {
      schema: MatchForm,
      input: formBody(request),
      save: (f) => service.matchOffer(db, ctx.actor, ctx.access, ctx.programme, needId, f.offerId, request.ip),
      redisplay: (errors) => renderBoard(reply, ctx, { name: 'match', needId, values: {}, errors }),
      done: () => ({ redirect: `/programmes/${ctx.programme.id}/needs#need-${needId}` }),
      anchor: () => `need-${needId}`,
    });
  });

  app.post('/programmes/:id/needs/:needId/met', need, async (request, reply) => {
    const ctx = await openProgramme(db, request);
    const { needId } = request.params;
    return submitForm(reply, {
      schema: NoFields,
      input: {},
      save: () => service.markMet(db, ctx.actor, ctx.access, ctx.programme, needId, request.ip),
      redisplay: (errors) => renderBoard(reply, ctx, { name: 'met', needId, values: {}, errors }),
      done: () => ({ redirect: `/programmes/${ctx.programme.id}/needs#need-${needId}` }),
      anchor: () => `need-${needId}`,
    });
  });

  app.get('/programmes/:id/needs/helped', board, async (request, reply) => {
    const ctx = await openProgramme(db, request);
    const help = await listHelp(db, ctx.programme.id);
    const crossing = help.filter((h) => h.helperOrganisation && !(h.helpedOrganisations ?? '').split('; ').includes(h.helperOrganisation)).length;
    return programmePage(reply, ctx, 'innovation/helped.njk', { title: 'Who helped whom', help, crossing, chart: await helpedChart(help), backHref: `/programmes/${ctx.programme.id}/needs` });
  });
}
