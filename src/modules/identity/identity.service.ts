/**
 * The old path of the authenticator and startSession, kept only for src/server.ts and the
 * benchmarks (outside this module's area). When they import from index.ts, delete this file.
 */
export { createAuthenticator, startSession } from './index.ts';
