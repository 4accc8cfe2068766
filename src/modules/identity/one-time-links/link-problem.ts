import type { FastifyReply } from 'fastify';
import { UnusableLink } from './one-time-links.service.ts';

/**
 * A link that cannot be used gets a page saying why and what to do (404 unknown, 410 spent or
 * expired). Anything else thrown is passed on.
 */
export function showUnusableLink(reply: FastifyReply, error: unknown) {
  if (!(error instanceof UnusableLink)) throw error;
  return reply.status(error.status).page('identity/link-problem.njk', {
    title: error.message,
    kind: error.purpose === 'invitation' ? 'invitation' : 'reset',
    state: error.state,
  });
}
