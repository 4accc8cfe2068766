import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../../platform/http/app.ts';
import { signedIn } from '../../../platform/http/access.ts';
import { anchorErrors, formBody, submitForm, type FieldError } from '../../../platform/http/forms.ts';
import { openProgramme, programmePage, type ProgrammeContext } from '../innovation.http.ts';
import { NewTeamQuery, TeamForm, TeamMemberForm } from './teams.schemas.ts';
import { ProgrammeParams, TeamParams } from '../innovation.schemas.ts';
import { listIdeas } from '../ideas/ideas.repository.ts';
import { listMembers } from '../programmes/programmes.repository.ts';
import * as service from './teams.service.ts';

export function registerTeamsRoutes(appBase: FastifyInstance, { db }: AppContext) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();

  app.get('/programmes/:id/teams', { preHandler: signedIn, schema: { hide: true, params: ProgrammeParams } }, async (request, reply) => {
    const ctx = await openProgramme(db, request);
    const [teams, ideas] = await Promise.all([service.teamsWithMembers(db, ctx.programme.id), listIdeas(db, ctx.programme.id)]);
    return programmePage(reply, ctx, 'innovation/teams.njk', {
      title: 'Teams',
      teams,
      waiting: ideas.filter((i) => i.status === 'shortlisted' && !i.teamId),
    });
  });

  const renderNew = async (reply: FastifyReply, ctx: ProgrammeContext, values: Record<string, unknown>, errors?: FieldError[]) => {
    const [ideas, members] = await Promise.all([listIdeas(db, ctx.programme.id), listMembers(db, ctx.programme.id)]);
    const idea = ideas.find((i) => i.id === values.ideaId && i.status === 'shortlisted' && !i.teamId);
    const chosen = ([] as unknown[]).concat(values.memberIds ?? []);
    return programmePage(reply, ctx, 'innovation/team-form.njk', {
      title: 'Form a team',
      idea,
      values,
      // Without an idea to form a team for, the form is not shown: errors point at the message instead.
      errors: errors && !idea ? anchorErrors(errors, () => 'team-form') : errors,
      memberItems: members.map((m) => ({ value: m.userId, text: m.name, hint: { text: `${m.organisationName ?? ''}${m.role === 'panel' ? ' (investment team)' : ''}` }, checked: chosen.includes(m.userId) })),
      backHref: `/programmes/${ctx.programme.id}/teams`,
    });
  };

  app.get('/programmes/:id/teams/new', { preHandler: signedIn, schema: { hide: true, params: ProgrammeParams, querystring: NewTeamQuery } }, async (request, reply) =>
    renderNew(reply, await openProgramme(db, request), { ideaId: request.query.ideaId }),
  );

  app.post('/programmes/:id/teams/new', { preHandler: signedIn, schema: { hide: true, params: ProgrammeParams } }, async (request, reply) => {
    const ctx = await openProgramme(db, request);
    const input = formBody(request);
    return submitForm(reply, {
      schema: TeamForm,
      input,
      save: (f) => service.formTeam(db, ctx.actor, ctx.access, ctx.programme, f, request.ip),
      redisplay: (errors) => renderNew(reply, ctx, input, errors),
      done: (teamId) => ({ redirect: `/programmes/${ctx.programme.id}/teams/${teamId}` }),
    });
  });

  const renderTeam = async (reply: FastifyReply, ctx: ProgrammeContext, teamId: string, values: Record<string, unknown> = {}, errors?: FieldError[]) => {
    const { team, addable, needs, investmentCase, canAct, canWriteCase } = await service.teamPage(db, ctx, teamId);
    const addItems = [{ value: '', text: 'Choose a person' }, ...addable.map((m) => ({ value: m.userId, text: `${m.name}${m.organisationName ? ` (${m.organisationName})` : ''}` }))];
    const canAdd = canAct && addable.length > 0 && ctx.programme.stage !== 'closed';
    return programmePage(reply, ctx, 'innovation/team.njk', {
      title: team.name,
      team,
      needs,
      investmentCase,
      canAct,
      canAdd,
      canWriteCase,
      addItems,
      values,
      // Refusals to remove someone, or to add someone when the list is not shown, point at the members list.
      errors: errors && (values.remove === 'yes' || !canAdd) ? anchorErrors(errors, () => 'members') : errors,
      backHref: `/programmes/${ctx.programme.id}/teams`,
    });
  };

  app.get('/programmes/:id/teams/:teamId', { preHandler: signedIn, schema: { hide: true, params: TeamParams } }, async (request, reply) => renderTeam(reply, await openProgramme(db, request), request.params.teamId));

  app.post('/programmes/:id/teams/:teamId/members', { preHandler: signedIn, schema: { hide: true, params: TeamParams } }, async (request, reply) => {
    const ctx = await openProgramme(db, request);
    const { teamId } = request.params;
    const input = formBody(request);
    const change = input.remove === 'yes' ? service.leaveTeam : service.joinTeam;
    return submitForm(reply, {
      schema: TeamMemberForm,
      input,
      save: (f) => change(db, ctx.actor, ctx.access, ctx.programme, teamId, f.userId, request.ip),
      redisplay: (errors) => renderTeam(reply, ctx, teamId, input, errors),
      done: () => ({ redirect: `/programmes/${ctx.programme.id}/teams/${teamId}` }),
    });
  });
}
