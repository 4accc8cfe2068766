import { z } from 'zod';
import { roles } from '../../../platform/actor.ts';
import { newPassword } from '../identity.schemas.ts';

export const ChangePasswordForm = z.object({
  currentPassword: z.string({ error: 'Enter your current password' }).min(1, 'Enter your current password'),
  newPassword: newPassword('Enter a new password'),
});

export const ApiTokenForm = z.object({
  name: z.string({ error: 'Enter a name for the token' }).trim().min(1, 'Enter a name for the token').max(100, 'Name must be 100 characters or fewer'),
});

/** Revoking a token sends nothing but the CSRF token. */
export const RevokeTokenForm = z.object({});

export const TokenIdParams = z.object({ id: z.guid() });

/** The message to show after coming back to the account page (the redirects' Locations name them). */
export const AccountQuery = z.object({
  welcome: z.string().optional(),
  reset: z.string().optional(),
  password: z.string().optional(),
  revoked: z.string().optional(),
});

// ——— JSON API ———

const MembershipSchema = z.object({
  organisationId: z.string().uuid(),
  organisationName: z.string(),
  role: z.enum(roles),
  roleName: z.string().describe('The role in plain English'),
});

export const MeResponse = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    email: z.string(),
    memberships: z.array(MembershipSchema),
  })
  .describe('The person the request is made as');
