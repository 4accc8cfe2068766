import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/http/app.ts';
import { roleNames } from '../../platform/actor.ts';
import { notFound } from '../../platform/http/errors.ts';
import { validateForm, type FieldError } from '../../platform/http/forms.ts';
import { apiTokensOf, changePassword, createApiToken, revokeApiToken } from './account.service.ts';
import { canManageOwnAccount } from './identity.policy.ts';
import { requirePermission } from './identity.routes.ts';
import { isUuid } from '../../platform/ids.ts';
import { ApiTokenForm, ChangePasswordForm, MIN_PASSWORD_LENGTH } from './identity.schemas.ts';

const flashes: Record<string, string> = {
  welcome: 'Your account is ready. You are signed in.',
  reset: 'Your password has been changed. Any other devices signed in to your account have been signed out.',
  password: 'Your password has been changed. Any other devices signed in to your account have been signed out.',
  revoked: 'The API token has been revoked. Anything using it can no longer reach the API.',
};

export function registerAccountRoutes(app: FastifyInstance, { db }: AppContext) {
  const guard = (request: FastifyRequest, reply: FastifyReply) => requirePermission(request, reply, canManageOwnAccount);

  async function renderAccount(request: FastifyRequest, reply: FastifyReply, extra: { errors?: FieldError[]; values?: Record<string, unknown>; flash?: string; newToken?: { token: string; name: string } } = {}) {
    const actor = request.actor!;
    return reply.page('identity/account.njk', {
      title: 'Your account',
      memberships: actor.memberships.map((m) => ({ ...m, roleName: roleNames[m.role] })),
      tokens: await apiTokensOf(db, actor),
      minPasswordLength: MIN_PASSWORD_LENGTH,
      values: {},
      ...extra,
    });
  }

  app.get('/account', { schema: { hide: true } }, async (request, reply) => {
    if (!guard(request, reply)) return reply;
    const query = request.query as Record<string, string | undefined>;
    const key = Object.keys(flashes).find((k) => query[k] === '1');
    return renderAccount(request, reply, { flash: key ? flashes[key] : undefined });
  });

  app.post('/account/password', { schema: { hide: true } }, async (request, reply) => {
    if (!guard(request, reply)) return reply;
    const form = validateForm(ChangePasswordForm, request.body);
    if (!form.ok) {
      reply.status(422);
      return renderAccount(request, reply, { errors: form.errors });
    }
    const outcome = await changePassword(db, request.actor!, form.data.currentPassword, form.data.newPassword, request.ip);
    if (outcome.ok) return reply.redirect('/account?password=1', 303);
    reply.status(422);
    return renderAccount(request, reply, { errors: [{ field: outcome.field, message: outcome.message }] });
  });

  app.post('/account/api-tokens', { schema: { hide: true } }, async (request, reply) => {
    if (!guard(request, reply)) return reply;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const form = validateForm(ApiTokenForm, body);
    if (!form.ok) {
      reply.status(422);
      return renderAccount(request, reply, { errors: form.errors, values: { name: body.name } });
    }
    const made = await createApiToken(db, request.actor!, form.data.name, request.ip);
    // Shown on this response only: the token is not stored and cannot be shown again.
    reply.header('cache-control', 'no-store');
    return renderAccount(request, reply, { newToken: { token: made.token, name: form.data.name } });
  });

  app.post('/account/api-tokens/:id/revoke', { schema: { hide: true } }, async (request, reply) => {
    if (!guard(request, reply)) return reply;
    const { id } = request.params as { id: string };
    if (!isUuid(id) || !(await revokeApiToken(db, request.actor!, id, request.ip))) throw notFound('API token');
    return reply.redirect('/account?revoked=1', 303);
  });
}
