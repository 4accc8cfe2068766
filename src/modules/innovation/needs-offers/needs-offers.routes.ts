import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../../platform/http/app.ts';
import type { FieldError } from '../../../platform/http/forms.ts';
import { canActForTeam } from '../innovation.policy.ts';
import { body, childId, handleForm, keep, openProgramme, programmePage, type ProgrammeContext } from '../innovation.http.ts';
import { NeedForm, OfferForm } from '../innovation.schemas.ts';
import { listOrganisations } from '../programmes/programmes.repository.ts';
import { listTeams } from '../teams/teams.repository.ts';
import { listHelp, listNeeds, listOffers } from './needs-offers.repository.ts';
import * as service from './needs-offers.service.ts';

const MatchForm = z.object({ offerId: z.string({ error: 'Choose an offer' }).uuid('Choose an offer') });

export function registerNeedsOffersRoutes(app: FastifyInstance, { db }: AppContext) {
  const renderBoard = async (reply: FastifyReply, ctx: ProgrammeContext, form?: { name: string; needId?: string; values: Record<string, unknown>; errors: FieldError[] }) => {
    const [needs, offers, teams, organisations] = await Promise.all([listNeeds(db, ctx.programme.id), listOffers(db, ctx.programme.id), listTeams(db, ctx.programme.id), listOrganisations(db)]);
    const ownTeams = teams.filter((t) => canActForTeam(ctx.access, t.id));
    return programmePage(reply, ctx, 'innovation/needs.njk', {
      title: 'Needs and offers',
      needs: needs.map((n) => ({ ...n, offers: offers.filter((o) => o.need_id === n.id), canAct: canActForTeam(ctx.access, n.team_id) })),
      teamItems: [{ value: '', text: 'Choose a team' }, ...ownTeams.map((t) => ({ value: t.id, text: t.name }))],
      organisationItems: [{ value: '', text: 'Your own organisation' }, ...organisations.map((o) => ({ value: o.id, text: o.name }))],
      counts: { open: needs.filter((n) => n.status === 'open').length, matched: needs.filter((n) => n.status === 'matched').length, met: needs.filter((n) => n.status === 'met').length },
      form: form?.name,
      formNeedId: form?.needId,
      values: form?.values ?? {},
      errors: form?.errors,
    });
  };

  app.get('/programmes/:id/needs', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    return ctx ? renderBoard(reply, ctx) : reply;
  });

  app.post('/programmes/:id/needs', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    if (!ctx) return reply;
    const input = body(request);
    const r = await handleForm(reply, NeedForm, input, (f) => service.postNeed(db, ctx.actor, ctx.access, ctx.programme, f, request.ip), (errors) => renderBoard(reply, ctx, { name: 'need', values: keep(input), errors }));
    return r.saved ? reply.redirect(`/programmes/${ctx.programme.id}/needs#need-${r.result}`, 303) : reply;
  });

  app.post('/programmes/:id/needs/:needId/offers', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    if (!ctx) return reply;
    const needId = childId(request, 'needId', 'Need');
    const input = body(request);
    const r = await handleForm(reply, OfferForm, input, (f) => service.pledgeOffer(db, ctx.actor, ctx.access, ctx.programme, needId, f, request.ip), (errors) => renderBoard(reply, ctx, { name: 'offer', needId, values: keep(input), errors }), (field) => (['description', 'organisationId'].includes(field) ? `${field}-${needId}` : `need-${needId}`));
    return r.saved ? reply.redirect(`/programmes/${ctx.programme.id}/needs#need-${needId}`, 303) : reply;
  });

  app.post('/programmes/:id/needs/:needId/match', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    if (!ctx) return reply;
    const needId = childId(request, 'needId', 'Need');
    const input = body(request);
    const r = await handleForm(reply, MatchForm, input, (f) => service.matchOffer(db, ctx.actor, ctx.access, ctx.programme, needId, f.offerId, request.ip), (errors) => renderBoard(reply, ctx, { name: 'match', needId, values: {}, errors }), () => `need-${needId}`);
    return r.saved ? reply.redirect(`/programmes/${ctx.programme.id}/needs#need-${needId}`, 303) : reply;
  });

  app.post('/programmes/:id/needs/:needId/met', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    if (!ctx) return reply;
    const needId = childId(request, 'needId', 'Need');
    const r = await handleForm(reply, z.object({}), {}, () => service.markMet(db, ctx.actor, ctx.access, ctx.programme, needId, request.ip), (errors) => renderBoard(reply, ctx, { name: 'met', needId, values: {}, errors }), () => `need-${needId}`);
    return r.saved ? reply.redirect(`/programmes/${ctx.programme.id}/needs#need-${needId}`, 303) : reply;
  });

  app.get('/programmes/:id/needs/helped', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    if (!ctx) return reply;
    const help = await listHelp(db, ctx.programme.id);
    const crossing = help.filter((h) => h.helper_organisation && !(h.helped_organisations ?? '').split('; ').includes(h.helper_organisation)).length;
    return programmePage(reply, ctx, 'innovation/helped.njk', { title: 'Who helped whom', help, crossing, backHref: `/programmes/${ctx.programme.id}/needs` });
  });
}
