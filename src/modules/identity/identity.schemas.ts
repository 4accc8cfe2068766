import { z } from 'zod';
import { roles } from '../../platform/actor.ts';

export const SignInForm = z.object({
  email: z.string().trim().min(1, 'Enter your email address').email('Enter an email address in the correct format, like name@example.org'),
  password: z.string().min(1, 'Enter your password'),
  returnTo: z.string().optional(),
});


export const MIN_PASSWORD_LENGTH = 12;

const emailField = z
  .string({ error: 'Enter an email address' })
  .trim()
  .min(1, 'Enter an email address')
  .max(254, 'Email address must be 254 characters or fewer')
  .email('Enter an email address in the correct format, like name@example.org');
const nameField = (missing: string) => z.string({ error: missing }).trim().min(1, missing).max(200, 'Name must be 200 characters or fewer');
const newPassword = (missing: string) =>
  z
    .string({ error: missing })
    .min(1, missing)
    .min(MIN_PASSWORD_LENGTH, `Password must be ${MIN_PASSWORD_LENGTH} characters or more`)
    .max(256, 'Password must be 256 characters or fewer');
const organisationField = z.string({ error: 'Select an organisation' }).uuid('Select an organisation');
const roleField = z.enum(roles, { error: 'Select a role' });

export const InviteForm = z.object({
  name: nameField('Enter their full name'),
  email: emailField,
  organisationId: organisationField,
  role: roleField,
});
export type InviteInput = z.infer<typeof InviteForm>;

export const AcceptInvitationForm = z.object({
  name: nameField('Enter your full name'),
  password: newPassword('Enter a password'),
});

export const ForgottenPasswordForm = z.object({ email: emailField });

export const ResetPasswordForm = z.object({ password: newPassword('Enter a new password') });

export const ChangePasswordForm = z.object({
  currentPassword: z.string({ error: 'Enter your current password' }).min(1, 'Enter your current password'),
  newPassword: newPassword('Enter a new password'),
});

export const RoleForm = z.object({ organisationId: organisationField, role: roleField });

export const ApiTokenForm = z.object({
  name: z.string({ error: 'Enter a name for the token' }).trim().min(1, 'Enter a name for the token').max(100, 'Name must be 100 characters or fewer'),
});

// ——— JSON API ———

export const MembershipSchema = z.object({
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
