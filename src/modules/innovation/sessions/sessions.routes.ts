import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../../platform/http/app.ts';
import type { FieldError } from '../../../platform/http/forms.ts';
import { body, childId, handleForm, keep, openProgramme, programmePage, type ProgrammeContext } from '../innovation.http.ts';
import { AttendanceForm, SessionForm, sessionKindNames, sessionKinds } from '../innovation.schemas.ts';
import { listMembers } from '../programmes/programmes.repository.ts';
import { listTeams } from '../teams/teams.repository.ts';
import { listAttendance, listSessions } from './sessions.repository.ts';
import * as service from './sessions.service.ts';

export function registerSessionsRoutes(app: FastifyInstance, { db }: AppContext) {
  const renderList = async (reply: FastifyReply, ctx: ProgrammeContext, values: Record<string, unknown> = {}, errors?: FieldError[]) => {
    const [sessions, teams] = await Promise.all([listSessions(db, ctx.programme.id), listTeams(db, ctx.programme.id)]);
    const now = Date.now();
    return programmePage(reply, ctx, 'innovation/sessions.njk', {
      title: 'Sessions',
      upcoming: sessions.filter((s) => new Date(s.starts_at).getTime() >= now && !s.held),
      // Past sessions nobody has recorded: the manager's to-do, kept apart from those held.
      unrecorded: sessions.filter((s) => new Date(s.starts_at).getTime() < now && !s.held),
      held: sessions.filter((s) => s.held),
      kindNames: sessionKindNames,
      kindItems: sessionKinds.map((k) => ({ value: k, text: sessionKindNames[k] })),
      teamItems: [{ value: '', text: 'Everyone taking part' }, ...teams.map((t) => ({ value: t.id, text: t.name }))],
      values,
      errors,
    });
  };

  app.get('/programmes/:id/sessions', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    return ctx ? renderList(reply, ctx, { time: '10:00' }) : reply;
  });

  app.post('/programmes/:id/sessions', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    if (!ctx) return reply;
    const input = body(request);
    const r = await handleForm(reply, SessionForm, input, (f) => service.arrangeSessions(db, ctx.actor, ctx.access, ctx.programme, f, request.ip), (errors) => renderList(reply, ctx, keep(input), errors), 'arrange');
    return r.saved ? reply.redirect(`/programmes/${ctx.programme.id}/sessions`, 303) : reply;
  });

  const renderSession = async (reply: FastifyReply, ctx: ProgrammeContext, sessionId: string, values?: Record<string, unknown>, errors?: FieldError[]) => {
    const session = await service.loadSession(db, ctx.programme.id, sessionId);
    const [attendance, members] = await Promise.all([listAttendance(db, sessionId), listMembers(db, ctx.programme.id)]);
    const attending = new Set(values ? ([] as unknown[]).concat(values.attendeeIds ?? []) : attendance.map((a) => a.user_id));
    return programmePage(reply, ctx, 'innovation/session.njk', {
      title: session.title,
      session,
      kindName: sessionKindNames[session.kind],
      attendance,
      joined: attendance.some((a) => a.user_id === ctx.actor.userId),
      memberItems: members.map((m) => ({ value: m.user_id, text: m.name, hint: { text: `${m.organisation_name ?? ''}${m.role === 'panel' ? ' (investment team)' : ''}` }, checked: attending.has(m.user_id) })),
      values: values ?? { notes: session.notes, held: session.held ? 'yes' : 'no' },
      errors,
      backHref: `/programmes/${ctx.programme.id}/sessions`,
    });
  };

  app.get('/programmes/:id/sessions/:sessionId', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    return ctx ? renderSession(reply, ctx, childId(request, 'sessionId', 'Session')) : reply;
  });

  app.post('/programmes/:id/sessions/:sessionId', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    if (!ctx) return reply;
    const sessionId = childId(request, 'sessionId', 'Session');
    const input = body(request);
    const r = await handleForm(reply, AttendanceForm, input, (f) => service.recordSession(db, ctx.actor, ctx.access, ctx.programme, sessionId, f, request.ip), (errors) => renderSession(reply, ctx, sessionId, keep(input), errors));
    return r.saved ? reply.redirect(`/programmes/${ctx.programme.id}/sessions/${sessionId}`, 303) : reply;
  });

  app.post('/programmes/:id/sessions/:sessionId/join', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    if (!ctx) return reply;
    const sessionId = childId(request, 'sessionId', 'Session');
    const r = await handleForm(reply, z.object({}), {}, () => service.joinSession(db, ctx.actor, ctx.access, ctx.programme, sessionId, request.ip), (errors) => renderSession(reply, ctx, sessionId, undefined, errors), 'attending');
    return r.saved ? reply.redirect(`/programmes/${ctx.programme.id}/sessions/${sessionId}`, 303) : reply;
  });
}
