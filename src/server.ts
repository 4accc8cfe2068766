import type { FastifyInstance } from 'fastify';
import type { Config } from './platform/config.ts';
import type { Database } from './platform/db/database.ts';
import { buildApp, SESSION_COOKIE, type AppContext } from './platform/http/app.ts';
import { JobRunner } from './platform/jobs/runner.ts';
import { createMailer, type Mailer } from './platform/mailer.ts';
import { createAuthenticator } from './modules/identity/index.ts';
import { modules } from './modules.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The job runner with every module's jobs and sweeps (tests call `app.jobs.runDue(now)`). */
    jobs: JobRunner;
  }
}

export type ServerOptions = {
  /** Look for due jobs every so often while the app runs (main.ts); tests run them with app.jobs.runDue(). */
  runJobs?: boolean;
  jobIntervalMs?: number;
};

/** The whole application on a database: used by main.ts, the tests and the benchmarks. */
export async function createServer(config: Config, db: Database, mailer: Mailer = createMailer(config.smtpUrl, config.mailFrom, { db }), options: ServerOptions = {}): Promise<FastifyInstance> {
  const context: AppContext = { config, db, mailer };
  const app = await buildApp(context, modules, createAuthenticator(db, SESSION_COOKIE));
  const jobs = new JobRunner({
    context,
    handlers: Object.assign({}, ...modules.map((m) => m.jobs ?? {})),
    sweeps: Object.assign({}, ...modules.map((m) => m.sweeps ?? {})),
    intervalMs: options.jobIntervalMs,
    log: app.log,
  });
  app.decorate('jobs', jobs);
  if (options.runJobs) app.addHook('onReady', () => jobs.start());
  // Before the database closes: the job in hand finishes, the rest of its batch is released.
  app.addHook('onClose', () => jobs.stop());
  return app;
}
