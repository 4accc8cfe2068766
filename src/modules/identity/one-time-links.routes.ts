import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../platform/http/app.ts';
import { roleNames } from '../../platform/actor.ts';
import { validateForm } from '../../platform/http/forms.ts';
import { setSessionCookie } from './identity.routes.ts';
import { AcceptInvitationForm, ForgottenPasswordForm, MIN_PASSWORD_LENGTH, ResetPasswordForm } from './identity.schemas.ts';
import { acceptInvitation, checkInvitation } from './invitations.service.ts';
import { checkResetLink, requestPasswordReset, resetPassword, RESET_LINK_MINUTES } from './password-reset.service.ts';

/** A link that cannot be used gets a page saying why and what to do; 404 unknown, 410 spent or expired. */
function linkProblem(reply: FastifyReply, kind: 'invitation' | 'reset', state: 'unknown' | 'used' | 'expired') {
  return reply.status(state === 'unknown' ? 404 : 410).page('identity/link-problem.njk', {
    title: {
      invitation: { unknown: 'This invitation link is not valid', used: 'This invitation has already been used', expired: 'This invitation has expired' },
      reset: { unknown: 'This password reset link is not valid', used: 'This password reset link has already been used', expired: 'This password reset link has expired' },
    }[kind][state],
    kind,
    state,
  });
}

export function registerOneTimeLinkRoutes(app: FastifyInstance, context: AppContext) {
  const { db, config } = context;

  app.get('/invitations/:token', { schema: { hide: true } }, async (request, reply) => {
    const checked = await checkInvitation(db, (request.params as { token: string }).token);
    if (checked.state !== 'valid') return linkProblem(reply, 'invitation', checked.state);
    const link = checked.link;
    return reply.page('identity/accept-invitation.njk', {
      title: 'Set up your account',
      invitation: { email: link.email, organisationName: link.organisation_name, roleName: link.role ? roleNames[link.role] : '' },
      values: { name: link.name },
      minPasswordLength: MIN_PASSWORD_LENGTH,
    });
  });

  app.post('/invitations/:token', { schema: { hide: true } }, async (request, reply) => {
    const token = (request.params as { token: string }).token;
    const checked = await checkInvitation(db, token);
    if (checked.state !== 'valid') return linkProblem(reply, 'invitation', checked.state);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const form = validateForm(AcceptInvitationForm, body);
    if (!form.ok) {
      const link = checked.link;
      return reply.status(422).page('identity/accept-invitation.njk', {
        title: 'Set up your account',
        errors: form.errors,
        invitation: { email: link.email, organisationName: link.organisation_name, roleName: link.role ? roleNames[link.role] : '' },
        values: { name: body.name },
        minPasswordLength: MIN_PASSWORD_LENGTH,
      });
    }
    const result = await acceptInvitation(db, token, form.data, request.ip);
    if (!result.ok) return linkProblem(reply, 'invitation', result.state);
    if (result.kind === 'role_added_to_existing_account') return reply.redirect('/sign-in?invitation=added', 303);
    setSessionCookie(reply, config, result.sessionToken);
    return reply.redirect('/account?welcome=1', 303);
  });

  app.get('/forgotten-password', { schema: { hide: true } }, async (_request, reply) =>
    reply.page('identity/forgotten-password.njk', { title: 'Reset your password', values: {}, backHref: '/sign-in' }),
  );

  app.post('/forgotten-password', { schema: { hide: true } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const form = validateForm(ForgottenPasswordForm, body);
    if (!form.ok) return reply.status(422).page('identity/forgotten-password.njk', { title: 'Reset your password', errors: form.errors, values: body, backHref: '/sign-in' });
    await requestPasswordReset(context, form.data.email, request.ip);
    return reply.page('identity/forgotten-password-sent.njk', { title: 'Check your email', email: form.data.email, resetLinkMinutes: RESET_LINK_MINUTES });
  });

  app.get('/reset-password/:token', { schema: { hide: true } }, async (request, reply) => {
    const checked = await checkResetLink(db, (request.params as { token: string }).token);
    if (checked.state !== 'valid') return linkProblem(reply, 'reset', checked.state);
    return reply.page('identity/reset-password.njk', { title: 'Choose a new password', email: checked.link.email, minPasswordLength: MIN_PASSWORD_LENGTH });
  });

  app.post('/reset-password/:token', { schema: { hide: true } }, async (request, reply) => {
    const token = (request.params as { token: string }).token;
    const checked = await checkResetLink(db, token);
    if (checked.state !== 'valid') return linkProblem(reply, 'reset', checked.state);
    const form = validateForm(ResetPasswordForm, request.body);
    if (!form.ok) {
      return reply.status(422).page('identity/reset-password.njk', { title: 'Choose a new password', errors: form.errors, email: checked.link.email, minPasswordLength: MIN_PASSWORD_LENGTH });
    }
    const result = await resetPassword(db, token, form.data.password, request.ip);
    if (!result.ok) return linkProblem(reply, 'reset', result.state);
    setSessionCookie(reply, config, result.sessionToken);
    return reply.redirect('/account?reset=1', 303);
  });
}
