/** Identity: users, memberships and roles, sessions, sign-in, invitations, password reset, API tokens. */
export { identityModule } from './identity.module.ts';
export { createUserWithMembership, transferMemberships } from './identity.accounts.ts';
export { safeReturnPath, requireApiActor, requirePermission, requireSignIn } from './identity.routes.ts';
