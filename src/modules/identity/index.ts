/** Identity: users, memberships and roles, sessions, sign-in, invitations, password reset, API tokens. */
import { moduleViews, type AppModule } from '../../platform/http/app.ts';
import { registerAccountRoutes } from './account/account.routes.ts';
import { canManageUsers } from './identity.policy.ts';
import { registerInvitationRoutes } from './invitations/invitations.routes.ts';
import { registerMemberRoutes } from './members/members.routes.ts';
import { registerPasswordResetRoutes } from './password-reset/password-reset.routes.ts';
import { registerSignInRoutes } from './sign-in/sign-in.routes.ts';

export const identityModule: AppModule = {
  name: 'identity',
  viewsDirs: moduleViews(import.meta.dirname),
  navigation: (actor) => (canManageUsers(actor) ? [{ href: '/admin/users', text: 'Users and roles' }] : []),
  register(app, context) {
    registerSignInRoutes(app, context);
    registerInvitationRoutes(app, context);
    registerPasswordResetRoutes(app, context);
    registerAccountRoutes(app, context);
    registerMemberRoutes(app, context);
  },
};

export { createUserWithMembership, transferMemberships } from './members/members.service.ts';
export { createAuthenticator } from './sign-in/authenticator.ts';
export { startSession } from './sign-in/sign-in.service.ts';
export { safeReturnPath } from './sign-in/session-cookie.ts';
export { issueAccountInvitation } from './invitations/invitations.service.ts';
