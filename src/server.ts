import type { FastifyInstance } from 'fastify';
import type { Config } from './platform/config.ts';
import type { Database } from './platform/db/database.ts';
import { buildApp, SESSION_COOKIE } from './platform/http/app.ts';
import { createMailer, type Mailer } from './platform/mailer.ts';
import { createAuthenticator } from './modules/identity/index.ts';
import { modules } from './modules.ts';

/** The whole application on a database: used by main.ts, the tests and the benchmarks. */
export async function createServer(config: Config, db: Database, mailer: Mailer = createMailer(config.smtpUrl, config.mailFrom)): Promise<FastifyInstance> {
  return buildApp({ config, db, mailer }, modules, createAuthenticator(db, SESSION_COOKIE));
}
