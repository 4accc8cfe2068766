import fs from 'node:fs';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';
import type { Config } from '../../platform/config.ts';
import type { Database } from '../../platform/db/database.ts';
import { isValidNhsNumber, normaliseNhsNumber } from '../social-prescribing/index.ts';
import { loadDemoInsight } from './demo/insight-demo.service.ts';
import { insightContext } from './insight.context.ts';
import { UUID_PATTERN } from '../../platform/ids.ts';
import { Refusal } from '../../platform/refusal.ts';
import { searchOrganisations } from '../../platform/organisation-picker.ts';
import { loadExtract } from './loads/loads.service.ts';
import { keyFromFile, pseudonymOf } from './pseudonyms/pseudonym-key.ts';

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
}

const wholeNumber = (text: string | undefined, name: string, fallback: number) => {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new Error(`--${name} must be a whole number above 0.`);
  return Number(text);
};

/**
 * `pseudonymise IN OUT --key FILE`: the same keyed pseudonyms as a load makes, on a partner's own
 * machine, so NHS numbers need never leave it. The nhs_number column becomes pseudonym; a file
 * with an invalid number is not written at all.
 */
async function pseudonymise(args: string[]): Promise<number> {
  const [input, output] = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
  const keyFile = option(args, 'key');
  if (!input || !output) throw new Error('Usage: npm run cli -- pseudonymise IN.csv OUT.csv --key KEYFILE');
  if (!keyFile) throw new Error('Give the partnership\'s key with --key KEYFILE (ask the partnership\'s key custodian). Without it the pseudonyms would not link to anyone else\'s.');
  const key = keyFromFile(keyFile);
  const partial = `${output}.partial`;
  const bad: number[] = [];
  let rows = 0;
  await new Promise<void>((resolve, reject) => {
    let column = -1;
    let line = 1;
    const writer = stringify();
    const out = fs.createWriteStream(partial);
    writer.pipe(out);
    fs.createReadStream(input)
      .pipe(parse({ bom: true, relax_column_count: false }))
      .on('data', (record: string[]) => {
        if (column < 0) {
          column = record.findIndex((c) => c.trim().toLowerCase().replace(/\s+/g, '_') === 'nhs_number');
          if (column < 0) return reject(new Error(`${input} has no nhs_number column.`));
          writer.write(record.map((c, i) => (i === column ? 'pseudonym' : c)));
          return;
        }
        line += 1;
        rows += 1;
        const number = normaliseNhsNumber(record[column] ?? '');
        if (!isValidNhsNumber(number)) bad.push(line);
        writer.write(record.map((c, i) => (i === column ? (isValidNhsNumber(number) ? pseudonymOf(key, number) : '') : c)));
      })
      .on('error', reject)
      .on('end', () => writer.end());
    out.on('finish', resolve).on('error', reject);
  });
  if (bad.length) {
    fs.rmSync(partial, { force: true });
    console.error(`Nothing written: ${bad.length} row${bad.length > 1 ? 's have' : ' has'} an NHS number that fails its check digit or is not 10 digits, at line${bad.length > 1 ? 's' : ''} ${bad.slice(0, 10).join(', ')}${bad.length > 10 ? ' …' : ''}.`);
    return 2;
  }
  fs.renameSync(partial, output);
  console.log(`Wrote ${output}: ${rows} rows, NHS numbers replaced by pseudonyms (key version ${key.version}).`);
  return 0;
}

/** The partner organisation named on the command line: its id, its exact name, or the only organisation whose name contains the words. */
async function partnerOrganisation(db: Database, given: string | undefined): Promise<string> {
  if (!given?.trim()) throw new Error('Give --partner: the directory organisation the extract comes from, by name or id (an active information sharing agreement must cover its insight loads).');
  if (UUID_PATTERN.test(given)) return given;
  const matches = await searchOrganisations(db, given, 6);
  const exact = matches.filter((m) => m.name.toLowerCase() === given.trim().toLowerCase());
  const only = exact.length === 1 ? exact[0] : matches.length === 1 ? matches[0] : undefined;
  if (only) return only.id;
  if (!matches.length) throw new Error(`No organisation in the directory has a name containing “${given}”.`);
  throw new Error(`More than one organisation matches “${given}”: ${matches.map((m) => `${m.name} (${m.id})`).join('; ')}. Give the full name or the id.`);
}

async function insightLoad(db: Database, args: string[], config: Config): Promise<number> {
  const [sub, file] = args;
  if (sub !== 'load' || !file) throw new Error('Usage: npm run cli -- insight load FILE --kind KIND --partner ORGANISATION');
  const kind = option(args, 'kind');
  if (!kind) throw new Error('Give --kind: people, unit-costs or a setting such as ae or home-care.');
  const partnerOrganisationId = await partnerOrganisation(db, option(args, 'partner'));
  const insight = insightContext(config, db);
  try {
    const load = await loadExtract(await insight.store(), db, insight.loader(null, null, `command line (${process.env.USER ?? 'unknown user'})`), {
      path: file,
      fileName: file.split('/').at(-1)!,
      format: file.endsWith('.parquet') ? 'parquet' : 'csv',
      kind,
      partnerOrganisationId,
    });
    if (load.status === 'refused') {
      console.error(`Refused: nothing loaded from ${file}.`);
      for (const p of load.problems) console.error(`  ${p.problem}: ${p.rows} row${p.rows === 1 ? '' : 's'}${p.examples.length ? ` (line ${p.examples.map((e) => e.line).join(', ')})` : ''}`);
      return 2;
    }
    console.log(`Loaded ${load.rowsLoaded} of ${load.rowsRead} rows from ${file}${load.rowsOptedOut ? `; ${load.rowsOptedOut} left out (national data opt-out)` : ''}.`);
    const notice = insight.keyNotice();
    if (notice) console.log(notice);
    return 0;
  } catch (error) {
    // Refused before reading (no agreement covers it, an unknown kind): nothing was loaded.
    if (error instanceof Refusal) {
      console.error(`Refused: nothing loaded from ${file}. ${error.message}`);
      return 2;
    }
    throw error;
  } finally {
    await insight.close();
  }
}

async function insightDemo(db: Database, args: string[], config: Config): Promise<number> {
  const people = wholeNumber(option(args, 'people'), 'people', 20_000);
  const events = wholeNumber(option(args, 'events'), 'events', 200_000);
  const insight = insightContext(config, db);
  try {
    const started = Date.now();
    const loads = await loadDemoInsight(await insight.store(), db, insight.loader(null, null, 'demo generator'), { people, events, seed: 2026, from: '2023-04-01', to: '2026-11-30' });
    const loaded = loads.filter((l) => l.kind !== 'people' && l.kind !== 'unit-costs').reduce((a, l) => a + l.rowsLoaded, 0);
    console.log(`Generated and loaded a synthetic Wyndale population: ${people} people, ${loaded} events, in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    return 0;
  } finally {
    await insight.close();
  }
}

/** The module's command-line commands, for src/cli.ts. */
export const insightCommands = {
  withDatabase: {
    insight: { summary: 'insight load FILE --kind KIND --partner ORGANISATION: load an extract into whole-system insight', run: insightLoad },
    'insight-demo': { summary: 'insight-demo [--people N] [--events M]: generate and load a synthetic Wyndale population', run: insightDemo },
  },
  withoutDatabase: {
    pseudonymise: { summary: 'pseudonymise IN OUT --key FILE: replace NHS numbers by the partnership\'s keyed pseudonyms', run: (_config: Config, args: string[]) => pseudonymise(args) },
  },
};
