import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../../platform/http/app.ts';
import { forbidden, notFound } from '../../../platform/http/errors.ts';
import { withPublicFormLimit } from '../../../platform/http/public-form-limit.ts';
import type { FieldError } from '../../../platform/http/forms.ts';
import { isUuid } from '../../../platform/ids.ts';
import { body, childId, handleForm, keep, openProgramme, programmePage, viewHelpers, type ProgrammeContext } from '../innovation.http.ts';
import { CommentForm, IdeaForm, PublicIdeaForm } from '../innovation.schemas.ts';
import { getProgramme, type ProgrammeRow } from '../programmes/programmes.repository.ts';
import { isOpen, stageNames } from '../stages.ts';
import { hasSupported, listComments } from './ideas.repository.ts';
import * as service from './ideas.service.ts';

/** Community suggestions from one address: plenty for a person, too few for a flood. */
export const SUGGESTIONS_PER_WINDOW = 5;
export const SUGGESTION_WINDOW = '10 minutes';

const statusNames: Record<string, string> = { awaiting_moderation: 'Awaiting a manager’s check', submitted: 'Submitted', shortlisted: 'Shortlisted', declined: 'Declined' };
const statusColours: Record<string, string> = { awaiting_moderation: 'orange', submitted: 'grey', shortlisted: 'green', declined: 'red' };

export function registerIdeasRoutes(app: FastifyInstance, { db }: AppContext) {
  app.get('/programmes/:id/ideas', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    if (!ctx) return reply;
    const ideas = await service.ideasFor(db, ctx.access, ctx.actor, ctx.programme.id);
    const q = request.query as Record<string, string | undefined>;
    return programmePage(reply, ctx, 'innovation/ideas.njk', {
      title: 'Ideas',
      ideas,
      awaiting: ideas.filter((i) => i.status === 'awaiting_moderation'),
      statusNames,
      statusColours,
      flash: q.submitted ? 'Thank you. Your idea has been added.' : undefined,
    });
  });

  const renderNew = (reply: FastifyReply, ctx: ProgrammeContext, values: Record<string, unknown>, errors?: FieldError[]) =>
    programmePage(reply, ctx, 'innovation/idea-form.njk', {
      title: 'Suggest an idea',
      values,
      errors,
      action: `/programmes/${ctx.programme.id}/ideas/new`,
      submitText: 'Submit idea',
      closedReason: isOpen(ctx.programme.stage, 'submit_idea') ? null : `This programme is not taking new ideas at the ${stageNames[ctx.programme.stage]} stage.`,
      backHref: `/programmes/${ctx.programme.id}/ideas`,
    });

  app.get('/programmes/:id/ideas/new', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    return ctx ? renderNew(reply, ctx, {}) : reply;
  });

  app.post('/programmes/:id/ideas/new', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    if (!ctx) return reply;
    const input = body(request);
    const r = await handleForm(reply, IdeaForm, input, (f) => service.submitIdea(db, ctx.actor, ctx.access, ctx.programme, f, request.ip), (errors) => renderNew(reply, ctx, keep(input), errors), 'idea-form');
    return r.saved ? reply.redirect(`/programmes/${ctx.programme.id}/ideas/${r.result}?submitted=1`, 303) : reply;
  });

  const renderEdit = async (reply: FastifyReply, ctx: ProgrammeContext, ideaId: string, values?: Record<string, unknown>, errors?: FieldError[]) => {
    const idea = await service.loadIdea(db, ctx.access, ctx.actor, ctx.programme.id, ideaId);
    if (!service.canChangeIdea(ctx.access, ctx.actor, idea)) throw forbidden('Only the person who suggested this idea and the programme’s managers can change it.');
    return programmePage(reply, ctx, 'innovation/idea-form.njk', {
      title: idea.submitted_by === ctx.actor.userId ? 'Change your idea' : 'Change this idea',
      values: values ?? service.ideaFormValues(idea),
      errors,
      action: `/programmes/${ctx.programme.id}/ideas/${ideaId}/edit`,
      submitText: 'Save changes',
      closedReason: service.whyIdeaCannotChange(ctx.programme, idea),
      backHref: `/programmes/${ctx.programme.id}/ideas/${ideaId}`,
    });
  };

  app.get('/programmes/:id/ideas/:ideaId/edit', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    return ctx ? renderEdit(reply, ctx, childId(request, 'ideaId', 'Idea')) : reply;
  });

  app.post('/programmes/:id/ideas/:ideaId/edit', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    if (!ctx) return reply;
    const ideaId = childId(request, 'ideaId', 'Idea');
    const input = body(request);
    const r = await handleForm(reply, IdeaForm, input, (f) => service.editIdea(db, ctx.actor, ctx.access, ctx.programme, ideaId, f, request.ip), (errors) => renderEdit(reply, ctx, ideaId, keep(input), errors), 'idea-form');
    return r.saved ? reply.redirect(`/programmes/${ctx.programme.id}/ideas/${ideaId}?changed=1`, 303) : reply;
  });

  const renderIdea = async (reply: FastifyReply, ctx: ProgrammeContext, ideaId: string, values: Record<string, unknown> = {}, errors?: FieldError[], flash?: string) => {
    const idea = await service.loadIdea(db, ctx.access, ctx.actor, ctx.programme.id, ideaId);
    const [comments, supported] = await Promise.all([listComments(db, ideaId), hasSupported(db, ideaId, ctx.actor.userId)]);
    return programmePage(reply, ctx, 'innovation/idea.njk', {
      title: idea.title,
      idea,
      comments,
      supported,
      statusName: statusNames[idea.status],
      canEdit: service.canChangeIdea(ctx.access, ctx.actor, idea) && !service.whyIdeaCannotChange(ctx.programme, idea),
      statusColour: statusColours[idea.status],
      values,
      errors,
      flash,
      backHref: `/programmes/${ctx.programme.id}/ideas`,
    });
  };

  app.get('/programmes/:id/ideas/:ideaId', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    if (!ctx) return reply;
    const q = request.query as Record<string, string | undefined>;
    return renderIdea(reply, ctx, childId(request, 'ideaId', 'Idea'), {}, undefined, q.submitted ? 'Thank you. Your idea has been added. Others can now comment on it and support it.' : q.changed ? 'Your changes to the idea are saved.' : undefined);
  });

  app.post('/programmes/:id/ideas/:ideaId/comments', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    if (!ctx) return reply;
    const ideaId = childId(request, 'ideaId', 'Idea');
    const input = body(request);
    const r = await handleForm(reply, CommentForm, input, (f) => service.commentOnIdea(db, ctx.actor, ctx.access, ctx.programme, ideaId, f.body, request.ip), (errors) => renderIdea(reply, ctx, ideaId, keep(input), errors), 'body');
    return r.saved ? reply.redirect(`/programmes/${ctx.programme.id}/ideas/${ideaId}#comments`, 303) : reply;
  });

  app.post('/programmes/:id/ideas/:ideaId/support', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    if (!ctx) return reply;
    const ideaId = childId(request, 'ideaId', 'Idea');
    const r = await handleForm(reply, CommentForm.partial(), {}, () => service.toggleSupport(db, ctx.actor, ctx.access, ctx.programme, ideaId, request.ip), (errors) => renderIdea(reply, ctx, ideaId, {}, errors), 'support');
    return r.saved ? reply.redirect(`/programmes/${ctx.programme.id}/ideas/${ideaId}`, 303) : reply;
  });

  app.post('/programmes/:id/ideas/:ideaId/status', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    if (!ctx) return reply;
    const ideaId = childId(request, 'ideaId', 'Idea');
    const move = String(body(request).move ?? '');
    const r = await handleForm(reply, CommentForm.partial(), {}, () => service.moveIdea(db, ctx.actor, ctx.access, ctx.programme, ideaId, move, request.ip), (errors) => renderIdea(reply, ctx, ideaId, {}, errors), 'manage');
    return r.saved ? reply.redirect(String(body(request).returnTo ?? '') === 'list' ? `/programmes/${ctx.programme.id}/ideas` : `/programmes/${ctx.programme.id}/ideas/${ideaId}`, 303) : reply;
  });

  // The public form: no sign-in. A manager checks each suggestion before others see it.
  async function publicProgramme(id: string): Promise<ProgrammeRow> {
    if (!isUuid(id)) throw notFound('Programme');
    const programme = await getProgramme(db, id);
    if (!programme) throw notFound('Programme');
    return programme;
  }
  const renderSuggest = (reply: FastifyReply, programme: ProgrammeRow, values: Record<string, unknown>, errors?: FieldError[]) =>
    reply.page('innovation/suggest.njk', {
      title: `Suggest an idea to ${programme.name}`,
      programmeName: programme.name,
      purpose: programme.purpose,
      accepting: programme.public_ideas && isOpen(programme.stage, 'submit_idea'),
      values,
      errors,
      action: `/programmes/${programme.id}/suggest`,
      ...viewHelpers,
    });

  app.get('/programmes/:id/suggest', { schema: { hide: true } }, async (request, reply) => renderSuggest(reply, await publicProgramme(String((request.params as { id: string }).id)), {}));

  withPublicFormLimit(app, { max: SUGGESTIONS_PER_WINDOW, window: SUGGESTION_WINDOW, title: 'You have sent too many ideas', what: 'ideas' }, (scoped, rateLimit) => {
    scoped.post('/programmes/:id/suggest', { schema: { hide: true }, config: { rateLimit } }, async (request, reply) => {
      const programme = await publicProgramme(String((request.params as { id: string }).id));
      const input = body(request);
      const r = await handleForm(reply, PublicIdeaForm, input, (f) => service.suggestIdea(db, programme, f, request.ip), (errors) => renderSuggest(reply, programme, keep(input), errors), 'idea-form');
      return r.saved ? reply.page('innovation/suggest-thanks.njk', { title: 'Thank you for your idea', programmeName: programme.name }) : reply;
    });
  });
}
