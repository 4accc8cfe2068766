import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { roleNames } from '../../../platform/actor.ts';
import { actorOf, allow } from '../../../platform/http/access.ts';
import type { AppContext } from '../../../platform/http/app.ts';
import { formBody, submitForm, type FieldError } from '../../../platform/http/forms.ts';
import { roleChoices } from '../identity.choices.ts';
import { organisationPickerFor, pickOrganisation, type OrganisationPicker } from '../../../platform/organisation-picker.ts';
import { canManageUsers } from '../identity.policy.ts';
import { MIN_PASSWORD_LENGTH, TokenParams } from '../identity.schemas.ts';
import { showUnusableLink } from '../one-time-links/link-problem.ts';
import type { OneTimeLink } from '../one-time-links/one-time-links.service.ts';
import { safeReturnPath, setSessionCookie } from '../sign-in/session-cookie.ts';
import { AcceptInvitationForm, InviteForm, InviteQuery } from './invitations.schemas.ts';
import { acceptInvitation, INVITATION_DAYS, invite, openInvitation } from './invitations.service.ts';

export function registerInvitationRoutes(app: FastifyInstance, context: AppContext) {
  const { db, config } = context;
  const routes = app.withTypeProvider<ZodTypeProvider>();

  async function renderInvite(_request: FastifyRequest, reply: FastifyReply, values: Record<string, unknown>, errors?: FieldError[], picker?: OrganisationPicker) {
    return reply.page('identity/invite.njk', {
      title: 'Invite a person',
      backHref: '/admin/users',
      errors,
      values,
      picker: picker ?? (await organisationPickerFor(db, values.organisationId)),
      roleChoices,
      invitationDays: INVITATION_DAYS,
    });
  }

  routes.get('/admin/users/invite', { preHandler: allow(canManageUsers), schema: { hide: true, querystring: InviteQuery } }, async (request, reply) =>
    renderInvite(request, reply, { organisationId: request.query.organisationId }),
  );

  // The page after an invitation shows its link, once, so it is drawn at once, not redirected to.
  routes.post('/admin/users/invite', { preHandler: allow(canManageUsers), schema: { hide: true } }, async (request, reply) => {
    const input = formBody(request);
    // The organisation picker: a search without script ("Find", then choose), the autocomplete with it.
    const pick = await pickOrganisation(db, input, 'organisationId');
    if (pick.finding || pick.problem) {
      reply.status(pick.problem ? 422 : 200);
      return renderInvite(request, reply, input, pick.problem ? [pick.problem] : undefined, pick.picker);
    }
    return submitForm(reply, {
      schema: InviteForm,
      input,
      save: (form) => invite(context, actorOf(request), form, request.ip).then((result) => ({ result, form })),
      redisplay: (errors) => renderInvite(request, reply, input, errors, pick.picker),
      done: ({ result, form }) => ({
        show: () =>
          reply.page('identity/invited.njk', {
            title: result.kind === 'invited' ? 'Invitation made' : 'Role added to their account',
            result,
            invitee: form,
            roleName: roleNames[form.role],
            mailConfigured: context.mailer.configured,
            invitationDays: INVITATION_DAYS,
          }),
      }),
    });
  });

  const renderAccept = (reply: FastifyReply, link: OneTimeLink, values: Record<string, unknown>, errors?: FieldError[]) =>
    reply.page('identity/accept-invitation.njk', {
      title: 'Set up your account',
      errors,
      invitation: { email: link.email, organisationName: link.organisationName, roleName: link.role ? roleNames[link.role] : '' },
      values,
      minPasswordLength: MIN_PASSWORD_LENGTH,
    });

  routes.get('/invitations/:token', { schema: { hide: true, params: TokenParams } }, async (request, reply) => {
    try {
      const link = await openInvitation(db, request.params.token);
      return await renderAccept(reply, link, { name: link.name });
    } catch (error) {
      return showUnusableLink(reply, error);
    }
  });

  routes.post('/invitations/:token', { schema: { hide: true, params: TokenParams } }, async (request, reply) => {
    const { token } = request.params;
    try {
      const link = await openInvitation(db, token);
      const input = formBody(request);
      return await submitForm(reply, {
        schema: AcceptInvitationForm,
        input,
        save: (form) => acceptInvitation(db, token, form, request.ip),
        redisplay: (errors) => renderAccept(reply, link, { name: input.name }, errors),
        done: (accepted) => {
          if (accepted.kind === 'role_added_to_existing_account') {
            const then = accepted.returnTo ? `?returnTo=${encodeURIComponent(safeReturnPath(accepted.returnTo))}` : '';
            return { redirect: `/sign-in${then}`, flash: accepted.returnTo ? 'You already had an account, so the invitation was added to it. Sign in with your existing password.' : 'You already had an account, so the invitation added its role to it. Sign in with your existing password.' };
          }
          setSessionCookie(reply, config, accepted.sessionToken);
          return accepted.returnTo ? { redirect: safeReturnPath(accepted.returnTo), flash: 'Your account is set up.' } : { redirect: '/account?welcome=1' };
        },
      });
    } catch (error) {
      return showUnusableLink(reply, error);
    }
  });
}
