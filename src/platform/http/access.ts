import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Actor } from '../actor.ts';
import { HttpProblem, wantsProblemJson } from './errors.ts';
import { refuse } from '../refusal.ts';

/**
 * Who may reach a route, declared on the route (`preHandler: allow(policy)`): anonymous people
 * are sent to sign in (pages) or answered 401 (API); signed-in people the policy refuses get 403.
 * Rules about one record (this case, this programme) are asked by the service through its policy.
 */
export function allow(policy?: (actor: Actor) => boolean, refusal = 'Your account does not have a role that can use this page. Ask a partnership admin if you need it.'): preHandlerAsyncHookHandler {
  return async function allowed(request: FastifyRequest, reply: FastifyReply) {
    if (!request.actor) {
      if (wantsProblemJson(request)) {
        reply.header('www-authenticate', 'Bearer');
        throw new HttpProblem(401, 'Sign-in required', 'Send a personal API token (Authorization: Bearer cg_…) made on your account page.');
      }
      return reply.redirect(`/sign-in?returnTo=${encodeURIComponent(request.url)}`);
    }
    if (policy && !policy(request.actor)) throw refuse.forbidden(refusal);
  };
}

/** Any signed-in person. */
export const signedIn = allow();

/** The signed-in actor of a route declared with allow(); throws if the route forgot to declare it. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new Error(`${request.routeOptions.url} reads the actor but does not declare preHandler: allow(…)`);
  return request.actor;
}
