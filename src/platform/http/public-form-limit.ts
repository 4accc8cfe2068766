import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { HttpProblem } from './errors.ts';

/**
 * Public forms (problem reports, self-referrals, community ideas) can be sent by anyone, so each
 * address gets a limited number of sends. Signed-in people are known and accountable and are not
 * limited. The routes registered inside `routes` are in their own encapsulated context, so the
 * limit applies to them alone.
 */
export interface PublicFormLimit {
  /** Sends allowed from one address in `window`. */
  max: number;
  /** How long the count lasts, in words @fastify/rate-limit understands, e.g. '10 minutes'. */
  window: string;
  /** What the person sees, e.g. 'You have sent too many reports'. */
  title: string;
  /** Plural noun for what they sent, e.g. 'reports'. */
  what: string;
}

export function withPublicFormLimit(
  app: FastifyInstance,
  limit: PublicFormLimit,
  routes: (scoped: FastifyInstance, rateLimit: { max: number; timeWindow: string }) => void,
): void {
  app.register(async (scoped) => {
    await scoped.register(fastifyRateLimit, {
      global: false,
      allowList: (request) => !!request.actor,
      errorResponseBuilder: () =>
        new HttpProblem(429, limit.title, `You can send ${limit.max} ${limit.what} every ${limit.window}. Wait a few minutes, then try again.`),
    });
    routes(scoped, { max: limit.max, timeWindow: limit.window });
  });
}
