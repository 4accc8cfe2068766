import { loadConfig } from './platform/config.ts';
import { createDatabase } from './platform/db/create-database.ts';
import type { Database } from './platform/db/database.ts';
import { loadDemoPartnership } from './demo/demo-partnership.ts';
import { importCommand, exportCommand } from './modules/directory/transfer/transfer.commands.ts';
import { postcodesCommand } from './modules/directory/postcodes/postcodes.commands.ts';

type Command = { summary: string; run(db: Database, args: string[]): Promise<number> };

const commands: Record<string, Command> = {
  migrate: { summary: 'apply database migrations (also done at every start)', run: async () => 0 },
  'seed-demo': {
    summary: 'load the synthetic demo partnership into an empty database',
    run: async (db) => {
      await loadDemoPartnership(db);
      return 0;
    },
  },
  import: { summary: 'import <file|URL> [--format oruk-json|ndjson|csv|oruk-feed]: load directory records', run: importCommand },
  export: { summary: 'export <file> [--format csv|ndjson]: write the directory', run: exportCommand },
  postcodes: { summary: 'postcodes <file.csv>: load an ONS Postcode Directory extract', run: postcodesCommand },
};

function usage(): string {
  return ['Usage: npm run cli -- <command> [arguments]', '', ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)].join('\n');
}

async function main() {
  const [name, ...args] = process.argv.slice(2);
  const command = name ? commands[name] : undefined;
  if (!command) {
    console.error(usage());
    process.exit(name ? 2 : 0);
  }
  const config = loadConfig();
  // The CLI takes the same lock as the server: the embedded database must not be open twice.
  const opened = await createDatabase(config);
  let code = 1;
  try {
    code = await command.run(opened.db, args);
  } finally {
    await opened.close();
  }
  process.exit(code);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
