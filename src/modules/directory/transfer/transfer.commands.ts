import type { Database } from '../../../platform/db/database.ts';

/** npm run cli -- import <file or URL> [--format oruk-json|ndjson|csv|oruk-feed] */
export async function importCommand(_db: Database, _args: string[]): Promise<number> {
  throw new Error('import: not built yet');
}

/** npm run cli -- export <file> [--format csv|ndjson] */
export async function exportCommand(_db: Database, _args: string[]): Promise<number> {
  throw new Error('export: not built yet');
}
