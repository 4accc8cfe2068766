import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../platform/http/app.ts';
export function registerVotingRoutes(_app: FastifyInstance, _context: AppContext): void {}
