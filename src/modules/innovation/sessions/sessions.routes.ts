import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../../platform/http/app.ts';
import { signedIn } from '../../../platform/http/access.ts';
import { formBody, submitForm, type FieldError } from '../../../platform/http/forms.ts';
import { openProgramme, programmePage, type ProgrammeContext } from '../innovation.http.ts';
import { AttendanceForm, SessionForm, sessionKindNames, sessionKinds } from './sessions.schemas.ts';
import { ProgrammeParams, SessionParams } from '../innovation.schemas.ts';
import { NoFields } from '../../../platform/form-fields.ts';
import { listMembers } from '../programmes/programmes.repository.ts';
import { listTeams } from '../teams/teams.repository.ts';
import { listAttendance, listSessions } from './sessions.repository.ts';
import * as service from './sessions.service.ts';

export function registerSessionsRoutes(appBase: FastifyInstance, { db }: AppContext) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();

  const renderList = async (reply: FastifyReply, ctx: ProgrammeContext, values: Record<string, unknown> = {}, errors?: FieldError[]) => {
    const [sessions, teams] = await Promise.all([listSessions(db, ctx.programme.id), listTeams(db, ctx.programme.id)]);
    const now = Date.now();
    return programmePage(reply, ctx, 'innovation/sessions.njk', {
      title: 'Sessions',
      upcoming: sessions.filter((s) => new Date(s.startsAt).getTime() >= now && !s.held),
      // Past sessions nobody has recorded: the manager's to-do, kept apart from those held.
      unrecorded: sessions.filter((s) => new Date(s.startsAt).getTime() < now && !s.held),
      held: sessions.filter((s) => s.held),
      kindNames: sessionKindNames,
      kindItems: sessionKinds.map((k) => ({ value: k, text: sessionKindNames[k] })),
      teamItems: [{ value: '', text: 'Everyone taking part' }, ...teams.map((t) => ({ value: t.id, text: t.name }))],
      values,
      errors,
    });
  };

  app.get('/programmes/:id/sessions', { preHandler: signedIn, schema: { hide: true, params: ProgrammeParams } }, async (request, reply) => renderList(reply, await openProgramme(db, request), { time: '10:00' }));

  app.post('/programmes/:id/sessions', { preHandler: signedIn, schema: { hide: true, params: ProgrammeParams } }, async (request, reply) => {
    const ctx = await openProgramme(db, request);
    const input = formBody(request);
    return submitForm(reply, {
      schema: SessionForm,
      input,
      save: (f) => service.arrangeSessions(db, ctx.actor, ctx.access, ctx.programme, f, request.ip).then((ids) => ({ ids, title: f.title })),
      redisplay: (errors) => renderList(reply, ctx, input, errors),
      done: ({ ids, title }) => ({
        redirect: `/programmes/${ctx.programme.id}/sessions`,
        flash: ids.length === 1 ? `“${title}” is arranged.` : `“${title}” is arranged: ${ids.length} sessions in the series.`,
      }),
      anchor: 'arrange',
    });
  });

  const renderSession = async (reply: FastifyReply, ctx: ProgrammeContext, sessionId: string, values?: Record<string, unknown>, errors?: FieldError[]) => {
    const session = await service.loadSession(db, ctx.programme.id, sessionId);
    const [attendance, members] = await Promise.all([listAttendance(db, sessionId), listMembers(db, ctx.programme.id)]);
    const attending = new Set(values ? ([] as unknown[]).concat(values.attendeeIds ?? []) : attendance.map((a) => a.userId));
    return programmePage(reply, ctx, 'innovation/session.njk', {
      title: session.title,
      session,
      kindName: sessionKindNames[session.kind],
      attendance,
      joined: attendance.some((a) => a.userId === ctx.actor.userId),
      memberItems: members.map((m) => ({ value: m.userId, text: m.name, hint: { text: `${m.organisationName ?? ''}${m.role === 'panel' ? ' (investment team)' : ''}` }, checked: attending.has(m.userId) })),
      values: values ?? { notes: session.notes, held: session.held ? 'yes' : 'no' },
      errors,
      backHref: `/programmes/${ctx.programme.id}/sessions`,
    });
  };

  app.get('/programmes/:id/sessions/:sessionId', { preHandler: signedIn, schema: { hide: true, params: SessionParams } }, async (request, reply) => renderSession(reply, await openProgramme(db, request), request.params.sessionId));

  app.post('/programmes/:id/sessions/:sessionId', { preHandler: signedIn, schema: { hide: true, params: SessionParams } }, async (request, reply) => {
    const ctx = await openProgramme(db, request);
    const { sessionId } = request.params;
    const input = formBody(request);
    return submitForm(reply, {
      schema: AttendanceForm,
      input,
      save: (f) => service.recordSession(db, ctx.actor, ctx.access, ctx.programme, sessionId, f, request.ip),
      redisplay: (errors) => renderSession(reply, ctx, sessionId, input, errors),
      done: () => ({ redirect: `/programmes/${ctx.programme.id}/sessions/${sessionId}` }),
    });
  });

  app.post('/programmes/:id/sessions/:sessionId/join', { preHandler: signedIn, schema: { hide: true, params: SessionParams } }, async (request, reply) => {
    const ctx = await openProgramme(db, request);
    const { sessionId } = request.params;
    return submitForm(reply, {
      schema: NoFields,
      input: {},
      save: () => service.joinSession(db, ctx.actor, ctx.access, ctx.programme, sessionId, request.ip),
      redisplay: (errors) => renderSession(reply, ctx, sessionId, undefined, errors),
      done: () => ({ redirect: `/programmes/${ctx.programme.id}/sessions/${sessionId}` }),
      anchor: 'attending',
    });
  });
}
