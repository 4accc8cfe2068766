import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { roleNames } from '../../../platform/actor.ts';
import { actorOf, allow } from '../../../platform/http/access.ts';
import type { AppContext } from '../../../platform/http/app.ts';
import { formBody, submitForm, type FieldError } from '../../../platform/http/forms.ts';
import { paginate, withQuery } from '../../../platform/http/pagination.ts';
import { roleChoices } from '../identity.choices.ts';
import { organisationPickerFor, pickOrganisation, type OrganisationPicker } from '../../../platform/organisation-picker.ts';
import { canManageUsers } from '../identity.policy.ts';
import { UserParams } from '../identity.schemas.ts';
import { pendingInvitations } from '../invitations/invitations.service.ts';
import { RESET_LINK_MINUTES } from '../password-reset/password-reset.service.ts';
import { AccessForm, OrganisationParams, OrganisationsQuery, RemoveRoleForm, RoleForm, UsersQuery } from './members.schemas.ts';
import { addRole, listUsers, organisationMembers, organisationsWithMembers, removeRole, setActive, userForAdmin } from './members.service.ts';

const withRoleNames = <M extends { role: keyof typeof roleNames }>(memberships: M[]) => memberships.map((m) => ({ ...m, roleName: roleNames[m.role] }));

export function registerMemberRoutes(app: FastifyInstance, { db }: AppContext) {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const admins = allow(canManageUsers);

  async function renderUser(request: FastifyRequest, reply: FastifyReply, userId: string, extra: { errors?: FieldError[]; values?: Record<string, unknown>; picker?: OrganisationPicker } = {}) {
    const found = await userForAdmin(db, actorOf(request), userId);
    return reply.page('identity/user.njk', {
      title: found.user.name,
      backHref: '/admin/users',
      person: found.user,
      memberships: withRoleNames(found.memberships),
      roleChoices,
      picker: await organisationPickerFor(db, extra.values?.organisationId),
      canDeactivate: found.canDeactivate,
      resetLinkMinutes: RESET_LINK_MINUTES,
      ...extra,
    });
  }

  routes.get('/admin/users', { preHandler: admins, schema: { hide: true, querystring: UsersQuery } }, async (request, reply) => {
    const actor = actorOf(request);
    const { q } = request.query;
    const users = await listUsers(db, actor, q);
    return reply.page('identity/users.njk', {
      title: 'Users and roles',
      width: 'full',
      q,
      users: users.map((u) => ({ ...u, memberships: withRoleNames(u.memberships) })),
      invitations: (await pendingInvitations(db, actor)).map((i) => ({ ...i, roleName: i.role ? roleNames[i.role] : '' })),
    });
  });

  routes.get('/admin/users/:id', { preHandler: admins, schema: { hide: true, params: UserParams } }, async (request, reply) => renderUser(request, reply, request.params.id));

  routes.post('/admin/users/:id/roles', { preHandler: admins, schema: { hide: true, params: UserParams } }, async (request, reply) => {
    const { id } = request.params;
    const input = formBody(request);
    const pick = await pickOrganisation(db, input, 'organisationId');
    if (pick.finding || pick.problem) {
      reply.status(pick.problem ? 422 : 200);
      return renderUser(request, reply, id, { errors: pick.problem ? [pick.problem] : undefined, values: input, picker: pick.picker });
    }
    return submitForm(reply, {
      schema: RoleForm,
      input,
      save: (form) => addRole(db, actorOf(request), id, form.organisationId, form.role, request.ip),
      redisplay: (errors) => renderUser(request, reply, id, { errors, values: input, picker: pick.picker }),
      done: () => ({ redirect: `/admin/users/${id}`, flash: 'Role added.' }),
    });
  });

  routes.post('/admin/users/:id/roles/remove', { preHandler: admins, schema: { hide: true, params: UserParams } }, (request, reply) => {
    const { id } = request.params;
    return submitForm(reply, {
      schema: RemoveRoleForm,
      input: formBody(request),
      save: (form) => removeRole(db, actorOf(request), id, form.organisationId, form.role, request.ip),
      redisplay: (errors) => renderUser(request, reply, id, { errors }),
      done: () => ({ redirect: `/admin/users/${id}`, flash: 'Role removed.' }),
      anchor: () => 'memberships',
    });
  });

  for (const [path, active, flash] of [
    ['deactivate', false, 'Account deactivated. They have been signed out and cannot sign in until reactivated.'],
    ['reactivate', true, 'Account reactivated. They can sign in again.'],
  ] as const) {
    routes.post(`/admin/users/:id/${path}`, { preHandler: admins, schema: { hide: true, params: UserParams } }, (request, reply) => {
      const { id } = request.params;
      return submitForm(reply, {
        schema: AccessForm,
        input: formBody(request),
        save: () => setActive(db, actorOf(request), id, active, request.ip),
        redisplay: (errors) => renderUser(request, reply, id, { errors }),
        done: () => ({ redirect: `/admin/users/${id}`, flash }),
        anchor: () => 'account-status',
      });
    });
  }

  routes.get('/admin/organisations', { preHandler: admins, schema: { hide: true, querystring: OrganisationsQuery } }, async (request, reply) => {
    const { q, page } = request.query;
    const { rows, total, perPage } = await organisationsWithMembers(db, actorOf(request), q, page);
    return reply.page('identity/organisations.njk', {
      title: 'Organisations and their members',
      width: 'full',
      q,
      organisations: rows,
      total,
      pagination: paginate(total, page, perPage, (p) => withQuery('/admin/organisations', { q, page: p })),
    });
  });

  routes.get('/admin/organisations/:id/members', { preHandler: admins, schema: { hide: true, params: OrganisationParams } }, async (request, reply) => {
    const { organisation, members } = await organisationMembers(db, actorOf(request), request.params.id);
    return reply.page('identity/organisation-members.njk', {
      title: `Members of ${organisation.name}`,
      backHref: '/admin/organisations',
      width: 'full',
      organisation,
      members: members.map((u) => ({ ...u, roles: u.roles.map((role) => roleNames[role]) })),
    });
  });
}
