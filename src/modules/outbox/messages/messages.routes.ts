import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Actor } from '../../../platform/actor.ts';
import { actorOf, allow } from '../../../platform/http/access.ts';
import type { AppContext } from '../../../platform/http/app.ts';
import { formBody, submitForm, type FieldError } from '../../../platform/http/forms.ts';
import { paginate, withQuery } from '../../../platform/http/pagination.ts';
import { canMarkSentAnotherWay, canReadOutbox } from '../outbox.policy.ts';
import { MessageParams, OutboxQuery, SentAnotherWayForm } from './messages.schemas.ts';
import { markSentAnotherWay, viewOutbox } from './messages.service.ts';

const reasons: Record<string, string> = {
  not_configured: 'Email is not set up on this Common Ground (no SMTP_URL)',
  failed: 'The mail server did not accept it',
};

/** Each message's form and note field by id, so the error summary links land (a refusal about the whole form goes to the heading: a message someone else handled is no longer listed). */
const formId = (id: string) => `message-${id}`;
const noteId = (id: string) => `message-${id}-note`;

export function registerMessageRoutes(appBase: FastifyInstance, { db, mailer }: AppContext) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  async function renderOutbox(reply: FastifyReply, actor: Actor, ip: string, query: OutboxQuery, failed?: { id: string; errors: FieldError[]; values: Record<string, unknown> }) {
    const result = await viewOutbox(db, actor, query, ip);
    return reply.page('outbox/messages.njk', {
      title: 'Email outbox',
      show: query.show,
      mailConfigured: mailer.configured,
      waiting: result.waiting,
      total: result.total,
      canMark: canMarkSentAnotherWay(actor),
      messages: result.rows.map((m) => ({
        ...m,
        reasonText: reasons[m.reason] ?? m.reason,
        formId: formId(m.id),
        noteId: noteId(m.id),
        lines: Math.min(30, m.text.split('\n').length + 1),
        errors: failed?.id === m.id ? failed.errors : undefined,
        values: failed?.id === m.id ? failed.values : {},
      })),
      errors: failed?.errors,
      firstShown: (result.page - 1) * result.pageSize + 1,
      lastShown: (result.page - 1) * result.pageSize + result.rows.length,
      pagination: paginate(result.total, result.page, result.pageSize, (p) => withQuery('/admin/outbox', { show: query.show === 'waiting' ? undefined : query.show, page: p })),
      width: 'full',
    });
  }

  app.get('/admin/outbox', { preHandler: allow(canReadOutbox), schema: { hide: true, querystring: OutboxQuery } }, async (request, reply) =>
    renderOutbox(reply, actorOf(request), request.ip, request.query),
  );

  app.post('/admin/outbox/:id/sent-another-way', { preHandler: allow(canMarkSentAnotherWay), schema: { hide: true, params: MessageParams } }, (request, reply) => {
    const { id } = request.params;
    const input = formBody(request);
    return submitForm(reply, {
      schema: SentAnotherWayForm,
      input,
      save: (form) => markSentAnotherWay(db, actorOf(request), id, form, request.ip),
      redisplay: (errors) => renderOutbox(reply, actorOf(request), request.ip, { show: 'waiting', page: 1 }, { id, errors, values: input }),
      done: (message) => ({ redirect: '/admin/outbox', flash: `Recorded that the message to ${message.to} was sent another way.` }),
      anchor: (field) => (field === 'note' ? noteId(id) : 'outbox'),
    });
  });
}
