import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../../platform/http/app.ts';
import type { FieldError } from '../../../platform/http/forms.ts';
import { refuse } from '../innovation.errors.ts';
import { isUuid } from '../../../platform/ids.ts';
import { canActForTeam } from '../innovation.policy.ts';
import { anchorErrors, body, childId, handleForm, keep, openProgramme, programmePage, type ProgrammeContext } from '../innovation.http.ts';
import { TeamForm, TeamMemberForm } from '../innovation.schemas.ts';
import { listIdeas } from '../ideas/ideas.repository.ts';
import { listMembers } from '../programmes/programmes.repository.ts';
import { listNeeds } from '../needs-offers/needs-offers.repository.ts';
import { getCaseForTeam, isDecided } from '../cases/cases.repository.ts';
import { whyCaseCannotChange } from '../cases/cases.service.ts';
import * as service from './teams.service.ts';

export function registerTeamsRoutes(app: FastifyInstance, { db }: AppContext) {
  app.get('/programmes/:id/teams', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    if (!ctx) return reply;
    const [teams, ideas] = await Promise.all([service.teamsWithMembers(db, ctx.programme.id), listIdeas(db, ctx.programme.id)]);
    return programmePage(reply, ctx, 'innovation/teams.njk', {
      title: 'Teams',
      teams,
      waiting: ideas.filter((i) => i.status === 'shortlisted' && !i.team_id),
    });
  });

  const renderNew = async (reply: FastifyReply, ctx: ProgrammeContext, values: Record<string, unknown>, errors?: FieldError[]) => {
    const [ideas, members] = await Promise.all([listIdeas(db, ctx.programme.id), listMembers(db, ctx.programme.id)]);
    const idea = ideas.find((i) => i.id === values.ideaId && i.status === 'shortlisted' && !i.team_id);
    const chosen = ([] as unknown[]).concat(values.memberIds ?? []);
    return programmePage(reply, ctx, 'innovation/team-form.njk', {
      title: 'Form a team',
      idea,
      values,
      // Without an idea to form a team for, the form is not shown: errors point at the message instead.
      errors: errors && !idea ? anchorErrors(errors, () => 'team-form') : errors,
      memberItems: members.map((m) => ({ value: m.user_id, text: m.name, hint: { text: `${m.organisation_name ?? ''}${m.role === 'panel' ? ' (investment team)' : ''}` }, checked: chosen.includes(m.user_id) })),
      backHref: `/programmes/${ctx.programme.id}/teams`,
    });
  };

  app.get('/programmes/:id/teams/new', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    if (!ctx) return reply;
    const ideaId = (request.query as Record<string, string>).ideaId;
    return renderNew(reply, ctx, { ideaId: isUuid(ideaId) ? ideaId : undefined });
  });

  app.post('/programmes/:id/teams/new', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    if (!ctx) return reply;
    const input = body(request);
    const ideaId = isUuid(input.ideaId) ? input.ideaId : '';
    const r = await handleForm(
      reply,
      TeamForm,
      input,
      async (f) => {
        if (!ideaId) throw refuse('name', 'Choose a shortlisted idea for the team');
        return service.formTeam(db, ctx.actor, ctx.access, ctx.programme, ideaId, f, request.ip);
      },
      (errors) => renderNew(reply, ctx, keep(input), errors),
    );
    return r.saved ? reply.redirect(`/programmes/${ctx.programme.id}/teams/${r.result}`, 303) : reply;
  });

  const renderTeam = async (reply: FastifyReply, ctx: ProgrammeContext, teamId: string, values: Record<string, unknown> = {}, errors?: FieldError[]) => {
    const team = await service.loadTeam(db, ctx.programme.id, teamId);
    const [members, needs, investmentCase] = await Promise.all([listMembers(db, ctx.programme.id), listNeeds(db, ctx.programme.id), getCaseForTeam(db, teamId)]);
    const addItems = [{ value: '', text: 'Choose a person' }, ...members.filter((m) => !team.members.some((t) => t.user_id === m.user_id)).map((m) => ({ value: m.user_id, text: `${m.name}${m.organisation_name ? ` (${m.organisation_name})` : ''}` }))];
    const canAct = canActForTeam(ctx.access, teamId);
    const canAdd = canAct && addItems.length > 1 && ctx.programme.stage !== 'closed';
    return programmePage(reply, ctx, 'innovation/team.njk', {
      title: team.name,
      team,
      needs: needs.filter((n) => n.team_id === teamId),
      investmentCase,
      canAct,
      canAdd,
      canWriteCase: canAct && !whyCaseCannotChange(ctx.programme, !!investmentCase && (await isDecided(db, investmentCase.id))),
      addItems,
      values,
      // Refusals to remove someone, or to add someone when the list is not shown, point at the members list.
      errors: errors && (values.remove === 'yes' || !canAdd) ? anchorErrors(errors, () => 'members') : errors,
      backHref: `/programmes/${ctx.programme.id}/teams`,
    });
  };

  app.get('/programmes/:id/teams/:teamId', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    return ctx ? renderTeam(reply, ctx, childId(request, 'teamId', 'Team')) : reply;
  });

  app.post('/programmes/:id/teams/:teamId/members', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    if (!ctx) return reply;
    const teamId = childId(request, 'teamId', 'Team');
    const input = body(request);
    const remove = input.remove === 'yes';
    const r = await handleForm(
      reply,
      TeamMemberForm,
      input,
      (f) => (remove ? service.leaveTeam : service.joinTeam)(db, ctx.actor, ctx.access, ctx.programme, teamId, f.userId, request.ip),
      (errors) => renderTeam(reply, ctx, teamId, keep(input), errors),
    );
    return r.saved ? reply.redirect(`/programmes/${ctx.programme.id}/teams/${teamId}`, 303) : reply;
  });
}
