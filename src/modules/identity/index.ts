/** Identity: users, memberships and roles, sessions, sign-in, invitations, password reset, API tokens. */
import { moduleViews, type AppModule } from '../../platform/http/app.ts';
import { registerAccountRoutes } from './account/account.routes.ts';
import { canManageUsers } from './identity.policy.ts';
import { registerInvitationRoutes } from './invitations/invitations.routes.ts';
import { registerMemberRoutes } from './members/members.routes.ts';
import { organisationsWithoutEditors } from './members/members.service.ts';
import { registerPasswordResetRoutes } from './password-reset/password-reset.routes.ts';
import { registerSignInRoutes } from './sign-in/sign-in.routes.ts';

export const identityModule: AppModule = {
  name: 'identity',
  viewsDirs: moduleViews(import.meta.dirname),
  navigation: (actor) => (canManageUsers(actor) ? [{ href: '/admin/users', text: 'Users and roles' }] : []),
  // The home page's "what needs me": organisations nobody can sign in for (they get referrals by email link).
  needsMe: async (actor, { db }) => {
    const without = await organisationsWithoutEditors(db, actor);
    return [{ count: without, title: without === 1 ? 'Organisation without an editor' : 'Organisations without an editor', href: '/admin/organisations', description: 'They list services but nobody there can sign in. Referrals reach them by secure email link; invite a contact to keep their listing up to date.' }];
  },
  register(app, context) {
    registerSignInRoutes(app, context);
    registerInvitationRoutes(app, context);
    registerPasswordResetRoutes(app, context);
    registerAccountRoutes(app, context);
    registerMemberRoutes(app, context);
  },
};

export { createUserWithMembership, transferMemberships } from './members/members.service.ts';
// An organisation claimed through a link sent to its listed email address (social prescribing's secure referral link).
export { claimOrganisationByVerifiedEmail } from './members/members.service.ts';
export { AcceptInvitationForm as NewAccountForm } from './invitations/invitations.schemas.ts';
export { setSessionCookie } from './sign-in/session-cookie.ts';
export { hashSecret, newSecret } from './tokens.ts';
export { createAuthenticator } from './sign-in/authenticator.ts';
export { startSession } from './sign-in/sign-in.service.ts';
export { safeReturnPath } from './sign-in/session-cookie.ts';
export { issueAccountInvitation } from './invitations/invitations.service.ts';
