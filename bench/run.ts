/*
 * npm run bench — measures Common Ground on this machine and writes docs/benchmarks.md.
 *
 * Platform: the real server started as `npm start` would (first start with the demo data, warm
 * start), its memory, and requests per second with autocannon. Directory: 100,000 generated
 * services in a fresh embedded PGlite, then search, ORUK and import timings, against a naive
 * baseline (ILIKE and a haversine over every location, no indexes).
 *
 * Each part runs on its own: a part that cannot run (a route or module missing, an error) is
 * written into the report with the reason, and the rest still runs.
 * BENCH_SERVICES (default 100000) sets the directory size, for a quicker trial run; BENCH_PARTS
 * (load,platform,directory,social-prescribing,innovation) chooses the parts. Under load
 * (bench/load.bench.ts): the running server on PGlite and on PostgreSQL with autocannon and 50
 * signed-in users; BENCH_QUICK=1 shortens it, BENCH_ENGINES=pglite|postgres runs one engine.
 */
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { loadConfig } from '../src/platform/config.ts';
import type { Database } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { openPglite } from '../src/platform/db/pglite-database.ts';
import { createMailer } from '../src/platform/mailer.ts';
import { createServer } from '../src/server.ts';
import { DEMO_SEED, generateDemoDirectory, saveDemoDirectory, type DemoDirectory } from '../src/modules/directory/demo/demo-directory.ts';
import { Random } from '../src/modules/directory/demo/random.ts';
import { needs } from '../src/modules/directory/needs-taxonomy.ts';
import { DEMO_PASSWORD } from '../src/demo/demo-partnership.ts';
import { timings } from './timing.ts';
import { freePort, rssMiB, signIn, startServer, stopServer, type RunningServer } from './server.ts';
import { benchUnderLoad } from './load.bench.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// BENCH_REPORT writes elsewhere (a trial run of one part should not replace the committed figures).
const reportFile = process.env.BENCH_REPORT ? path.resolve(process.env.BENCH_REPORT) : path.join(root, 'docs', 'benchmarks.md');
const SERVICES = Number(process.env.BENCH_SERVICES ?? 100_000);
const MILES = 5;
// An import of this size shows the steady rate. Into the same 100,000-service directory on a quiet
// machine, 2,000 services went at about 410 a second and 10,000 at about 725: the first batches
// carry the cost of planning the statements and reading the indexes' pages in.
const IMPORT_SERVICES = 10_000;
const METRES_PER_MILE = 1609.344;

// ---- what the report holds ---------------------------------------------------------------------

type Figure = { what: string; value: string; how: string; target?: { text: string; pass: boolean } };
type Section = { title: string; intro: string; figures: Figure[]; notRun: { what: string; why: string }[] };
const sections: Section[] = [];
const startedAt = new Date();
const loadAtStart = os.loadavg();

function section(title: string, intro: string): Section {
  const s: Section = { title, intro, figures: [], notRun: [] };
  sections.push(s);
  return s;
}

/** Runs one measurement; if it throws, the report says so instead of stopping the bench. */
async function measure(s: Section, what: string, fn: () => Promise<void>): Promise<boolean> {
  const t = performance.now();
  try {
    await fn();
    log(`  done: ${what} (${((performance.now() - t) / 1000).toFixed(1)} s)`);
    return true;
  } catch (error) {
    const why = error instanceof NotAvailable ? error.message : `failed: ${(error as Error).message?.split('\n')[0] ?? String(error)}`;
    s.notRun.push({ what, why });
    log(`  NOT RUN: ${what}: ${why}`);
    return false;
  }
}

class NotAvailable extends Error {}

const log = (text: string) => console.log(`[bench ${((performance.now() / 1000) | 0).toString().padStart(4)} s] ${text}`);
const ms = (n: number) => (n >= 100 ? `${Math.round(n)} ms` : `${n.toFixed(1)} ms`);
const seconds = (n: number) => `${(n / 1000).toFixed(1)} s`;
const whole = (n: number) => Math.round(n).toLocaleString('en-GB');


/** Modules other engineers build: imported when present, so that the bench runs without them. */
async function optional<T>(relative: string, what: string): Promise<T> {
  const file = path.join(root, relative);
  if (!fs.existsSync(file)) throw new NotAvailable(`not built yet (${relative} does not exist)`);
  try {
    return (await import(file)) as T;
  } catch (error) {
    throw new NotAvailable(`${what} could not be loaded: ${(error as Error).message.split('\n')[0]}`);
  }
}

// ---- the machine ---------------------------------------------------------------------------------

function machine() {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    const info = fs.readFileSync('/proc/cpuinfo', 'utf8');
    cpu = /^model name\s*:\s*(.+)$/m.exec(info)?.[1]?.trim() ?? cpu;
  } catch {
    // Not Linux: the os module's name will do.
  }
  let commit = 'unknown';
  try {
    commit = execSync('git rev-parse --short HEAD', { cwd: root }).toString().trim();
  } catch {
    // Not a git checkout.
  }
  return { cpu, cores: os.cpus().length, memoryGiB: os.totalmem() / 1024 ** 3, node: process.version, platform: `${os.type()} ${os.release()}`, commit };
}

async function load(url: string, headers: Record<string, string> = {}) {
  const result = await autocannon({ url, connections: 10, duration: 10, headers });
  const bad = result.non2xx + result.errors + result.timeouts;
  return { result, note: bad ? `; ${whole(bad)} of ${whole(result.requests.total)} answers were not 2xx or failed` : '' };
}

async function platform(): Promise<void> {
  const s = section(
    'Platform: the server as `npm start` runs it',
    'Each start spawns `node --import tsx src/main.ts` on a new data folder (embedded PGlite) and a free port, and times until `GET /readyz` answers 200. ' +
      'Requests per second: autocannon, 10 connections for 10 seconds, against the running server.',
  );
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-bench-start-'));
  let server: RunningServer | null = null;
  try {
    const port = await freePort();
    const ok = await measure(s, 'First start with the demo data', async () => {
      server = await startServer(dataDir, port);
      s.figures.push({
        what: 'First start, with the demo data',
        value: seconds(server.readyMs),
        how: 'empty data folder: create the database, apply migrations, generate and save the Wyndale demo directory and demo users, then serve',
        target: { text: 'under 30 s', pass: server.readyMs < 30_000 },
      });
    });
    if (!ok || !server) return;
    const running = server as RunningServer;
    await measure(s, 'Memory after start', async () => {
      s.figures.push({ what: 'Memory (resident set) after the first start', value: `${whole(rssMiB(running.child.pid!))} MiB`, how: 'VmRSS of the server process from /proc, right after it answered /readyz' });
    });

    await measure(s, 'Requests per second on a signed-in page', async () => {
      const cookie = await signIn(running.base, 'editor@demo.common-ground.invalid', DEMO_PASSWORD);
      const page = '/directory/listings';
      const check = await fetch(`${running.base}${page}`, { headers: { cookie }, redirect: 'manual' });
      if (check.status !== 200) throw new NotAvailable(`GET ${page} answered ${check.status} for a signed-in editor`);
      const { result, note } = await load(`${running.base}${page}`, { cookie });
      s.figures.push({
        what: `Signed-in page: GET ${page}`,
        value: `${whole(result.requests.average)} requests/s`,
        how: `signed in as the demo organisation editor (session cookie); latency median ${ms(result.latency.p50)}, 97.5th percentile ${ms(result.latency.p97_5)}${note}`,
      });
    });

    await measure(s, 'Requests per second on the API', async () => {
      const url = '/api/v1/services?text=walking';
      const check = await fetch(`${running.base}${url}`);
      if (check.status === 404) throw new NotAvailable(`GET ${url} is not there yet (404)`);
      if (check.status !== 200) throw new Error(`GET ${url} answered ${check.status}`);
      const { result, note } = await load(`${running.base}${url}`);
      s.figures.push({
        what: `API: GET ${url}`,
        value: `${whole(result.requests.average)} requests/s`,
        how: `anonymous, over the 4,000-service demo directory; latency median ${ms(result.latency.p50)}, 97.5th percentile ${ms(result.latency.p97_5)}${note}`,
      });
    });

    await stopServer(running);
    server = null;
    await measure(s, 'Warm start', async () => {
      server = await startServer(dataDir, await freePort());
      s.figures.push({ what: 'Warm start', value: seconds(server.readyMs), how: 'the same data folder again: open the database, check migrations, serve' });
      s.figures.push({ what: 'Memory (resident set) after a warm start', value: `${whole(rssMiB(server.child.pid!))} MiB`, how: 'VmRSS of the server process from /proc' });
    });
  } finally {
    if (server) await stopServer(server);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

// ---- the directory at 100,000 services ------------------------------------------------------------

type SearchCase = { text: string; need: string; postcode: string; latitude: number; longitude: number };

function searchCases(directory: DemoDirectory): SearchCase[] {
  const pairs: [string, string][] = [
    ['walking', 'physical-activity'],
    ['lunch', 'food'],
    ['memory', 'dementia'],
    ['advice', 'money-and-debt'],
    ['choir', 'arts-and-creativity'],
    ['carers', 'carers'],
    ['garden', 'nature-and-green-spaces'],
    ['befriending', 'loneliness'],
  ];
  const random = new Random(7);
  const places = directory.postcodes;
  return Array.from({ length: 80 }, (_, i) => {
    const [text, need] = pairs[i % pairs.length];
    const place = random.pick(places);
    return { text, need, postcode: place.postcode, latitude: place.latitude, longitude: place.longitude };
  });
}

/** The naive way: ILIKE over name and description, and the haversine formula for every location row; no index may be used. */
async function naiveSearch(db: Database, c: SearchCase): Promise<unknown[]> {
  const needId = needs.find((n) => n.code === c.need)!.id;
  return db.transaction(async (tx) => {
    await tx.query('set local enable_indexscan = off');
    await tx.query('set local enable_bitmapscan = off');
    await tx.query('set local enable_indexonlyscan = off');
    await tx.query(`set local statement_timeout = '120s'`);
    return tx.query(
      `with distances as (
         select l.id, 2 * 6371008.8 * asin(sqrt(power(sin(radians(l.latitude - $3) / 2), 2)
                + cos(radians($3)) * cos(radians(l.latitude)) * power(sin(radians(l.longitude - $4) / 2), 2))) as metres
           from locations l where l.latitude is not null and l.longitude is not null
       )
       select s.id, s.name, o.name as organisation_name, min(d.metres) as metres, count(*) over ()::int as total
         from services s
         join organisations o on o.id = s.organisation_id
         join service_at_locations sal on sal.service_id = s.id
         join distances d on d.id = sal.location_id
        where (s.name ilike '%' || $1 || '%' or s.description ilike '%' || $1 || '%')
          and s.status in ('active', 'temporarily closed')
          and exists (select 1 from attributes a where a.link_type = 'service' and a.link_id = s.id and a.taxonomy_term_id = $2)
          and d.metres <= $5
        group by s.id, s.name, o.name
        order by metres, lower(s.name)
        limit 20`,
      [c.text, needId, c.latitude, c.longitude, MILES * METRES_PER_MILE],
    );
  });
}

/** A search of one case through searchDirectory, as the API makes it; gives the number of matches. */
async function searcher(db: Database): Promise<(c: SearchCase) => Promise<number>> {
  const search = await optional<typeof import('../src/modules/directory/search/search.service.ts')>('src/modules/directory/search/search.service.ts', 'the search service');
  const schemas = await optional<typeof import('../src/modules/directory/search/search.schemas.ts')>('src/modules/directory/search/search.schemas.ts', 'the search schemas');
  return async (c) => {
    return (await search.searchDirectory(db, schemas.SearchQuerySchema.parse({ text: c.text, need: c.need, postcode: c.postcode, miles: String(MILES) }))).total;
  };
}

async function directory(): Promise<void> {
  const s = section(
    `Directory at ${whole(SERVICES)} services on the embedded database`,
    `A directory of ${whole(SERVICES)} services is generated with the demo generator (a size parameter; the same kinds of groups, times and needs as the demo, spread over a larger area) ` +
      'and saved into a fresh PGlite database in a temporary folder. Timings are taken in this process (no network): search through `searchDirectory` and through ' +
      '`GET /api/v1/services` with Fastify’s `inject`, ORUK pages the same way. Each figure is over many different queries after five warm-up calls; ' +
      `searches combine text, a need and a postcode within ${MILES} miles, first page of 20.`,
  );
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-bench-directory-'));
  let db: Database | null = null;
  try {
    let generated: DemoDirectory | null = null;
    await measure(s, 'Generate and save the directory', async () => {
      let t = performance.now();
      generated = generateDemoDirectory({ services: SERVICES });
      const generateMs = performance.now() - t;
      db = await openPglite(dataDir);
      await migrate(db);
      t = performance.now();
      const saved = await saveDemoDirectory(db, generated, { flagDuplicates: false, analyze: false });
      const counts = (await db.query<{ services: number; organisations: number; locations: number; postcodes: number }>(
        `select (select count(*)::int from services) as services, (select count(*)::int from organisations) as organisations,
                (select count(*)::int from locations) as locations, (select count(*)::int from postcodes) as postcodes`,
      ))[0];
      s.figures.push({
        what: 'Directory made',
        value: `${whole(counts.services)} services`,
        how: `${whole(counts.organisations)} organisations, ${whole(counts.locations)} locations, ${whole(counts.postcodes)} postcodes; generated in ${seconds(generateMs)}, saved in ${seconds(performance.now() - t)}`,
      });
      s.figures.push({
        what: 'Bulk save rate (saveServiceRecords)',
        value: `${whole(counts.services / (saved.servicesMs / 1000))} services/s`,
        how: `batches of 500 whole services (locations, times, contacts, needs …, and the search’s copies of needs and places written with each row), one transaction each, as the demo loader saves them; organisations took ${seconds(saved.organisationsMs)}`,
        target: { text: '≥ 500 services/s', pass: counts.services / (saved.servicesMs / 1000) >= 500 },
      });
    });
    if (!db || !generated) return;
    const database = db as Database;
    const cases = searchCases(generated);

    const app = await createServer(loadConfig({ LOG_LEVEL: 'silent', DEMO_DATA: 'false' }), database, createMailer(undefined, 'bench@common-ground.invalid'));
    await app.ready();
    try {
      let ours: { median: number; p95: number } | null = null;
      await measure(s, 'Search before ANALYZE', async () => {
        const t = await timings(cases.slice(40, 52), await searcher(database), 2);
        s.figures.push({
          what: 'Search straight after the bulk load, before ANALYZE',
          value: `median ${ms(t.median)}, p95 ${ms(t.p95)}`,
          how: `${t.n} searches as below, before the planner has statistics (PGlite runs no autovacuum); the demo loader runs ANALYZE after saving, and so does an import that changes more than a tenth of the directory`,
        });
      });
      await measure(s, 'ANALYZE', async () => {
        const t = performance.now();
        await database.query('analyze');
        s.figures.push({ what: 'ANALYZE after the load', value: seconds(performance.now() - t), how: 'planner statistics for every table; all figures below are after it' });
      });
      await measure(s, 'Search (searchDirectory)', async () => {
        const search = await searcher(database);
        let found = 0;
        const t = await timings(cases, async (c) => {
          found += await search(c);
        });
        ours = t;
        s.figures.push({
          what: 'Search, the function (searchDirectory)',
          value: `median ${ms(t.median)}, p95 ${ms(t.p95)}`,
          how: `${t.n} searches, text + need + postcode within ${MILES} miles, first page; ${whole(found / (t.n + 5))} matches on average`,
        });
      });

      await measure(s, 'Search (GET /api/v1/services)', async () => {
        const first = cases[0];
        const url = (c: SearchCase) => `/api/v1/services?${new URLSearchParams({ text: c.text, need: c.need, postcode: c.postcode, miles: String(MILES) })}`;
        const probe = await app.inject({ url: url(first) });
        if (probe.statusCode === 404) throw new NotAvailable('GET /api/v1/services is not there yet (404)');
        if (probe.statusCode !== 200) throw new Error(`GET /api/v1/services answered ${probe.statusCode}: ${probe.body.slice(0, 200)}`);
        const t = await timings(cases, async (c) => {
          const r = await app.inject({ url: url(c) });
          if (r.statusCode !== 200) throw new Error(`answered ${r.statusCode}`);
        });
        s.figures.push({
          what: 'Search, the API (GET /api/v1/services?text=…&need=…&postcode=…&miles=5)',
          value: `median ${ms(t.median)}, p95 ${ms(t.p95)}`,
          how: `${t.n} requests through the whole HTTP stack (routing, validation, JSON), in process`,
          target: { text: 'p95 ≤ 50 ms', pass: t.p95 <= 50 },
        });
        ours ??= t;
      });

      await measure(s, 'Naive baseline search', async () => {
        let found = 0;
        const t = await timings(cases.slice(0, 12), async (c) => {
          const rows = (await naiveSearch(database, c)) as { total: number }[];
          found += rows[0]?.total ?? 0;
        }, 1);
        s.figures.push({
          what: 'Naive baseline: ILIKE on name and description + haversine over every location, no indexes',
          value: `median ${ms(t.median)}, p95 ${ms(t.p95)}`,
          how: `${t.n} of the same searches as one SQL statement with index scans switched off; ${whole(found / (t.n + 1))} matches on average (substring matching, not words)`,
        });
        if (ours) {
          const o = ours as { median: number; p95: number };
          s.figures.push({
            what: 'Our search compared with the naive baseline',
            value: `${(t.median / o.median).toFixed(1)}× faster (median), ${(t.p95 / o.p95).toFixed(1)}× (p95)`,
            how: 'naive time divided by our time, same searches; ours also ranks by relevance, forgives typos and gives the next opening time',
          });
        }
      });

      await measure(s, 'ORUK list of services', async () => {
        const probe = await app.inject({ url: '/oruk/services' });
        if (probe.statusCode === 404) throw new NotAvailable('GET /oruk/services is not there yet (404)');
        if (probe.statusCode !== 200) throw new Error(`GET /oruk/services answered ${probe.statusCode}`);
        const random = new Random(11);
        const pages = Array.from({ length: 40 }, () => random.int(1, Math.max(1, Math.floor(SERVICES / 50 / 10))));
        const t = await timings(pages, async (page) => {
          const r = await app.inject({ url: `/oruk/services?page=${page}` });
          if (r.statusCode !== 200) throw new Error(`answered ${r.statusCode}`);
        });
        s.figures.push({
          what: 'ORUK: GET /oruk/services?page=N',
          value: `median ${ms(t.median)}, p95 ${ms(t.p95)}`,
          how: `${t.n} pages of 50 (the default), pages 1 to ${Math.max(...pages)}: summaries with their organisations, in name order, with the total count`,
        });
      });

      await measure(s, 'ORUK one service', async () => {
        const ids = (await database.query<{ id: string }>('select id from services order by id')).map((r) => r.id);
        const random = new Random(13);
        const sample = Array.from({ length: 200 }, () => random.pick(ids));
        const probe = await app.inject({ url: `/oruk/services/${sample[0]}` });
        if (probe.statusCode === 404 && (await app.inject({ url: '/oruk/services' })).statusCode === 404) throw new NotAvailable('GET /oruk/services/{id} is not there yet (404)');
        if (probe.statusCode !== 200) throw new Error(`GET /oruk/services/{id} answered ${probe.statusCode}: ${probe.body.slice(0, 200)}`);
        const t = await timings(sample, async (id) => {
          const r = await app.inject({ url: `/oruk/services/${id}` });
          if (r.statusCode !== 200) throw new Error(`answered ${r.statusCode}`);
        });
        s.figures.push({
          what: 'ORUK: GET /oruk/services/{id}',
          value: `median ${ms(t.median)}, p95 ${ms(t.p95)}`,
          how: `${t.n} random services, the full ORUK 3.0 service with organisation, places, times, contacts and needs`,
          target: { text: 'p95 ≤ 20 ms', pass: t.p95 <= 20 },
        });
      });

      await measure(s, 'Import rate (importFromFile)', async () => {
        const transfer = await optional<typeof import('../src/modules/directory/transfer/transfer.service.ts')>('src/modules/directory/transfer/transfer.service.ts', 'the import service');
        const exporter = await optional<typeof import('../src/modules/directory/transfer/export.service.ts')>('src/modules/directory/transfer/export.service.ts', 'the export service');
        if (typeof transfer.importFromFile !== 'function') throw new NotAvailable('importFromFile is not exported yet');
        // A different Wyndale (another seed, so new ids) exported as ORUK NDJSON, then imported into the big directory.
        const source = await openPglite(undefined);
        const file = path.join(dataDir, 'import.ndjson');
        try {
          await migrate(source);
          await saveDemoDirectory(source, generateDemoDirectory({ services: IMPORT_SERVICES, seed: DEMO_SEED + 1 }), { flagDuplicates: false });
          const out = fs.createWriteStream(file);
          for await (const chunk of exporter.exportDirectory(source, 'ndjson')) out.write(chunk);
          await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
        } finally {
          await source.close();
        }
        const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
        const t = performance.now();
        const report = await transfer.importFromFile(database, file, { format: 'ndjson' });
        const elapsed = performance.now() - t;
        const rate = (report.created + report.updated) / (elapsed / 1000);
        const reasons = new Map<string, number>();
        for (const r of report.rejected) for (const reason of r.reasons) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        const why = [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 2).map(([reason, n]) => `${whole(n)}× “${reason.slice(0, 140)}”`).join('; ');
        s.figures.push({
          what: 'Import rate (importFromFile, ORUK NDJSON)',
          value: `${whole(rate)} services/s`,
          how: `${whole(lines)} services with their organisations imported into the ${whole(SERVICES)}-service directory in ${seconds(elapsed)}: ${whole(report.created)} created, ${whole(report.updated)} updated, ${whole(report.rejected.length)} rejected${why ? ` (${why})` : ''}; includes checks, duplicate detection, audit and the import run record`,
          target: { text: '≥ 500 services/s', pass: rate >= 500 },
        });
      });
    } finally {
      await app.close();
    }
  } finally {
    if (db) await (db as Database).close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

// ---- the report -----------------------------------------------------------------------------------

function report(totalMs: number): string {
  const m = machine();
  const lines = [
    '# Benchmarks',
    '',
    `Measured by \`npm run bench\` (bench/run.ts) on ${startedAt.toISOString().replace('T', ' ').slice(0, 16)} UTC, commit ${m.commit}; the whole run took ${seconds(totalMs)}.`,
    'Run it again after a change that could affect speed, and commit this file with the figures.',
    '',
    '## Machine',
    '',
    '| | |',
    '| --- | --- |',
    `| CPU | ${m.cpu} |`,
    `| Cores | ${m.cores} |`,
    `| Memory | ${m.memoryGiB.toFixed(1)} GiB |`,
    `| Node.js | ${m.node} |`,
    `| System | ${m.platform} |`,
    `| Load average when the run started (1, 5, 15 min) | ${loadAtStart.map((l) => l.toFixed(2)).join(', ')} |`,
    '',
    loadAtStart[0] > m.cores * 0.5
      ? `The machine was busy with other work when this ran (load ${loadAtStart[0].toFixed(1)} on ${m.cores} cores), so these figures are slower than the same code on an idle machine.`
      : 'The machine was otherwise quiet when this ran.',
    '',
    '## Targets',
    '',
    '| Target | Measured | Met? |',
    '| --- | --- | --- |',
  ];
  for (const s of sections) for (const f of s.figures) if (f.target) lines.push(`| ${f.what}: ${f.target.text} | ${f.value} | ${f.target.pass ? 'yes' : '**no**'} |`);
  const missingTargets = sections.flatMap((s) => s.notRun).filter((n) => /search|ORUK one|Import|First start/.test(n.what));
  for (const n of missingTargets) lines.push(`| ${n.what} | not measured | not run: ${n.why} |`);
  for (const s of sections) {
    lines.push('', `## ${s.title}`, '', s.intro, '', '| What | Figure | How it was measured |', '| --- | --- | --- |');
    for (const f of s.figures) lines.push(`| ${f.what} | ${f.value} | ${f.how.replace(/\|/g, '\\|')} |`);
    if (s.notRun.length) {
      lines.push('', 'Could not run:', '');
      for (const n of s.notRun) lines.push(`- **${n.what}**: ${n.why}`);
    }
  }
  lines.push(
    '',
    '## Notes',
    '',
    '- PGlite is PostgreSQL compiled to WebAssembly, serving one connection: requests queue for the database. Under real load, use a PostgreSQL server (`DATABASE_URL`).',
    '- The naive baseline is what a first version might do: substring matching with `ILIKE` and the distance formula evaluated for every location row, with index scans switched off. It finds a different set (substrings, not words), so compare times, not counts.',
    '- Latency figures are medians and 95th percentiles (p95) of individual calls; requests per second are autocannon averages over 10 seconds with 10 connections.',
    '',
  );
  return lines.join('\n');
}

/** Sections the modules' own benchmarks write in Markdown (bench/<module>.bench.ts). */
const moduleSections: string[] = [];

async function moduleBench(title: string, file: string, name: string): Promise<void> {
  try {
    const bench = await optional<Record<string, () => Promise<string>>>(file, title);
    moduleSections.push(await bench[name]());
  } catch (error) {
    moduleSections.push(`## ${title}\n\nCould not run: ${error instanceof Error ? error.message : String(error)}\n`);
  }
}

function writeReport(totalMs: number) {
  fs.mkdirSync(path.dirname(reportFile), { recursive: true });
  fs.writeFileSync(reportFile, [report(totalMs), ...moduleSections].join('\n'));
  log(`Wrote ${path.relative(root, reportFile)}`);
}

async function main() {
  const t = performance.now();
  const parts = (process.env.BENCH_PARTS ?? 'load,platform,directory,social-prescribing,innovation,information-sharing,grants,insight').split(',');
  // A measurement stuck on a promise that never settles would end the process silently: report what was measured.
  process.once('beforeExit', () => {
    sections.at(-1)?.notRun.push({ what: 'the rest of this part', why: 'a measurement never finished (a promise that never settled), so the run stopped here' });
    writeReport(performance.now() - t);
    process.exit(1);
  });
  log(`Common Ground benchmarks: ${parts.join(' and ')}${parts.includes('directory') ? ` (a ${whole(SERVICES)}-service directory)` : ''}`);
  if (parts.includes('load')) {
    log('Under load, on each engine');
    try {
      moduleSections.push(await benchUnderLoad());
    } catch (error) {
      moduleSections.push(`## Under load\n\nCould not run: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
  if (parts.includes('platform')) {
    log('Platform');
    await platform().catch((error) => section('Platform', '').notRun.push({ what: 'the whole part', why: String(error) }));
  }
  if (parts.includes('directory')) {
    log('Directory');
    await directory().catch((error) => section('Directory', '').notRun.push({ what: 'the whole part', why: String(error) }));
  }
  if (parts.includes('social-prescribing')) {
    log('Social prescribing');
    await moduleBench('Social prescribing', 'bench/social-prescribing.bench.ts', 'benchSocialPrescribing');
  }
  if (parts.includes('innovation')) {
    log('Innovation programmes');
    await moduleBench('Innovation programmes', 'bench/innovation.bench.ts', 'benchInnovation');
  }
  if (parts.includes('information-sharing')) {
    log('Information sharing');
    await moduleBench('Information sharing', 'bench/information-sharing.bench.ts', 'benchInformationSharing');
  }
  if (parts.includes('grants')) {
    log('Grants');
    await moduleBench('Grants', 'bench/grants.bench.ts', 'benchGrants');
  }
  if (parts.includes('insight')) {
    log('Whole-system insight');
    await moduleBench('Whole-system insight', 'bench/insight.bench.ts', 'benchInsight');
  }
  writeReport(performance.now() - t);
  const failed = sections.flatMap((s) => s.figures).filter((f) => f.target && !f.target.pass);
  for (const f of failed) log(`target missed: ${f.what} (${f.target!.text}): ${f.value}`);
  process.exit(0);
}

await main();
