import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../../platform/http/app.ts';
import { actorOf, allow, signedIn } from '../../../platform/http/access.ts';
import { formBody, submitForm, type FieldError } from '../../../platform/http/forms.ts';
import { penceToInput } from '../../../platform/money.ts';
import { canRunProgrammes } from '../innovation.policy.ts';
import { openProgramme, programmePage, viewHelpers, type ProgrammeContext } from '../innovation.http.ts';
import { CriterionForm, MemberForm, ProgrammeForm, StageForm } from './programmes.schemas.ts';
import { CriterionParams, MemberParams, ProgrammeParams } from '../innovation.schemas.ts';
import { NoFields } from '../../../platform/form-fields.ts';
import { stageDescriptions, stages, stageNames, isOpen, activityNames, type Activity } from '../stages.ts';
import * as repo from './programmes.repository.ts';
import { organisationPickerFor, pickOrganisation, type OrganisationPicker } from '../../../platform/organisation-picker.ts';
import * as service from './programmes.service.ts';

function programmeValues(p: repo.Programme, deadline?: { date: string; time: string }) {
  return {
    name: p.name,
    purpose: p.purpose,
    startsOn: p.startsOn ?? '',
    endsOn: p.endsOn ?? '',
    fund: penceToInput(p.fundPence),
    caseDeadlineDate: deadline?.date ?? '',
    caseDeadlineTime: deadline?.time ?? '',
    publicIdeas: p.publicIdeas ? 'yes' : 'no',
  };
}

/** The deadline in UK time, split for the date and time fields. */
function ukDeadline(at: Date | null): { date: string; time: string } | undefined {
  if (!at) return undefined;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

export function registerProgrammesRoutes(appBase: FastifyInstance, context: AppContext) {
  const { db } = context;
  const app = appBase.withTypeProvider<ZodTypeProvider>();

  app.get('/programmes', { preHandler: signedIn, schema: { hide: true } }, async (request, reply) => {
    // Someone invited by email who signs in another way still joins the programmes they were invited to.
    await service.joinInvitedProgrammes(db, actorOf(request), undefined, request.ip);
    const { programmes, canCreate } = await service.programmesPage(db, actorOf(request));
    return reply.page('innovation/programmes.njk', { title: 'Programmes', width: 'full', programmes, canCreate, ...viewHelpers });
  });

  const renderNew = (reply: FastifyReply, values: Record<string, unknown>, errors?: FieldError[]) =>
    reply.page('innovation/programme-form.njk', { title: 'Create a programme', width: 'full', values, errors, action: '/programmes/new', backHref: '/programmes' });

  app.get('/programmes/new', { preHandler: allow(canRunProgrammes), schema: { hide: true } }, async (_request, reply) => renderNew(reply, { publicIdeas: 'yes', caseDeadlineTime: '17:00' }));

  app.post('/programmes/new', { preHandler: allow(canRunProgrammes), schema: { hide: true } }, async (request, reply) => {
    const input = formBody(request);
    return submitForm(reply, {
      schema: ProgrammeForm,
      input,
      save: (f) => service.createProgramme(db, actorOf(request), f, request.ip),
      redisplay: (errors) => renderNew(reply, input, errors),
      done: (id) => ({ redirect: `/programmes/${id}`, flash: 'Programme created. Invite participants and check the scoring criteria.' }),
    });
  });

  const overview = async (reply: FastifyReply, ctx: ProgrammeContext, extra: Record<string, unknown> = {}) => {
    const [position, members, criteria] = await Promise.all([repo.fundPosition(db, ctx.programme), repo.listMembers(db, ctx.programme.id), repo.listCriteria(db, ctx.programme.id)]);
    const currentIndex = stages.indexOf(ctx.programme.stage);
    const openNow = (Object.keys(activityNames) as Activity[]).filter((a) => isOpen(ctx.programme.stage, a)).map((a) => activityNames[a]);
    return programmePage(reply, ctx, 'innovation/programme.njk', {
      title: ctx.programme.name,
      position,
      members,
      criteria,
      stageList: stages.map((s, i) => ({ value: s, name: stageNames[s], description: stageDescriptions[s], state: i < currentIndex ? 'done' : i === currentIndex ? 'current' : 'todo' })),
      stageItems: stages.map((s) => ({ value: s, text: stageNames[s] })),
      stageDescription: stageDescriptions[ctx.programme.stage],
      openNow,
      deadline: ctx.programme.caseDeadline,
      ...extra,
    });
  };

  app.get('/programmes/:id', { preHandler: signedIn, schema: { hide: true, params: ProgrammeParams } }, async (request, reply) => overview(reply, await openProgramme(db, request)));

  app.post('/programmes/:id/stage', { preHandler: signedIn, schema: { hide: true, params: ProgrammeParams } }, async (request, reply) => {
    const ctx = await openProgramme(db, request);
    return submitForm(reply, {
      schema: StageForm,
      input: formBody(request),
      save: (f) => service.moveStage(db, ctx.actor, ctx.access, ctx.programme, f.stage, request.ip).then(() => f.stage),
      redisplay: (errors) => overview(reply, ctx, { errors }),
      done: (stage) => ({ redirect: `/programmes/${ctx.programme.id}`, flash: `The programme is now at the ${stageNames[stage]} stage.` }),
    });
  });

  const renderEdit = (reply: FastifyReply, ctx: ProgrammeContext, values: Record<string, unknown>, errors?: FieldError[]) =>
    programmePage(reply, ctx, 'innovation/programme-form.njk', { title: 'Change programme details', values, errors, action: `/programmes/${ctx.programme.id}/edit`, backHref: `/programmes/${ctx.programme.id}` });

  app.get('/programmes/:id/edit', { preHandler: signedIn, schema: { hide: true, params: ProgrammeParams } }, async (request, reply) => {
    const ctx = await openProgramme(db, request);
    service.requireManager(ctx.access);
    return renderEdit(reply, ctx, programmeValues(ctx.programme, ukDeadline(ctx.programme.caseDeadline)));
  });

  app.post('/programmes/:id/edit', { preHandler: signedIn, schema: { hide: true, params: ProgrammeParams } }, async (request, reply) => {
    const ctx = await openProgramme(db, request);
    service.requireManager(ctx.access);
    const input = formBody(request);
    return submitForm(reply, {
      schema: ProgrammeForm,
      input,
      save: (f) => service.editProgramme(db, ctx.actor, ctx.access, ctx.programme.id, f, request.ip),
      redisplay: (errors) => renderEdit(reply, ctx, input, errors),
      done: () => ({ redirect: `/programmes/${ctx.programme.id}` }),
    });
  });

  const participants = async (reply: FastifyReply, ctx: ProgrammeContext, values: Record<string, unknown> = { role: 'participant' }, errors?: FieldError[], picker?: OrganisationPicker) => {
    const [members, invitations] = await Promise.all([repo.listMembers(db, ctx.programme.id), service.pendingInvitations(db, ctx.access, ctx.programme)]);
    return programmePage(reply, ctx, 'innovation/participants.njk', {
      title: 'Participants',
      members,
      invitations,
      picker: picker ?? (await organisationPickerFor(db, values.organisationId)),
      values,
      errors,
    });
  };

  app.get('/programmes/:id/participants', { preHandler: signedIn, schema: { hide: true, params: ProgrammeParams } }, async (request, reply) => participants(reply, await openProgramme(db, request)));

  // After an invitation the page shows what happened to the email, and the link once if it was not sent.
  app.post('/programmes/:id/participants', { preHandler: signedIn, schema: { hide: true, params: ProgrammeParams } }, async (request, reply) => {
    const ctx = await openProgramme(db, request);
    service.requireManager(ctx.access);
    const input = formBody(request);
    const pick = await pickOrganisation(db, input, 'organisationId');
    if (pick.finding || pick.problem) {
      reply.status(pick.problem ? 422 : 200);
      return participants(reply, ctx, input, pick.problem ? [pick.problem] : undefined, pick.picker);
    }
    return submitForm(reply, {
      schema: MemberForm,
      input,
      save: (f) => service.inviteMember(context, ctx.actor, ctx.access, ctx.programme, f, request.ip),
      redisplay: (errors) => participants(reply, ctx, input, errors, pick.picker),
      done: (invited) =>
        invited.emailed && invited.kind === 'added'
          ? { redirect: `/programmes/${ctx.programme.id}/participants`, flash: `${invited.name} is now taking part. We have emailed them to say so.` }
          : { show: () => programmePage(reply, ctx, 'innovation/invited.njk', { title: invited.emailed ? 'Invitation sent' : 'Invitation made, but not emailed', invited, backHref: `/programmes/${ctx.programme.id}/participants` }) },
    });
  });

  // Where an accepted invitation lands: the invitation becomes the person's membership.
  app.get('/programmes/:id/join', { preHandler: signedIn, schema: { hide: true, params: ProgrammeParams } }, async (request, reply) => {
    const joined = await service.joinInvitedProgrammes(db, actorOf(request), request.params.id, request.ip);
    const ctx = await openProgramme(db, request);
    if (joined.length) reply.flash(`Welcome. You are now taking part in ${ctx.programme.name}.`);
    return reply.redirect(`/programmes/${ctx.programme.id}`, 303);
  });

  app.post('/programmes/:id/participants/:userId/remove', { preHandler: signedIn, schema: { hide: true, params: MemberParams } }, async (request, reply) => {
    const ctx = await openProgramme(db, request);
    await service.removeMember(db, ctx.actor, ctx.access, ctx.programme, request.params.userId, request.ip);
    return reply.redirect(`/programmes/${ctx.programme.id}/participants`, 303);
  });

  const criteriaPage = async (reply: FastifyReply, ctx: ProgrammeContext, values: Record<string, unknown> = {}, errors?: FieldError[]) =>
    programmePage(reply, ctx, 'innovation/criteria.njk', { title: 'Scoring criteria', criteria: await repo.listCriteria(db, ctx.programme.id), values, errors });

  app.get('/programmes/:id/criteria', { preHandler: signedIn, schema: { hide: true, params: ProgrammeParams } }, async (request, reply) => criteriaPage(reply, await openProgramme(db, request)));

  app.post('/programmes/:id/criteria', { preHandler: signedIn, schema: { hide: true, params: ProgrammeParams } }, async (request, reply) => {
    const ctx = await openProgramme(db, request);
    const input = formBody(request);
    return submitForm(reply, {
      schema: CriterionForm,
      input,
      save: (f) => service.addCriterion(db, ctx.actor, ctx.access, ctx.programme, f, request.ip),
      redisplay: (errors) => criteriaPage(reply, ctx, input, errors),
      done: () => ({ redirect: `/programmes/${ctx.programme.id}/criteria` }),
    });
  });

  app.post('/programmes/:id/criteria/:criterionId', { preHandler: signedIn, schema: { hide: true, params: CriterionParams } }, async (request, reply) => {
    const ctx = await openProgramme(db, request);
    const { criterionId } = request.params;
    const input = formBody(request);
    const done = () => ({ redirect: `/programmes/${ctx.programme.id}/criteria` });
    if (input.remove === 'yes') {
      return submitForm(reply, {
        schema: NoFields,
        input: {},
        save: () => service.removeCriterion(db, ctx.actor, ctx.access, ctx.programme, criterionId, request.ip),
        redisplay: (errors) => criteriaPage(reply, ctx, {}, errors),
        done,
        anchor: `criterion-${criterionId}`,
      });
    }
    return submitForm(reply, {
      schema: CriterionForm,
      input,
      save: (f) => service.changeCriterion(db, ctx.actor, ctx.access, ctx.programme, criterionId, f, request.ip),
      redisplay: (errors) => criteriaPage(reply, ctx, { ...input, editing: criterionId }, errors),
      done,
      // Each criterion has its own form, its fields suffixed with its id.
      anchor: (field) => (field === 'form' ? `criterion-${criterionId}` : `${field}-${criterionId}`),
    });
  });
}
