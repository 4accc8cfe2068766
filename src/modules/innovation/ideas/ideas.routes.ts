import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../../platform/http/app.ts';
import { signedIn } from '../../../platform/http/access.ts';
import { formBody, submitForm, type FieldError } from '../../../platform/http/forms.ts';
import { withPublicFormLimit } from '../../../platform/http/public-form-limit.ts';
import { openProgramme, programmePage, viewHelpers, type ProgrammeContext } from '../innovation.http.ts';
import { CommentForm, IdeaForm, IdeaMoveForm, PublicIdeaForm } from './ideas.schemas.ts';
import { IdeaParams, ProgrammeParams } from '../innovation.schemas.ts';
import { NoFields } from '../../../platform/form-fields.ts';
import type { Programme } from '../programmes/programmes.repository.ts';
import { isOpen, stageNames } from '../stages.ts';
import * as service from './ideas.service.ts';

/** Community suggestions from one address: plenty for a person, too few for a flood. */
export const SUGGESTIONS_PER_WINDOW = 5;
const SUGGESTION_WINDOW = '10 minutes';

const statusNames: Record<string, string> = { awaiting_moderation: 'Awaiting a manager’s check', submitted: 'Submitted', shortlisted: 'Shortlisted', declined: 'Declined' };
const statusColours: Record<string, string> = { awaiting_moderation: 'orange', submitted: 'grey', shortlisted: 'green', declined: 'red' };

/** What each move of an idea did, said once on the next page. */
const moveMessages: Record<string, string> = {
  approve: 'The idea is approved: everyone taking part can now see it.',
  decline: 'The idea is declined.',
  shortlist: 'The idea is shortlisted. When teams form, it can become a team.',
  unshortlist: 'The idea is taken off the shortlist.',
  reconsider: 'The idea is back for consideration.',
};

export function registerIdeasRoutes(appBase: FastifyInstance, { db }: AppContext) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const page = { preHandler: signedIn, schema: { hide: true, params: ProgrammeParams } };
  const ideaPage = { preHandler: signedIn, schema: { hide: true, params: IdeaParams } };

  app.get('/programmes/:id/ideas', page, async (request, reply) => {
    const ctx = await openProgramme(db, request);
    const ideas = await service.ideasFor(db, ctx.access, ctx.actor, ctx.programme.id);
    return programmePage(reply, ctx, 'innovation/ideas.njk', {
      title: 'Ideas',
      ideas,
      awaiting: ideas.filter((i) => i.status === 'awaiting_moderation'),
      statusNames,
      statusColours,
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

  app.get('/programmes/:id/ideas/new', page, async (request, reply) => renderNew(reply, await openProgramme(db, request), {}));

  app.post('/programmes/:id/ideas/new', page, async (request, reply) => {
    const ctx = await openProgramme(db, request);
    const input = formBody(request);
    return submitForm(reply, {
      schema: IdeaForm,
      input,
      save: (f) => service.submitIdea(db, ctx.actor, ctx.access, ctx.programme, f, request.ip),
      redisplay: (errors) => renderNew(reply, ctx, input, errors),
      done: (id) => ({ redirect: `/programmes/${ctx.programme.id}/ideas/${id}`, flash: 'Thank you. Your idea has been added. Others can now comment on it and support it.' }),
      anchor: 'idea-form',
    });
  });

  const renderEdit = async (reply: FastifyReply, ctx: ProgrammeContext, ideaId: string, values?: Record<string, unknown>, errors?: FieldError[]) => {
    const idea = await service.ideaToChange(db, ctx.access, ctx.actor, ctx.programme.id, ideaId);
    return programmePage(reply, ctx, 'innovation/idea-form.njk', {
      title: idea.submittedBy === ctx.actor.userId ? 'Change your idea' : 'Change this idea',
      values: values ?? service.ideaFormValues(idea),
      errors,
      action: `/programmes/${ctx.programme.id}/ideas/${ideaId}/edit`,
      submitText: 'Save changes',
      closedReason: service.whyIdeaCannotChange(ctx.programme, idea),
      backHref: `/programmes/${ctx.programme.id}/ideas/${ideaId}`,
    });
  };

  app.get('/programmes/:id/ideas/:ideaId/edit', ideaPage, async (request, reply) => renderEdit(reply, await openProgramme(db, request), request.params.ideaId));

  app.post('/programmes/:id/ideas/:ideaId/edit', ideaPage, async (request, reply) => {
    const ctx = await openProgramme(db, request);
    const { ideaId } = request.params;
    const input = formBody(request);
    return submitForm(reply, {
      schema: IdeaForm,
      input,
      save: (f) => service.editIdea(db, ctx.actor, ctx.access, ctx.programme, ideaId, f, request.ip),
      redisplay: (errors) => renderEdit(reply, ctx, ideaId, input, errors),
      done: () => ({ redirect: `/programmes/${ctx.programme.id}/ideas/${ideaId}`, flash: 'Your changes to the idea are saved.' }),
      anchor: 'idea-form',
    });
  });

  const renderIdea = async (reply: FastifyReply, ctx: ProgrammeContext, ideaId: string, values: Record<string, unknown> = {}, errors?: FieldError[]) => {
    const { idea, comments, supported, canEdit } = await service.ideaPage(db, ctx, ideaId);
    return programmePage(reply, ctx, 'innovation/idea.njk', {
      title: idea.title,
      idea,
      comments,
      supported,
      statusName: statusNames[idea.status],
      canEdit,
      statusColour: statusColours[idea.status],
      values,
      errors,
      backHref: `/programmes/${ctx.programme.id}/ideas`,
    });
  };

  app.get('/programmes/:id/ideas/:ideaId', ideaPage, async (request, reply) => renderIdea(reply, await openProgramme(db, request), request.params.ideaId));

  app.post('/programmes/:id/ideas/:ideaId/comments', ideaPage, async (request, reply) => {
    const ctx = await openProgramme(db, request);
    const { ideaId } = request.params;
    const input = formBody(request);
    return submitForm(reply, {
      schema: CommentForm,
      input,
      save: (f) => service.commentOnIdea(db, ctx.actor, ctx.access, ctx.programme, ideaId, f.body, request.ip),
      redisplay: (errors) => renderIdea(reply, ctx, ideaId, input, errors),
      done: () => ({ redirect: `/programmes/${ctx.programme.id}/ideas/${ideaId}#comments` }),
      anchor: 'body',
    });
  });

  app.post('/programmes/:id/ideas/:ideaId/support', ideaPage, async (request, reply) => {
    const ctx = await openProgramme(db, request);
    const { ideaId } = request.params;
    return submitForm(reply, {
      schema: NoFields,
      input: {},
      save: () => service.toggleSupport(db, ctx.actor, ctx.access, ctx.programme, ideaId, request.ip),
      redisplay: (errors) => renderIdea(reply, ctx, ideaId, {}, errors),
      done: () => ({ redirect: `/programmes/${ctx.programme.id}/ideas/${ideaId}` }),
      anchor: 'support',
    });
  });

  app.post('/programmes/:id/ideas/:ideaId/status', ideaPage, async (request, reply) => {
    const ctx = await openProgramme(db, request);
    const { ideaId } = request.params;
    return submitForm(reply, {
      schema: IdeaMoveForm,
      input: formBody(request),
      save: (f) => service.moveIdea(db, ctx.actor, ctx.access, ctx.programme, ideaId, f.move, request.ip).then(() => f),
      redisplay: (errors) => renderIdea(reply, ctx, ideaId, {}, errors),
      done: (f) => ({
        redirect: f.returnTo === 'list' ? `/programmes/${ctx.programme.id}/ideas` : `/programmes/${ctx.programme.id}/ideas/${ideaId}`,
        flash: moveMessages[f.move],
      }),
      anchor: 'manage',
    });
  });

  // The public form: no sign-in. A manager checks each suggestion before others see it.
  const renderSuggest = (reply: FastifyReply, programme: Programme, values: Record<string, unknown>, errors?: FieldError[]) =>
    reply.page('innovation/suggest.njk', {
      title: `Suggest an idea to ${programme.name}`,
      programmeName: programme.name,
      purpose: programme.purpose,
      accepting: programme.publicIdeas && isOpen(programme.stage, 'submit_idea'),
      values,
      errors,
      action: `/programmes/${programme.id}/suggest`,
      ...viewHelpers,
    });

  app.get('/programmes/:id/suggest', { schema: { hide: true, params: ProgrammeParams } }, async (request, reply) => renderSuggest(reply, await service.publicProgramme(db, request.params.id), {}));

  withPublicFormLimit(app, { max: SUGGESTIONS_PER_WINDOW, window: SUGGESTION_WINDOW, title: 'You have sent too many ideas', what: 'ideas' }, (scoped, rateLimit) => {
    scoped.withTypeProvider<ZodTypeProvider>().post('/programmes/:id/suggest', { schema: { hide: true, params: ProgrammeParams }, config: { rateLimit } }, async (request, reply) => {
      const programme = await service.publicProgramme(db, request.params.id);
      const input = formBody(request);
      // The public form answers with its thank-you page (200) at once, not a redirect.
      return submitForm(reply, {
        schema: PublicIdeaForm,
        input,
        save: (idea) => service.suggestIdea(db, programme, idea, request.ip),
        redisplay: (errors) => renderSuggest(reply, programme, input, errors),
        done: () => ({ show: () => reply.page('innovation/suggest-thanks.njk', { title: 'Thank you for your idea', programmeName: programme.name }) }),
        anchor: 'idea-form',
      });
    });
  });
}
