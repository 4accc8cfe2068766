import type { FastifyRequest } from 'fastify';
import type { Database } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/actor.ts';
import { actorForApiToken, actorForSession } from './sign-in.service.ts';

/** The authenticator the platform calls on each request: an API token, else the session cookie. */
export function createAuthenticator(db: Database, cookieName: string) {
  return {
    async authenticate(request: FastifyRequest): Promise<Actor | null> {
      const header = request.headers.authorization;
      if (header?.startsWith('Bearer ')) return actorForApiToken(db, header.slice(7).trim());
      const cookie = request.cookies[cookieName];
      return cookie ? actorForSession(db, cookie) : null;
    },
  };
}
