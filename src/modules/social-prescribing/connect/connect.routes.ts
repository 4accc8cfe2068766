import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../../platform/http/app.ts';
import { actorOf, allow } from '../../../platform/http/access.ts';
import { formBody, submitForm, validateForm, type FieldError } from '../../../platform/http/forms.ts';
import { needs } from '../../directory/index.ts';
import { canUseCaseload, canUseInbox } from '../social-prescribing.policy.ts';
import { IdParams, recordId } from '../social-prescribing.schemas.ts';
import { AttendanceForm, ConnectSearchForm, InboxAnswerForm, OnwardReferralForm } from './connect.schemas.ts';
import { answerReferral, connectToService, recordAttendance, referralInbox, searchForCase, serviceForCase, viewInboxItem } from './connect.service.ts';
import { deliveredMessage } from '../referral-links/referral-links.routes.ts';
import { referralAddress } from '../referral-links/referral-links.service.ts';
import { attendanceNames, labels, options, shareableFieldNames } from '../labels.ts';

const ConnectParams = z.object({ id: recordId, serviceId: recordId });
/** The search form's fields as sent; checked with ConnectSearchForm so the page can show the errors. */
const ConnectQuery = z.object({ need: z.string().optional(), miles: z.string().optional(), text: z.string().optional() });

/** Connecting a person to community support, and the receiving organisation's inbox. */
export function registerConnectRoutes(app: FastifyInstance, { db, config, mailer }: AppContext) {
  const send = { mailer, publicUrl: config.publicUrl };
  const r = app.withTypeProvider<ZodTypeProvider>();
  const caseload = allow(canUseCaseload);
  const inbox = allow(canUseInbox, 'The referral inbox is for editors of organisations that receive referrals.');

  r.get('/social-prescribing/cases/:id/connect', { preHandler: caseload, schema: { hide: true, params: IdParams, querystring: ConnectQuery } }, async (request, reply) => {
    const { id } = request.params;
    const values = request.query;
    const form = validateForm(ConnectSearchForm, values);
    const result = await searchForCase(db, actorOf(request), id, form.ok ? form.data : {}, request.ip, { staleAfterMonths: config.staleAfterMonths });
    if (!form.ok) reply.status(422);
    return reply.page('social-prescribing/connect.njk', {
      title: `Find support for ${result.person.givenName} ${result.person.familyName}`,
      width: 'full',
      backHref: `/social-prescribing/cases/${id}`,
      result,
      values,
      errors: form.ok ? undefined : form.errors,
      needItems: [{ value: '', text: 'Any need' }, ...needs.map((n) => ({ value: n.id, text: n.name, selected: n.id === result.need }))],
      milesItems: [1, 3, 5, 10, 25].map((m) => ({ value: String(m), text: `${m} miles`, selected: String(result.miles ?? 10) === String(m) })),
    });
  });

  async function renderConnectForm(request: FastifyRequest, reply: FastifyReply, caseId: string, serviceId: string, values: Record<string, unknown>, errors?: FieldError[]) {
    const { case: found, detail } = await serviceForCase(db, actorOf(request), caseId, serviceId);
    const chosen = Array.isArray(values.sharedFields) ? values.sharedFields : values.sharedFields ? [values.sharedFields] : ['name', 'phone', 'reasons'];
    return reply.page('social-prescribing/connect-service.njk', {
      title: `Connect to ${detail.service.name}`,
      backHref: `/social-prescribing/cases/${caseId}/connect`,
      caseId: found.id,
      detail,
      // Told before choosing "Refer": where the referral would go, or that it cannot be emailed.
      address: referralAddress(detail),
      // Refer is chosen first only when the referral can be emailed; otherwise the link worker chooses.
      values: { kind: referralAddress(detail) ? 'refer' : undefined, ...values },
      errors,
      fieldItems: Object.entries(shareableFieldNames).map(([value, text]) => ({ value, text, checked: chosen.includes(value) })),
    });
  }

  const connectPage = { preHandler: caseload, schema: { hide: true, params: ConnectParams } };

  r.get('/social-prescribing/cases/:id/connect/:serviceId', connectPage, async (request, reply) => renderConnectForm(request, reply, request.params.id, request.params.serviceId, {}));

  r.post('/social-prescribing/cases/:id/connect/:serviceId', connectPage, async (request, reply) => {
    const { id, serviceId } = request.params;
    const input = { ...formBody(request), serviceId };
    return submitForm(reply, {
      schema: OnwardReferralForm,
      input,
      save: (form) => connectToService(db, send, actorOf(request), id, form, request.ip),
      redisplay: (errors) => renderConnectForm(request, reply, id, serviceId, input, errors),
      done: (result) =>
        result.delivered
          ? { redirect: `/social-prescribing/cases/${id}/onward/${result.id}`, flash: deliveredMessage(result.delivered) }
          : { redirect: `/social-prescribing/cases/${id}#onward`, flash: 'Signposting recorded.' },
    });
  });

  // ---- referrals received -----------------------------------------------------------------

  r.get('/social-prescribing/referrals-received', { preHandler: inbox, schema: { hide: true } }, async (request, reply) => {
    const items = await referralInbox(db, actorOf(request), request.ip);
    return reply.page('social-prescribing/inbox.njk', { title: 'Referrals received', width: 'full', items, labels });
  });

  async function renderInboxItem(request: FastifyRequest, reply: FastifyReply, id: string, values: Record<string, unknown> = {}, errors?: FieldError[]) {
    const item = await viewInboxItem(db, actorOf(request), id, request.ip);
    return reply.page('social-prescribing/inbox-item.njk', {
      title: `Referral to ${item.serviceName}`,
      backHref: '/social-prescribing/referrals-received',
      item,
      values,
      errors,
      labels,
      attendanceItems: options(attendanceNames, values.attendance ?? item.attendance),
    });
  }

  const inboxPage = { preHandler: inbox, schema: { hide: true, params: IdParams } };

  r.get('/social-prescribing/referrals-received/:id', inboxPage, async (request, reply) => renderInboxItem(request, reply, request.params.id));

  r.post('/social-prescribing/referrals-received/:id/answer', inboxPage, async (request, reply) => {
    const { id } = request.params;
    const input = formBody(request);
    return submitForm(reply, {
      schema: InboxAnswerForm,
      input,
      save: (form) => answerReferral(db, actorOf(request), id, form, request.ip),
      redisplay: (errors) => renderInboxItem(request, reply, id, input, errors),
      done: () => ({ redirect: `/social-prescribing/referrals-received/${id}`, flash: 'Answer sent to the link worker.' }),
    });
  });

  r.post('/social-prescribing/referrals-received/:id/attendance', inboxPage, async (request, reply) => {
    const { id } = request.params;
    const input = formBody(request);
    return submitForm(reply, {
      schema: AttendanceForm,
      input,
      save: (form) => recordAttendance(db, actorOf(request), id, form.attendance, request.ip),
      redisplay: (errors) => renderInboxItem(request, reply, id, input, errors),
      done: () => ({ redirect: `/social-prescribing/referrals-received/${id}`, flash: 'Attendance recorded.' }),
    });
  });
}
