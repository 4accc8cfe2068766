import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../../platform/http/app.ts';
import type { FieldError } from '../../../platform/http/forms.ts';
import { requirePermission } from '../../identity/index.ts';
import { canRunProgrammes } from '../innovation.policy.ts';
import { body, childId, handleForm, keep, openProgramme, programmePage, viewHelpers, type ProgrammeContext } from '../innovation.http.ts';
import { CriterionForm, MemberForm, ProgrammeForm, StageForm } from '../innovation.schemas.ts';
import { penceToInput } from '../../../platform/money.ts';
import { stageDescriptions, stages, stageNames, isOpen, activityNames, type Activity } from '../stages.ts';
import * as repo from './programmes.repository.ts';
import * as service from './programmes.service.ts';

function programmeValues(p: repo.ProgrammeRow, deadline?: { date: string; time: string }) {
  return {
    name: p.name,
    purpose: p.purpose,
    startsOn: p.starts_on ?? '',
    endsOn: p.ends_on ?? '',
    fund: penceToInput(p.fund_pence),
    caseDeadlineDate: deadline?.date ?? '',
    caseDeadlineTime: deadline?.time ?? '',
    publicIdeas: p.public_ideas ? 'yes' : 'no',
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

export function registerProgrammesRoutes(app: FastifyInstance, { db }: AppContext) {
  app.get('/programmes', { schema: { hide: true } }, async (request, reply) => {
    if (!requirePermission(request, reply, () => true)) return reply;
    const programmes = await service.programmesFor(db, request.actor!);
    return reply.page('innovation/programmes.njk', { title: 'Programmes', width: 'full', programmes, canCreate: canRunProgrammes(request.actor), ...viewHelpers });
  });

  const renderNew = (reply: FastifyReply, values: Record<string, unknown>, errors?: FieldError[]) =>
    reply.page('innovation/programme-form.njk', { title: 'Create a programme', width: 'full', values, errors, action: '/programmes/new', backHref: '/programmes' });

  app.get('/programmes/new', { schema: { hide: true } }, async (request, reply) => {
    if (!requirePermission(request, reply, canRunProgrammes)) return reply;
    return renderNew(reply, { publicIdeas: 'yes', caseDeadlineTime: '17:00' });
  });

  app.post('/programmes/new', { schema: { hide: true } }, async (request, reply) => {
    if (!requirePermission(request, reply, canRunProgrammes)) return reply;
    const input = body(request);
    const r = await handleForm(reply, ProgrammeForm, input, (f) => service.createProgramme(db, request.actor!, f, request.ip), (errors) => renderNew(reply, keep(input), errors));
    return r.saved ? reply.redirect(`/programmes/${r.result}?created=1`, 303) : reply;
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
      deadline: ctx.programme.case_deadline,
      ...extra,
    });
  };

  app.get('/programmes/:id', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    if (!ctx) return reply;
    const q = request.query as Record<string, string | undefined>;
    const flash = q.created ? 'Programme created. Invite participants and check the scoring criteria.' : q.stage ? `The programme is now at the ${ctx.programme.stage ? stageNames[ctx.programme.stage] : ''} stage.` : undefined;
    return overview(reply, ctx, { flash });
  });

  app.post('/programmes/:id/stage', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    if (!ctx) return reply;
    const input = body(request);
    const r = await handleForm(reply, StageForm, input, (f) => service.moveStage(db, ctx.actor, ctx.access, ctx.programme, f.stage, request.ip), (errors) => overview(reply, ctx, { errors }));
    return r.saved ? reply.redirect(`/programmes/${ctx.programme.id}?stage=1`, 303) : reply;
  });

  const renderEdit = (reply: FastifyReply, ctx: ProgrammeContext, values: Record<string, unknown>, errors?: FieldError[]) =>
    programmePage(reply, ctx, 'innovation/programme-form.njk', { title: 'Change programme details', values, errors, action: `/programmes/${ctx.programme.id}/edit`, backHref: `/programmes/${ctx.programme.id}` });

  app.get('/programmes/:id/edit', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    if (!ctx) return reply;
    service.requireManager(ctx.access);
    return renderEdit(reply, ctx, programmeValues(ctx.programme, ukDeadline(ctx.programme.case_deadline)));
  });

  app.post('/programmes/:id/edit', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    if (!ctx) return reply;
    service.requireManager(ctx.access);
    const input = body(request);
    const r = await handleForm(reply, ProgrammeForm, input, (f) => service.editProgramme(db, ctx.actor, ctx.access, ctx.programme.id, f, request.ip), (errors) => renderEdit(reply, ctx, keep(input), errors));
    return r.saved ? reply.redirect(`/programmes/${ctx.programme.id}`, 303) : reply;
  });

  const participants = async (reply: FastifyReply, ctx: ProgrammeContext, values: Record<string, unknown> = { role: 'participant' }, errors?: FieldError[], flash?: string) => {
    const [members, organisations] = await Promise.all([repo.listMembers(db, ctx.programme.id), repo.listOrganisations(db)]);
    return programmePage(reply, ctx, 'innovation/participants.njk', {
      title: 'Participants',
      members,
      organisationItems: [{ value: '', text: 'Choose an organisation' }, ...organisations.map((o) => ({ value: o.id, text: o.name }))],
      values,
      errors,
      flash,
    });
  };

  app.get('/programmes/:id/participants', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    if (!ctx) return reply;
    const q = request.query as Record<string, string | undefined>;
    return participants(reply, ctx, undefined, undefined, q.added ? `${q.added} is now taking part.` : undefined);
  });

  app.post('/programmes/:id/participants', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    if (!ctx) return reply;
    service.requireManager(ctx.access);
    const input = body(request);
    const r = await handleForm(reply, MemberForm, input, (f) => service.addMember(db, ctx.actor, ctx.access, ctx.programme, f, request.ip), (errors) => participants(reply, ctx, keep(input), errors));
    return r.saved ? reply.redirect(`/programmes/${ctx.programme.id}/participants?added=${encodeURIComponent(r.result)}`, 303) : reply;
  });

  app.post('/programmes/:id/participants/:userId/remove', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    if (!ctx) return reply;
    await service.removeMember(db, ctx.actor, ctx.access, ctx.programme, childId(request, 'userId', 'Participant'), request.ip);
    return reply.redirect(`/programmes/${ctx.programme.id}/participants`, 303);
  });

  const criteriaPage = async (reply: FastifyReply, ctx: ProgrammeContext, values: Record<string, unknown> = {}, errors?: FieldError[]) =>
    programmePage(reply, ctx, 'innovation/criteria.njk', { title: 'Scoring criteria', criteria: await repo.listCriteria(db, ctx.programme.id), values, errors });

  app.get('/programmes/:id/criteria', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    return ctx ? criteriaPage(reply, ctx) : reply;
  });

  app.post('/programmes/:id/criteria', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    if (!ctx) return reply;
    const input = body(request);
    const r = await handleForm(reply, CriterionForm, input, (f) => service.addCriterion(db, ctx.actor, ctx.access, ctx.programme, f, request.ip), (errors) => criteriaPage(reply, ctx, keep(input), errors));
    return r.saved ? reply.redirect(`/programmes/${ctx.programme.id}/criteria`, 303) : reply;
  });

  app.post('/programmes/:id/criteria/:criterionId', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    if (!ctx) return reply;
    const criterionId = childId(request, 'criterionId', 'Criterion');
    const input = body(request);
    const save = input.remove === 'yes' ? () => service.removeCriterion(db, ctx.actor, ctx.access, ctx.programme, criterionId, request.ip) : undefined;
    const r = save
      ? await handleForm(reply, CriterionForm.partial(), {}, save, (errors) => criteriaPage(reply, ctx, {}, errors), `criterion-${criterionId}`)
      : await handleForm(reply, CriterionForm, input, (f) => service.changeCriterion(db, ctx.actor, ctx.access, ctx.programme, criterionId, f, request.ip), (errors) => criteriaPage(reply, ctx, { ...keep(input), editing: criterionId }, errors), (field) =>
          // Each criterion has its own form, its fields suffixed with its id.
          field === 'form' ? `criterion-${criterionId}` : `${field}-${criterionId}`,
        );
    return r.saved ? reply.redirect(`/programmes/${ctx.programme.id}/criteria`, 303) : reply;
  });
}
