import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import type { Database } from '../../../platform/db/database.ts';
import { exportDirectory, exportFormats, type ExportFormat } from './export.service.ts';
import { importFormats, type ImportFormat } from './transfer.schemas.ts';
import { importFromFile, importFromUrl, type ImportProgress, type ImportReport } from './transfer.service.ts';

function parseArgs(args: string[]): { target?: string; format?: string; unknown: string[] } {
  const out: { target?: string; format?: string; unknown: string[] } = { unknown: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--format') out.format = args[++i];
    else if (arg.startsWith('--format=')) out.format = arg.slice('--format='.length);
    else if (arg.startsWith('--')) out.unknown.push(arg);
    else if (!out.target) out.target = arg;
    else out.unknown.push(arg);
  }
  return out;
}

const describe = (p: ImportProgress) => `${p.processed} of ${p.total} done: ${p.created} created, ${p.updated} updated, ${p.rejected} rejected`;

function formatReport(report: ImportReport): string {
  const lines = [
    `Import ${report.runId}`,
    `  ${report.total} records: ${report.created} created, ${report.updated} updated, ${report.rejected.length} rejected`,
    ...report.problems.map((p) => `  Problem: ${p}`),
  ];
  for (const r of report.rejected) {
    const where = [r.record.line ? `line ${r.record.line}` : null, r.record.name ? `"${r.record.name}"` : null, r.record.id ?? null].filter(Boolean).join(' ');
    lines.push(`  Rejected ${where || 'a record'}:`, ...r.reasons.map((reason) => `    - ${reason}`));
  }
  return lines.join('\n');
}

/** npm run cli -- import <file or URL> [--format oruk-json|ndjson|csv|oruk-feed] */
export async function importCommand(db: Database, args: string[]): Promise<number> {
  const { target, format, unknown } = parseArgs(args);
  if (!target || unknown.length) {
    console.error(`Usage: npm run cli -- import <file or URL> [--format ${importFormats.join('|')}]${unknown.length ? `\nNot understood: ${unknown.join(' ')}` : ''}`);
    return 2;
  }
  if (format && !(importFormats as readonly string[]).includes(format)) {
    console.error(`--format must be one of ${importFormats.join(', ')}`);
    return 2;
  }
  const isUrl = /^https?:\/\//i.test(target);
  if (format === 'oruk-feed' && !isUrl) {
    console.error('An oruk-feed is read from a web address starting with http:// or https://');
    return 2;
  }
  if (!isUrl && !fs.existsSync(target)) {
    console.error(`There is no file ${target}`);
    return 2;
  }
  let last = 0;
  const onProgress = (p: ImportProgress) => {
    // Once a second at most, and at the end.
    if (Date.now() - last > 1000 || p.processed === p.total) {
      last = Date.now();
      console.log(describe(p));
    }
  };
  const report = isUrl ? await importFromUrl(db, target, { onProgress }) : await importFromFile(db, target, { format: format as ImportFormat | undefined, onProgress });
  console.log(formatReport(report));
  const saved = report.created + report.updated;
  return report.problems.length && !saved ? 1 : report.total > 0 && saved === 0 ? 1 : 0;
}

/** npm run cli -- export <file> [--format csv|ndjson] */
export async function exportCommand(db: Database, args: string[]): Promise<number> {
  const { target, format: given, unknown } = parseArgs(args);
  if (!target || unknown.length) {
    console.error(`Usage: npm run cli -- export <file> [--format ${exportFormats.join('|')}]`);
    return 2;
  }
  const format = (given ?? (path.extname(target).toLowerCase() === '.csv' ? 'csv' : 'ndjson')) as ExportFormat;
  if (!exportFormats.includes(format)) {
    console.error(`--format must be one of ${exportFormats.join(', ')}`);
    return 2;
  }
  // Written beside the target and renamed at the end, so a stopped export leaves no half file.
  const partial = `${target}.partial`;
  const out = fs.createWriteStream(partial);
  let services = 0;
  for await (const chunk of exportDirectory(db, format)) {
    if (format === 'ndjson') services += chunk.split('\n').length - 1;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  fs.renameSync(partial, target);
  console.log(`Wrote the directory to ${target} (${format}${format === 'ndjson' ? `, ${services} services` : ''}).`);
  return 0;
}
