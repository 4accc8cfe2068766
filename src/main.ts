import { ConfigError, loadConfig } from './platform/config.ts';
import { createDatabase } from './platform/db/create-database.ts';
import { DataDirInUseError } from './platform/db/lock.ts';
import { DEMO_PASSWORD, demoEditorCount, demoEditorEmail, demoUsers, loadDemoPartnership } from './demo/demo-partnership.ts';
import { createServer } from './server.ts';

async function main() {
  const config = loadConfig();
  const started = Date.now();
  const opened = await createDatabase(config, config.loadDemoData ? loadDemoPartnership : undefined);
  const app = await createServer(config, opened.db, undefined, { runJobs: true });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info(`${signal} received: finishing requests and the job in hand, then closing the database`);
    try {
      await app.close(); // stops accepting, waits for requests in flight and stops the job runner
    } finally {
      await opened.close();
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  const where = config.databaseUrl ? 'PostgreSQL server (DATABASE_URL)' : `embedded database in ${config.dataDir}`;
  const lines = [
    '',
    `Common Ground is running at ${config.publicUrl}  (started in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
    `Database: ${where}${opened.created ? ' — created now' + (config.loadDemoData ? ', with the synthetic demo partnership' : '') : ''}`,
  ];
  lines.push(
    config.smtpUrl
      ? 'Email: sent through SMTP_URL. Any message the mail server refuses is kept in the Email outbox page (/admin/outbox).'
      : 'Email: OFF (no SMTP_URL). Nothing is emailed: every message is kept in the Email outbox page (/admin/outbox) for a partnership admin to send another way.',
  );
  if (config.loadDemoData) {
    lines.push('', `Demo sign-ins (password for each: ${DEMO_PASSWORD}):`);
    for (const u of demoUsers) lines.push(`  ${u.role.padEnd(20)} ${u.email}`);
    lines.push(`  ${'organisation_editor'.padEnd(20)} ${demoEditorEmail(0)} to ${demoEditorEmail(demoEditorCount - 1)} (a community group, a faith group, a social enterprise, a housing association…)`);
  }
  lines.push('', `Public directory: ${config.publicUrl}/directory   ORUK feed: ${config.publicUrl}/oruk   API: ${config.publicUrl}/api`, 'Stop with Ctrl+C.', '');
  console.log(lines.join('\n'));
}

main().catch((error) => {
  if (error instanceof ConfigError || error instanceof DataDirInUseError) {
    console.error(error.message);
    process.exit(1);
  }
  console.error('Common Ground could not start:', error);
  process.exit(1);
});
