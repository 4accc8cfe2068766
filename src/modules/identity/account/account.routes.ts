import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { roleNames } from '../../../platform/actor.ts';
import { actorOf, allow, signedIn } from '../../../platform/http/access.ts';
import type { AppContext } from '../../../platform/http/app.ts';
import { formBody, submitForm, type FieldError } from '../../../platform/http/forms.ts';
import { canManageOwnAccount } from '../identity.policy.ts';
import { MIN_PASSWORD_LENGTH } from '../identity.schemas.ts';
import { AccountQuery, ApiTokenForm, ChangePasswordForm, MeResponse, RevokeTokenForm, TokenIdParams } from './account.schemas.ts';
import { apiTokensOf, changePassword, createApiToken, revokeApiToken } from './account.service.ts';

const flashes = {
  welcome: 'Your account is ready. You are signed in.',
  reset: 'Your password has been changed. Any other devices signed in to your account have been signed out.',
  password: 'Your password has been changed. Any other devices signed in to your account have been signed out.',
  revoked: 'The API token has been revoked. Anything using it can no longer reach the API.',
} as const;

type AccountExtra = { errors?: FieldError[]; values?: Record<string, unknown>; flash?: string; newToken?: { token: string; name: string } };

export function registerAccountRoutes(app: FastifyInstance, { db }: AppContext) {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const ownAccount = allow(canManageOwnAccount);

  async function renderAccount(request: FastifyRequest, reply: FastifyReply, extra: AccountExtra = {}) {
    const actor = actorOf(request);
    return reply.page('identity/account.njk', {
      title: 'Your account',
      memberships: actor.memberships.map((m) => ({ ...m, roleName: roleNames[m.role] })),
      tokens: await apiTokensOf(db, actor),
      minPasswordLength: MIN_PASSWORD_LENGTH,
      values: {},
      ...extra,
    });
  }

  routes.get('/account', { preHandler: ownAccount, schema: { hide: true, querystring: AccountQuery } }, async (request, reply) => {
    const key = (Object.keys(flashes) as (keyof typeof flashes)[]).find((k) => request.query[k] === '1');
    return renderAccount(request, reply, { flash: key ? flashes[key] : undefined });
  });

  routes.post('/account/password', { preHandler: ownAccount, schema: { hide: true } }, (request, reply) =>
    submitForm(reply, {
      schema: ChangePasswordForm,
      input: formBody(request),
      save: (form) => changePassword(db, actorOf(request), form.currentPassword, form.newPassword, request.ip),
      redisplay: (errors) => renderAccount(request, reply, { errors }),
      done: () => ({ redirect: '/account?password=1' }),
    }),
  );

  // The new token is shown on this response only (it is not stored), so it is drawn at once.
  routes.post('/account/api-tokens', { preHandler: ownAccount, schema: { hide: true } }, async (request, reply) => {
    const input = formBody(request);
    return submitForm(reply, {
      schema: ApiTokenForm,
      input,
      save: (form) => createApiToken(db, actorOf(request), form.name, request.ip).then((made) => ({ made, name: form.name })),
      redisplay: (errors) => renderAccount(request, reply, { errors, values: { name: input.name } }),
      done: ({ made, name }) => ({ show: () => renderAccount(request, reply.header('cache-control', 'no-store'), { newToken: { token: made.token, name } }) }),
    });
  });

  routes.post('/account/api-tokens/:id/revoke', { preHandler: ownAccount, schema: { hide: true, params: TokenIdParams } }, (request, reply) =>
    submitForm(reply, {
      schema: RevokeTokenForm,
      input: formBody(request),
      save: () => revokeApiToken(db, actorOf(request), request.params.id, request.ip),
      redisplay: (errors) => renderAccount(request, reply, { errors }),
      done: () => ({ redirect: '/account?revoked=1' }),
      anchor: 'api-tokens',
    }),
  );

  routes.get(
    '/api/v1/me',
    {
      preHandler: signedIn,
      schema: {
        summary: 'Who am I',
        description: 'The account the API token (or session) belongs to, with its roles in each organisation. 401 when not signed in.',
        tags: ['Accounts'],
        security: [{ apiToken: [] }],
        response: { 200: MeResponse },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      return {
        id: actor.userId,
        name: actor.name,
        email: actor.email,
        memberships: actor.memberships.map((m) => ({ organisationId: m.organisationId, organisationName: m.organisationName, role: m.role, roleName: roleNames[m.role] })),
      };
    },
  );
}
