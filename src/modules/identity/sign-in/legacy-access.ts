/**
 * The access checks other modules called in their handlers before `allow()` (src/platform/http/access.ts)
 * existed. Identity itself declares access with allow()/signedIn; these stay exported from index.ts only
 * until every module has moved to allow(), then they are deleted.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../../platform/actor.ts';
import { HttpProblem } from '../../../platform/http/errors.ts';
import { refuse } from '../../../platform/refusal.ts';

export function requireSignIn(request: FastifyRequest, reply: FastifyReply): boolean {
  if (request.actor) return true;
  reply.redirect(`/sign-in?returnTo=${encodeURIComponent(request.url)}`);
  return false;
}

/**
 * For pages only some roles may use: anonymous people are sent to sign in, signed-in people
 * without the role get the 403 page. Pass a policy function from a *.policy.ts file.
 */
export function requirePermission(request: FastifyRequest, reply: FastifyReply, allowed: (actor: Actor) => boolean): boolean {
  if (!requireSignIn(request, reply)) return false;
  if (!allowed(request.actor!)) throw refuse.forbidden('Your account does not have a role that can use this page. Ask a partnership admin if you need it.');
  return true;
}

/** For API routes: the actor, or 401 problem+json that says how to authenticate. */
export function requireApiActor(request: FastifyRequest, reply: FastifyReply): Actor {
  if (request.actor) return request.actor;
  reply.header('www-authenticate', 'Bearer');
  throw new HttpProblem(401, 'Sign-in required', 'Send a personal API token (Authorization: Bearer cg_…) made on your account page.');
}
