import { z } from 'zod';
import { emailField, nameField, newPassword, organisationField, roleField } from '../identity.schemas.ts';

export const InviteForm = z.object({
  name: nameField('Enter their full name'),
  email: emailField,
  organisationId: organisationField,
  role: roleField,
});
export type InviteInput = z.infer<typeof InviteForm>;

/** The organisation to choose first, when inviting from an organisation's members page. */
export const InviteQuery = z.object({ organisationId: z.string().optional() });

export const AcceptInvitationForm = z.object({
  name: nameField('Enter your full name'),
  password: newPassword('Enter a password'),
});
