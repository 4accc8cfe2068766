import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/http/app.ts';
import { roleNames, roles } from '../../platform/actor.ts';
import { notFound } from '../../platform/http/errors.ts';
import { validateForm, type FieldError } from '../../platform/http/forms.ts';
import { pageNumber, paginate, withQuery } from '../../platform/http/pagination.ts';
import * as repo from './identity.repository.ts';
import { canDeactivate, canManageUsers } from './identity.policy.ts';
import { requirePermission } from './identity.routes.ts';
import { isUuid } from '../../platform/ids.ts';
import { InviteForm, RoleForm } from './identity.schemas.ts';
import { INVITATION_DAYS, invite } from './invitations.service.ts';
import { addRole, removeRole, setActive, userForAdmin } from './members.service.ts';
import { createResetLinkForUser, RESET_LINK_MINUTES } from './password-reset.service.ts';

const ORGANISATIONS_PER_PAGE = 50;

export const roleChoices = roles.map((value) => ({ value, text: roleNames[value] }));

const doneMessages: Record<string, string> = {
  role_added: 'Role added.',
  role_removed: 'Role removed.',
  deactivated: 'Account deactivated. They have been signed out and cannot sign in until reactivated.',
  reactivated: 'Account reactivated. They can sign in again.',
};

type Query = Record<string, string | undefined>;

export function registerAdminUserRoutes(app: FastifyInstance, context: AppContext) {
  const { db } = context;
  const guard = (request: FastifyRequest, reply: FastifyReply) => requirePermission(request, reply, canManageUsers);

  async function organisationItems(selected?: string) {
    const choices = await repo.organisationChoices(db);
    return [{ value: '', text: 'Select an organisation' }, ...choices.map((o) => ({ value: o.id, text: o.name, selected: o.id === selected }))];
  }

  async function renderUser(request: FastifyRequest, reply: FastifyReply, userId: string, extra: { errors?: FieldError[]; values?: Record<string, unknown>; flash?: string } = {}) {
    if (!isUuid(userId)) throw notFound('Account');
    const found = await userForAdmin(db, userId);
    if (!found) throw notFound('Account');
    return reply.page('identity/user.njk', {
      title: found.user.name,
      backHref: '/admin/users',
      person: found.user,
      memberships: found.memberships.map((m) => ({ ...m, roleName: roleNames[m.role] })),
      organisationItems: await organisationItems(extra.values?.organisationId as string | undefined),
      roleChoices,
      canDeactivate: canDeactivate(request.actor, userId),
      resetLinkMinutes: RESET_LINK_MINUTES,
      ...extra,
    });
  }

  app.get('/admin/users', { schema: { hide: true } }, async (request, reply) => {
    if (!guard(request, reply)) return reply;
    const q = ((request.query as Query).q ?? '').trim().slice(0, 200);
    const users = await repo.listUsers(db, { search: q || undefined });
    return reply.page('identity/users.njk', {
      title: 'Users and roles',
      width: 'full',
      q,
      users: users.map((u) => ({ ...u, memberships: u.memberships.map((m) => ({ ...m, roleName: roleNames[m.role] })) })),
      invitations: (await repo.pendingInvitations(db)).map((i) => ({ ...i, roleName: i.role ? roleNames[i.role] : '' })),
    });
  });

  app.get('/admin/users/invite', { schema: { hide: true } }, async (request, reply) => {
    if (!guard(request, reply)) return reply;
    const organisationId = (request.query as Query).organisationId;
    return reply.page('identity/invite.njk', {
      title: 'Invite a person',
      backHref: '/admin/users',
      values: {},
      organisationItems: await organisationItems(organisationId),
      roleChoices,
      invitationDays: INVITATION_DAYS,
    });
  });

  app.post('/admin/users/invite', { schema: { hide: true } }, async (request, reply) => {
    if (!guard(request, reply)) return reply;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const form = validateForm(InviteForm, body);
    const redisplay = async (errors: FieldError[]) =>
      reply.status(422).page('identity/invite.njk', {
        title: 'Invite a person',
        backHref: '/admin/users',
        errors,
        values: body,
        organisationItems: await organisationItems(body.organisationId as string),
        roleChoices,
        invitationDays: INVITATION_DAYS,
      });
    if (!form.ok) return redisplay(form.errors);
    const result = await invite(context, request.actor!, form.data, request.ip);
    if (!result.ok) return redisplay([{ field: result.field, message: result.message }]);
    return reply.page('identity/invited.njk', {
      title: result.kind === 'invited' ? 'Invitation made' : 'Role added to their account',
      result,
      invitee: form.data,
      roleName: roleNames[form.data.role],
      mailConfigured: context.mailer.configured,
      invitationDays: INVITATION_DAYS,
    });
  });

  app.get('/admin/users/:id', { schema: { hide: true } }, async (request, reply) => {
    if (!guard(request, reply)) return reply;
    const done = (request.query as Query).done;
    return renderUser(request, reply, (request.params as { id: string }).id, { flash: done ? doneMessages[done] : undefined });
  });

  app.post('/admin/users/:id/roles', { schema: { hide: true } }, async (request, reply) => {
    if (!guard(request, reply)) return reply;
    const { id } = request.params as { id: string };
    if (!isUuid(id) || !(await repo.findUserById(db, id))) throw notFound('Account');
    const body = (request.body ?? {}) as Record<string, unknown>;
    const form = validateForm(RoleForm, body);
    const outcome = form.ok ? await addRole(db, request.actor!, id, form.data.organisationId, form.data.role, request.ip) : { ok: false as const, errors: form.errors };
    if (outcome.ok) return reply.redirect(`/admin/users/${id}?done=role_added`, 303);
    const errors = 'errors' in outcome ? outcome.errors : [{ field: outcome.field, message: outcome.message }];
    reply.status(422);
    return renderUser(request, reply, id, { errors, values: body });
  });

  app.post('/admin/users/:id/roles/remove', { schema: { hide: true } }, async (request, reply) => {
    if (!guard(request, reply)) return reply;
    const { id } = request.params as { id: string };
    if (!isUuid(id) || !(await repo.findUserById(db, id))) throw notFound('Account');
    const form = validateForm(RoleForm, request.body);
    const outcome = form.ok ? await removeRole(db, request.actor!, id, form.data.organisationId, form.data.role, request.ip) : { ok: false as const, field: 'form', message: 'Choose a role to remove' };
    if (outcome.ok) return reply.redirect(`/admin/users/${id}?done=role_removed`, 303);
    reply.status(422);
    return renderUser(request, reply, id, { errors: [{ field: 'memberships', message: outcome.message }] });
  });

  for (const [path, active] of [['deactivate', false], ['reactivate', true]] as const) {
    app.post(`/admin/users/:id/${path}`, { schema: { hide: true } }, async (request, reply) => {
      if (!guard(request, reply)) return reply;
      const { id } = request.params as { id: string };
      if (!isUuid(id) || !(await repo.findUserById(db, id))) throw notFound('Account');
      const outcome = await setActive(db, request.actor!, id, active, request.ip);
      if (outcome.ok) return reply.redirect(`/admin/users/${id}?done=${active ? 'reactivated' : 'deactivated'}`, 303);
      reply.status(422);
      return renderUser(request, reply, id, { errors: [{ field: 'account-status', message: outcome.message }] });
    });
  }

  app.post('/admin/users/:id/reset-link', { schema: { hide: true } }, async (request, reply) => {
    if (!guard(request, reply)) return reply;
    const { id } = request.params as { id: string };
    const made = isUuid(id) ? await createResetLinkForUser(context, request.actor!, id, request.ip) : undefined;
    if (!made) throw notFound('Account');
    return reply.page('identity/reset-link.njk', { title: 'Password reset link', person: made.user, url: made.url, resetLinkMinutes: RESET_LINK_MINUTES, backHref: `/admin/users/${id}` });
  });

  app.get('/admin/organisations', { schema: { hide: true } }, async (request, reply) => {
    if (!guard(request, reply)) return reply;
    const query = request.query as Query;
    const q = (query.q ?? '').trim().slice(0, 200);
    const page = pageNumber(query.page);
    const { rows, total } = await repo.organisationsWithMemberCounts(db, { search: q || undefined, limit: ORGANISATIONS_PER_PAGE, offset: (page - 1) * ORGANISATIONS_PER_PAGE });
    return reply.page('identity/organisations.njk', {
      title: 'Organisations and their members',
      width: 'full',
      q,
      organisations: rows,
      total,
      pagination: paginate(total, page, ORGANISATIONS_PER_PAGE, (p) => withQuery('/admin/organisations', { q, page: p })),
    });
  });

  app.get('/admin/organisations/:id/members', { schema: { hide: true } }, async (request, reply) => {
    if (!guard(request, reply)) return reply;
    const { id } = request.params as { id: string };
    const organisation = isUuid(id) ? await repo.findOrganisation(db, id) : undefined;
    if (!organisation) throw notFound('Organisation');
    const users = await repo.listUsers(db, { organisationId: id });
    return reply.page('identity/organisation-members.njk', {
      title: `Members of ${organisation.name}`,
      backHref: '/admin/organisations',
      width: 'full',
      organisation,
      // Only the roles held in this organisation.
      members: users.map((u) => ({ ...u, roles: u.memberships.filter((m) => m.organisationId === id).map((m) => roleNames[m.role]) })),
    });
  });
}
