import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../platform/http/app.ts';

export function registerOrukRoutes(_app: FastifyInstance, _context: AppContext): void {
  // Built in its own change.
}
