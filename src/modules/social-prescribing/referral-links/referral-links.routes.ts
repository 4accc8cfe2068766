import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../../platform/http/app.ts';
import { actorOf, allow } from '../../../platform/http/access.ts';
import { formBody, submitForm, type FieldError } from '../../../platform/http/forms.ts';
import { dateToParts, ukToday } from '../../../platform/dates.ts';
import { NewAccountForm, setSessionCookie } from '../../identity/index.ts';
import { canUseCaseload } from '../social-prescribing.policy.ts';
import { InboxAnswerForm } from '../connect/connect.schemas.ts';
import { attendanceNames, labels, options } from '../labels.ts';
import { DeliveredByHandForm, NoFields, LinkAttendanceForm, LinkParams, OnwardParams } from './referral-links.schemas.ts';
import { answerByLink, attendanceByLink, claimByLink, LINK_DAYS, openReferralLink, recordDeliveredByHand, resendReferral, revokeReferralLinks, viewOnwardReferral, type Delivered } from './referral-links.service.ts';

/** What the link worker is told after a referral is sent: emailed only when a mail server took it. */
export function deliveredMessage(d: Delivered): string {
  if (d.delivery === 'emailed') return `Referral emailed to ${d.to} with a secure link. You will see here when they open and answer it.`;
  if (d.delivery === 'email_not_sent') return `Saved, but the email to ${d.to} was NOT sent (${d.why ?? 'email is not working'}). It is kept in the Email outbox. Phone the organisation or print the referral.`;
  return 'Saved, but NOT sent: the organisation has no email address in the directory. Print the referral or phone it through, then record how it reached them.';
}

/**
 * The organisation's secure referral page (no account needed: the link is the key), and the
 * link worker's view of a referral's delivery: link opened and answered, revoke, re-send, print.
 */
export function registerReferralLinksRoutes(app: FastifyInstance, { db, mailer, config }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const send = { mailer, publicUrl: config.publicUrl };
  const linkPage = { schema: { hide: true, params: LinkParams } };

  async function renderLinkPage(request: FastifyRequest<{ Params: { id: string; token: string } }>, reply: FastifyReply, values: Record<string, unknown> = {}, errors?: FieldError[]) {
    const { id, token } = request.params;
    const item = await openReferralLink(db, id, token, request.ip);
    // Personal details, reached without a session: never kept by a browser or proxy either.
    reply.header('cache-control', 'no-store');
    const todayParts = dateToParts(ukToday());
    return reply.page('social-prescribing/referral-link.njk', {
      title: `Referral to ${item.serviceName}`,
      item,
      action: `/referral/${id}/${token}`,
      values: { 'attendanceOn-day': todayParts.day, 'attendanceOn-month': todayParts.month, 'attendanceOn-year': todayParts.year, ...values },
      errors,
      labels,
      attendanceItems: options(attendanceNames, values.attendance ?? item.attendance),
    });
  }

  // Public: the link is the key.
  r.get('/referral/:id/:token', linkPage, async (request, reply) => renderLinkPage(request, reply));

  r.post('/referral/:id/:token/answer', linkPage, async (request, reply) => {
    const { id, token } = request.params;
    const input = formBody(request);
    return submitForm(reply, {
      schema: InboxAnswerForm,
      input,
      save: async (form) => {
        await answerByLink(db, id, token, form, request.ip);
        return form.decision;
      },
      redisplay: (errors) => renderLinkPage(request, reply, input, errors),
      done: (decision) => ({ redirect: `/referral/${id}/${token}`, flash: decision === 'accept' ? 'Thank you. The link worker can see you accepted the referral.' : 'Thank you. The link worker can see you declined, and why.' }),
    });
  });

  r.post('/referral/:id/:token/attendance', linkPage, async (request, reply) => {
    const { id, token } = request.params;
    const input = formBody(request);
    return submitForm(reply, {
      schema: LinkAttendanceForm,
      input,
      save: (form) => attendanceByLink(db, id, token, form, request.ip),
      redisplay: (errors) => renderLinkPage(request, reply, input, errors),
      done: () => ({ redirect: `/referral/${id}/${token}`, flash: 'Attendance recorded. The link worker can see it.' }),
      anchor: (field) => (field === 'attendanceOn' ? 'attendanceOn-day' : field),
    });
  });

  r.post('/referral/:id/:token/claim', linkPage, async (request, reply) => {
    const { id, token } = request.params;
    const input = formBody(request);
    return submitForm(reply, {
      schema: NewAccountForm,
      input,
      save: (form) => claimByLink(db, id, token, form, request.ip),
      redisplay: (errors) => renderLinkPage(request, reply, { claim: input }, errors),
      done: (claimed) => {
        if (claimed.kind === 'account_created') setSessionCookie(reply, config, claimed.sessionToken);
        return claimed.kind === 'account_created'
          ? { redirect: '/', flash: `You are now an editor of ${claimed.organisationName}. You can update its listing and answer referrals here.` }
          : { redirect: '/sign-in', flash: `Your account is now an editor of ${claimed.organisationName}. Sign in to continue.` };
      },
    });
  });

  // ---- the link worker's view of one referral ------------------------------------------------------

  const caseload = allow(canUseCaseload);
  const onwardPage = { preHandler: caseload, schema: { hide: true, params: OnwardParams } };
  const back = (id: string, onwardId: string) => `/social-prescribing/cases/${id}/onward/${onwardId}`;

  async function renderOnward(request: FastifyRequest<{ Params: { id: string; onwardId: string } }>, reply: FastifyReply, errors?: FieldError[]) {
    const view = await viewOnwardReferral(db, actorOf(request), request.params.id, request.params.onwardId, request.ip);
    return reply.page('social-prescribing/onward.njk', { title: `Referral to ${view.onward.serviceName}`, backHref: `/social-prescribing/cases/${request.params.id}#onward`, caseId: request.params.id, view, errors, labels, linkDays: LINK_DAYS, now: new Date() });
  }

  r.get('/social-prescribing/cases/:id/onward/:onwardId', onwardPage, async (request, reply) => renderOnward(request, reply));

  r.get('/social-prescribing/cases/:id/onward/:onwardId/print', onwardPage, async (request, reply) => {
    const view = await viewOnwardReferral(db, actorOf(request), request.params.id, request.params.onwardId, request.ip, 'print');
    return reply.page('social-prescribing/onward-print.njk', { title: `Referral to ${view.onward.serviceName}`, view, labels });
  });

  r.post('/social-prescribing/cases/:id/onward/:onwardId/revoke', onwardPage, async (request, reply) => {
    const { id, onwardId } = request.params;
    return submitForm(reply, {
      schema: NoFields,
      input: {},
      save: () => revokeReferralLinks(db, actorOf(request), id, onwardId, request.ip),
      redisplay: (errors) => renderOnward(request, reply, errors),
      done: () => ({ redirect: back(id, onwardId), flash: 'Link revoked. The organisation can no longer open the referral.' }),
    });
  });

  r.post('/social-prescribing/cases/:id/onward/:onwardId/resend', onwardPage, async (request, reply) => {
    const { id, onwardId } = request.params;
    return submitForm(reply, {
      schema: NoFields,
      input: {},
      save: () => resendReferral(db, send, actorOf(request), id, onwardId, request.ip),
      redisplay: (errors) => renderOnward(request, reply, errors),
      done: (d) => ({ redirect: back(id, onwardId), flash: deliveredMessage(d) }),
    });
  });

  r.post('/social-prescribing/cases/:id/onward/:onwardId/delivered', onwardPage, async (request, reply) => {
    const { id, onwardId } = request.params;
    return submitForm(reply, {
      schema: DeliveredByHandForm,
      input: formBody(request),
      save: async (form) => {
        await recordDeliveredByHand(db, actorOf(request), id, onwardId, form.how, request.ip);
        return form.how;
      },
      redisplay: (errors) => renderOnward(request, reply, errors),
      done: (how) => ({ redirect: back(id, onwardId), flash: how === 'phoned' ? 'Recorded that you phoned the referral through.' : 'Recorded that you printed the referral and gave or posted it.' }),
    });
  });
}
