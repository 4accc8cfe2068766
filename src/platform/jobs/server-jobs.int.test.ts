import { describe, expect, it } from 'vitest';
import { RecordingMailer } from '../../../test/support/mail.ts';
import { createTestDatabase } from '../../../test/support/test-database.ts';
import { createServer } from '../../server.ts';
import { loadConfig } from '../config.ts';
import { enqueueJob } from './jobs.ts';
import { JobRunner } from './runner.ts';

describe('the job runner in the app', () => {
  it('starts with the app when asked (main.ts), runs due work on its own, and stops before the database closes', async () => {
    const db = await createTestDatabase();
    const config = loadConfig({ LOG_LEVEL: 'silent', DEMO_DATA: 'false' });
    const app = await createServer(config, db, new RecordingMailer(db), { runJobs: true, jobIntervalMs: 20 });
    expect(app.jobs).toBeInstanceOf(JobRunner);
    await app.ready();
    const id = await enqueueJob(db, 'unknown.kind', {});
    // The platform's own sweep runs on the first look; a kind no module handles is left alone.
    for (let i = 0; i < 100; i++) {
      const [sweep] = await db.query<{ attempts: number; run_at: Date }>(`select attempts, run_at from jobs where kind = 'sweep:platform.forget-done-jobs'`);
      if (sweep && new Date(sweep.run_at).getTime() > Date.now() + 3600_000) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const [sweep] = await db.query<{ run_at: Date }>(`select run_at from jobs where kind = 'sweep:platform.forget-done-jobs'`);
    expect(new Date(sweep.run_at).getTime()).toBeGreaterThan(Date.now() + 3600_000);
    expect((await db.query<{ attempts: number }>('select attempts from jobs where id = $1', [id]))[0].attempts).toBe(0);
    await app.close();
    await db.close();
  });

  it('does not look for jobs on its own in tests unless asked: they run them with app.jobs.runDue(now)', async () => {
    const db = await createTestDatabase();
    const app = await createServer(loadConfig({ LOG_LEVEL: 'silent', DEMO_DATA: 'false' }), db, new RecordingMailer(db));
    await app.ready();
    expect(await db.query('select 1 from jobs')).toEqual([]);
    expect(await app.jobs.runDue()).toEqual({ ran: 0, failed: 0 });
    await app.close();
    await db.close();
  });
});
