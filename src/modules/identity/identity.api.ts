import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { roleNames } from '../../platform/actor.ts';
import { requireApiActor } from './identity.routes.ts';
import { MeResponse } from './identity.schemas.ts';

export function registerIdentityApi(app: FastifyInstance) {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/me',
    {
      schema: {
        summary: 'Who am I',
        description: 'The account the API token (or session) belongs to, with its roles in each organisation. 401 when not signed in.',
        tags: ['Accounts'],
        security: [{ apiToken: [] }],
        response: { 200: MeResponse },
      },
    },
    async (request, reply) => {
      const actor = requireApiActor(request, reply);
      return {
        id: actor.userId,
        name: actor.name,
        email: actor.email,
        memberships: actor.memberships.map((m) => ({ organisationId: m.organisationId, organisationName: m.organisationName, role: m.role, roleName: roleNames[m.role] })),
      };
    },
  );
}
