import fs from 'node:fs';
import { loadConfig, type Config } from './platform/config.ts';
import { createDatabase, restoreEmbedded } from './platform/db/create-database.ts';
import type { Database } from './platform/db/database.ts';
import { PgliteDatabase } from './platform/db/pglite-database.ts';
import { backupTarball, dumpSql, writeFileAtomically } from './platform/db/backup.ts';
import { loadDemoPartnership } from './demo/demo-partnership.ts';
import { exportCommand, importCommand, postcodesCommand } from './modules/directory/index.ts';
import { insightCommands } from './modules/insight/index.ts';

type Command = { summary: string; run(db: Database, args: string[], config: Config): Promise<number> };

function embeddedOnly(db: Database, what: string): PgliteDatabase {
  if (!(db instanceof PgliteDatabase)) throw new Error(`${what} is for the embedded database. On a PostgreSQL server use pg_dump and pg_restore.`);
  return db;
}

function requireArgument(args: string[], what: string): string {
  if (!args[0]) throw new Error(`Give ${what}.`);
  return args[0];
}

const commands: Record<string, Command> = {
  migrate: { summary: 'apply database migrations (also done at every start)', run: async () => 0 },
  'seed-demo': {
    summary: 'load the synthetic demo partnership (into an empty database)',
    run: async (db) => {
      await loadDemoPartnership(db);
      return 0;
    },
  },
  import: { summary: 'import <file|URL> [--format oruk-json|ndjson|csv|oruk-feed]: load directory records', run: importCommand },
  export: { summary: 'export <file> [--format csv|ndjson]: write the directory', run: exportCommand },
  postcodes: { summary: 'postcodes <file.csv>: load an ONS Postcode Directory extract', run: postcodesCommand },
  backup: {
    summary: 'backup <file.tar.gz>: copy the embedded database (restore it with `restore`)',
    run: async (db, args) => {
      const file = requireArgument(args, 'the backup file to write, like backup-2026-11-22.tar.gz');
      writeFileAtomically(file, await backupTarball(embeddedOnly(db, 'backup')));
      console.log(`Backed up the embedded database to ${file}`);
      return 0;
    },
  },
  ...insightCommands.withDatabase,
  'dump-sql': {
    summary: 'dump-sql <file.sql>: SQL dump of the embedded database, to load into PostgreSQL with psql',
    run: async (db, args) => {
      const file = requireArgument(args, 'the SQL file to write, like common-ground.sql');
      writeFileAtomically(file, await dumpSql(embeddedOnly(db, 'dump-sql')));
      console.log(`Wrote ${file}. Load it into an empty PostgreSQL database: psql -v ON_ERROR_STOP=1 -d DATABASE -f ${file}`);
      return 0;
    },
  },
};

/** Commands that must not open (and so create) the database first. */
const withoutDatabase: Record<string, { summary: string; run(config: Config, args: string[]): Promise<number> }> = {
  ...insightCommands.withoutDatabase,
  restore: {
    summary: 'restore <file.tar.gz>: restore a backup into DATA_DIR (which must hold no database)',
    run: async (config, args) => {
      const file = requireArgument(args, 'the backup file made by `backup`');
      await restoreEmbedded(config.dataDir, fs.readFileSync(file));
      console.log(`Restored ${file} into ${config.dataDir}`);
      return 0;
    },
  },
};

function usage(): string {
  const all = { ...commands, ...withoutDatabase };
  return ['Usage: npm run cli -- <command> [arguments]', '', ...Object.entries(all).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)].join('\n');
}

async function main() {
  const [name, ...args] = process.argv.slice(2);
  const config = loadConfig();
  if (name && withoutDatabase[name]) process.exit(await withoutDatabase[name].run(config, args));
  const command = name ? commands[name] : undefined;
  if (!command) {
    console.error(usage());
    process.exit(name ? 2 : 0);
  }
  // The CLI takes the same lock as the server: the embedded database must not be open twice.
  const opened = await createDatabase(config);
  let code = 1;
  try {
    code = await command.run(opened.db, args, config);
  } finally {
    await opened.close();
  }
  process.exit(code);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
