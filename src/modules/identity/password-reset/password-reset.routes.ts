import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf, allow } from '../../../platform/http/access.ts';
import type { AppContext } from '../../../platform/http/app.ts';
import { formBody, submitForm, type FieldError } from '../../../platform/http/forms.ts';
import { canManageUsers } from '../identity.policy.ts';
import { MIN_PASSWORD_LENGTH, TokenParams, UserParams } from '../identity.schemas.ts';
import { showUnusableLink } from '../one-time-links/link-problem.ts';
import { setSessionCookie } from '../sign-in/session-cookie.ts';
import { ForgottenPasswordForm, ResetPasswordForm } from './password-reset.schemas.ts';
import { createResetLinkForUser, openResetLink, requestPasswordReset, resetPassword, RESET_LINK_MINUTES } from './password-reset.service.ts';

export function registerPasswordResetRoutes(app: FastifyInstance, context: AppContext) {
  const { db, config } = context;
  const routes = app.withTypeProvider<ZodTypeProvider>();

  const renderForgotten = (reply: FastifyReply, values: Record<string, unknown>, errors?: FieldError[]) =>
    reply.page('identity/forgotten-password.njk', { title: 'Reset your password', errors, values, backHref: '/sign-in' });

  routes.get('/forgotten-password', { schema: { hide: true } }, async (_request, reply) => renderForgotten(reply, {}));

  // The answer is the same page whether or not the address has an account, drawn at once.
  routes.post('/forgotten-password', { schema: { hide: true } }, async (request, reply) => {
    const input = formBody(request);
    return submitForm(reply, {
      schema: ForgottenPasswordForm,
      input,
      save: (form) => requestPasswordReset(context, form.email, request.ip).then(() => form.email),
      redisplay: (errors) => renderForgotten(reply, input, errors),
      done: (email) => ({
        show: () =>
          reply.page('identity/forgotten-password-sent.njk', {
            title: context.mailer.configured ? 'Check your email' : 'Ask a partnership admin for a reset link',
            mailConfigured: context.mailer.configured,
            email,
            resetLinkMinutes: RESET_LINK_MINUTES,
          }),
      }),
    });
  });

  const renderReset = (reply: FastifyReply, email: string, errors?: FieldError[]) =>
    reply.page('identity/reset-password.njk', { title: 'Choose a new password', errors, email, minPasswordLength: MIN_PASSWORD_LENGTH });

  routes.get('/reset-password/:token', { schema: { hide: true, params: TokenParams } }, async (request, reply) => {
    try {
      const link = await openResetLink(db, request.params.token);
      return await renderReset(reply, link.email);
    } catch (error) {
      return showUnusableLink(reply, error);
    }
  });

  routes.post('/reset-password/:token', { schema: { hide: true, params: TokenParams } }, async (request, reply) => {
    const { token } = request.params;
    try {
      const link = await openResetLink(db, token);
      return await submitForm(reply, {
        schema: ResetPasswordForm,
        input: formBody(request),
        save: (form) => resetPassword(db, token, form.password, request.ip),
        redisplay: (errors) => renderReset(reply, link.email, errors),
        done: (reset) => {
          setSessionCookie(reply, config, reset.sessionToken);
          return { redirect: '/account?reset=1' };
        },
      });
    } catch (error) {
      return showUnusableLink(reply, error);
    }
  });

  // The link is shown on this page only, once, so this answers with the page rather than a redirect.
  routes.post('/admin/users/:id/reset-link', { preHandler: allow(canManageUsers), schema: { hide: true, params: UserParams } }, async (request, reply) => {
    const { id } = request.params;
    const made = await createResetLinkForUser(context, actorOf(request), id, request.ip);
    return reply.page('identity/reset-link.njk', { title: 'Password reset link', person: made.user, url: made.url, resetLinkMinutes: RESET_LINK_MINUTES, backHref: `/admin/users/${id}` });
  });
}
