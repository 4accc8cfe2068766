import { z } from 'zod';
import { roles } from '../../../platform/actor.ts';
import { pageNumber } from '../../../platform/http/pagination.ts';
import { organisationField, roleField, searchText } from '../identity.schemas.ts';

export const UsersQuery = z.object({ q: searchText });

export const OrganisationsQuery = z.object({ q: searchText, page: z.string().optional().transform(pageNumber) });

export const OrganisationParams = z.object({ id: z.guid() });

export const RoleForm = z.object({ organisationId: organisationField, role: roleField });

const heldRole = z.object({ organisationId: z.guid(), role: z.enum(roles) });

/** The hidden fields of a role's Remove button: only a tampered form fails them, with one message. */
export const RemoveRoleForm = z.unknown().transform((value, ctx) => {
  const parsed = heldRole.safeParse(value);
  if (parsed.success) return parsed.data;
  ctx.addIssue({ code: 'custom', message: 'Choose a role to remove' });
  return z.NEVER;
});

/** Deactivating and reactivating send nothing but the CSRF token. */
export const AccessForm = z.object({});
