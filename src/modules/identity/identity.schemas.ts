/** Form fields more than one identity feature asks for. */
import { z } from 'zod';
import { roles } from '../../platform/actor.ts';

export const MIN_PASSWORD_LENGTH = 12;

export const emailField = z
  .string({ error: 'Enter an email address' })
  .trim()
  .min(1, 'Enter an email address')
  .max(254, 'Email address must be 254 characters or fewer')
  .email('Enter an email address in the correct format, like name@example.org');

export const nameField = (missing: string) => z.string({ error: missing }).trim().min(1, missing).max(200, 'Name must be 200 characters or fewer');

export const newPassword = (missing: string) =>
  z
    .string({ error: missing })
    .min(1, missing)
    .min(MIN_PASSWORD_LENGTH, `Password must be ${MIN_PASSWORD_LENGTH} characters or more`)
    .max(256, 'Password must be 256 characters or fewer');

export const organisationField = z.string({ error: 'Select an organisation' }).uuid('Select an organisation');
export const roleField = z.enum(roles, { error: 'Select a role' });

/** A search box's text: trimmed and cut to a sensible length rather than refused. */
export const searchText = z
  .string()
  .optional()
  .transform((value) => (value ?? '').trim().slice(0, 200));

/** A one-time link's secret in its path; its shape is checked by the service, so a bad one gets the link's own page. */
export const TokenParams = z.object({ token: z.string() });

/** An account in the path (/admin/users/:id); a malformed id is a 404. */
export const UserParams = z.object({ id: z.guid() });
