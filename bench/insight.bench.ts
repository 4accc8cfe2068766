/*
 * Whole-system insight at scale (issue 14, "Measure"): a synthetic Wyndale of BENCH_INSIGHT_PEOPLE
 * people (default 1,000,000) and BENCH_INSIGHT_EVENTS events (default 10,000,000), generated with
 * the demo generator into a temporary folder, loaded extract by extract through loadExtract (checks,
 * pseudonymisation, all-or-nothing) into an embedded DuckDB store, the person-year summary rebuilt
 * once; then every analysis through viewAnalysis with varied filters, tests of change for
 * 5,000-person cohorts, peak memory, and the headline concentration figure computed on the
 * application database (PGlite) over the same person-year totals as the baseline, in a child
 * process (bench/insight-baseline.ts) so that its memory is measured apart from the insight work's.
 * The store gets INSIGHT_MEMORY_LIMIT (default 1GB) and INSIGHT_THREADS (default 2), as the app does.
 * bench/run.ts calls benchInsight() and adds the Markdown section it returns to the report; it can
 * also run alone: `node --import tsx bench/insight.bench.ts`.
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Actor } from '../src/platform/actor.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { openPglite } from '../src/platform/db/pglite-database.ts';
import { analysisSlugs, viewAnalysis } from '../src/modules/insight/analysis/analysis.service.ts';
import type { AnalysisQuery } from '../src/modules/insight/analysis/analysis.schemas.ts';
import { testOfChange } from '../src/modules/insight/changes/changes.repository.ts';
import { createUserWithMembership } from '../src/modules/identity/index.ts';
import { seedAgreement } from '../src/modules/information-sharing/demo/demo-sharing.ts';
import { generateDemoFiles } from '../src/modules/insight/demo/insight-demo.repository.ts';
import { loadExtract, summarise, type Loader, type LoadRecord } from '../src/modules/insight/loads/loads.service.ts';
import { keyFromFile } from '../src/modules/insight/pseudonyms/pseudonym-key.ts';
import { ageBands, isSettingCode, settingCodes } from '../src/modules/insight/settings.ts';
import { InsightStore } from '../src/modules/insight/store/insight-store.ts';
import { createTables } from '../src/modules/insight/store/schema.repository.ts';
import { forHalf, peakMiB, resetPeak } from './insight-measures.ts';
import { timings } from './timing.ts';

const PEOPLE = Number(process.env.BENCH_INSIGHT_PEOPLE ?? 1_000_000);
const EVENTS = Number(process.env.BENCH_INSIGHT_EVENTS ?? 10_000_000);
/** The baseline's scale: PGlite gets the same person-year rows (one financial year, everyone). */
const RUNS_PER_PAGE = 20;
const COHORT = 5_000;
const SMALL_NUMBER = 10;

const whole = (n: number) => Math.round(n).toLocaleString('en-GB');
const ms = (n: number) => (n >= 100 ? `${whole(n)} ms` : `${n.toFixed(1)} ms`);
const seconds = (n: number) => `${(n / 1000).toFixed(1)} s`;
const log = (text: string) => console.log(`[insight bench ${((performance.now() / 1000) | 0).toString().padStart(4)} s] ${text}`);

/** Wall time and this process's CPU time (user + system, all threads: Node and DuckDB's workers). */
async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; cpuMs: number; value: T }> {
  const t = performance.now();
  const cpu = process.cpuUsage();
  const value = await fn();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - t, cpuMs: (used.user + used.system) / 1000, value };
}

/** The baseline in a child process of its own: its answer, timings and peak memory. */
function baselineInChild(csv: string): Promise<{ share: number; median: number; n: number; copyMs: number; peakMiB: number }> {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'insight-baseline.ts');
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', script, csv], { maxBuffer: 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`the PGlite baseline failed: ${stderr.split('\n')[0] || error.message}`));
      resolve(JSON.parse(stdout.trim().split('\n').at(-1)!));
    });
  });
}

/** A deterministic spread of filters: the whole population, and narrower views by year, place, age, sex, deprivation, setting and measure. */
function filterCases(years: number[], localities: string[], slug: string): AnalysisQuery[] {
  const measures = ['both', 'health', 'social'] as const;
  const cases: AnalysisQuery[] = [];
  for (let i = 0; i < RUNS_PER_PAGE; i++) {
    const q: AnalysisQuery = { measure: measures[i % 3], year: years[i % years.length] };
    if (i % 4 === 1) q.locality = localities[i % localities.length];
    if (i % 5 === 2) q.ageBand = ageBands[i % ageBands.length];
    if (i % 6 === 3) q.sex = i % 2 ? 'female' : 'male';
    if (i % 7 === 4) q.quintile = 1 + (i % 5);
    // The cost page and the concentration page also take one setting at a time.
    if (i % 8 === 5 && slug !== 'health-and-social-care') q.setting = settingCodes[i % settingCodes.length];
    cases.push(q);
  }
  return cases;
}

type Row = { what: string; value: string; how: string; target?: { text: string; pass: boolean } };

export async function benchInsight(): Promise<string> {
  const rows: Row[] = [];
  const notes: string[] = [];
  const loadAtStart = os.loadavg();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-bench-insight-'));
  const storeFile = path.join(dir, 'insight.duckdb');
  const db = await openPglite(undefined);
  let store: InsightStore | null = null;
  try {
    await migrate(db);
    // Loads are allowed only under an agreement: a partner and the partnership, and an active agreement between them.
    const organisation = async (name: string, kind: string) => {
      const id = crypto.randomUUID();
      await db.query('insert into organisations (id, name, kind, description) values ($1, $2, $3, $4)', [id, name, kind, 'Benchmark organisation']);
      const signatoryUserId = await createUserWithMembership(db, { name: `${name} signatory`, email: `${kind}-signatory@bench.invalid`, password: crypto.randomBytes(24).toString('base64url'), organisationId: id, role: 'organisation_editor' });
      return { organisationId: id, signatoryUserId };
    };
    const partner = await organisation('Bench partner', 'council');
    const partnership = await organisation('Bench partnership', 'partnership');
    await seedAgreement(db, { title: 'Bench insight loads', parties: [partner, partnership], flows: [{ flowType: 'insight_load', from: partner.organisationId, to: partnership.organisationId, dataItems: ['insight.service_use', 'insight.area'], identifiability: 'pseudonymised' }] });
    fs.writeFileSync(path.join(dir, 'key'), `${'5c'.repeat(32)}\n`, { mode: 0o600 });
    const loader: Loader = { actor: null, name: 'benchmark', ip: null, key: () => keyFromFile(path.join(dir, 'key')), areaDeprivation: async () => new Map() };
    const memoryLimit = process.env.INSIGHT_MEMORY_LIMIT ?? '1GB';
    const threads = Number(process.env.INSIGHT_THREADS ?? 2);
    store = await InsightStore.open(storeFile, { memoryLimit, threads });
    await createTables(store);
    const s = store;

    // ---- generation (the demo generator writes the partners' CSV files) ----
    log(`generating ${whole(PEOPLE)} people and ${whole(EVENTS)} events`);
    const extracts = path.join(dir, 'extracts');
    fs.mkdirSync(extracts);
    const generated = await timed(() => generateDemoFiles(s, { people: PEOPLE, events: EVENTS, seed: 2026, from: '2023-04-01', to: '2026-03-31' }, extracts, []));
    const files = generated.value;
    const megabytes = Object.values(files).reduce((sum, f) => sum + fs.statSync(f).size, 0) / 1024 ** 2;
    rows.push({ what: 'Generating the synthetic extracts (generateDemoFiles)', value: seconds(generated.ms), how: `${whole(PEOPLE)} people, ${whole(EVENTS)} events over three financial years (April 2023 to March 2026), ${Object.keys(files).length} CSV files, ${whole(megabytes)} MB; not part of the load rate` });
    log(`generated in ${seconds(generated.ms)}`);
    // Generating is the bench's own work, not the insight module's: the peak starts again here.
    const generationPeak = peakMiB();
    const peakReset = resetPeak();

    // ---- loads ----
    const loads: { kind: string; record: LoadRecord; ms: number; cpuMs: number }[] = [];
    for (const [kind, file] of Object.entries(files)) {
      const t = await timed(() => loadExtract(s, db, loader, { path: file, fileName: path.basename(file), format: 'csv', kind, partnerOrganisationId: partner.organisationId, summarise: false }));
      if (t.value.status !== 'loaded') throw new Error(`the ${kind} extract was refused: ${t.value.problems.map((p) => p.problem).join('; ')}`);
      loads.push({ kind, record: t.value, ms: t.ms, cpuMs: t.cpuMs });
      log(`  loaded ${kind}: ${whole(t.value.rowsLoaded)} rows in ${seconds(t.ms)} (CPU ${seconds(t.cpuMs)})`);
    }
    const activity = loads.filter((l) => isSettingCode(l.kind));
    const events = activity.reduce((sum, l) => sum + l.record.rowsLoaded, 0);
    const activityMs = activity.reduce((sum, l) => sum + l.ms, 0);
    const activityCpuMs = activity.reduce((sum, l) => sum + l.cpuMs, 0);
    const register = loads.find((l) => l.kind === 'people');
    if (register && register.record.rowsLoaded !== PEOPLE) notes.push(`The register held ${whole(register.record.rowsLoaded)} people, not the ${whole(PEOPLE)} asked for.`);
    const rebuilt = await timed(() => summarise(s));
    log(`summary rebuilt in ${seconds(rebuilt.ms)} (CPU ${seconds(rebuilt.cpuMs)})`);
    const loadRate = events / (activityMs / 1000);
    const withSummary = events / ((activityMs + rebuilt.ms) / 1000);
    rows.push({
      what: 'Loading activity extracts (loadExtract)',
      value: `${whole(loadRate)} events/s`,
      how: `${whole(events)} events in ${activity.length} extracts (one per setting) in ${seconds(activityMs)}: read the CSV, check every row, replace NHS numbers by keyed pseudonyms (HMAC-SHA-256), leave out opted-out people, insert, one transaction each; summary rebuilt once afterwards (below). CPU time used: ${seconds(activityCpuMs)} (${whole(events / (activityCpuMs / 1000))} events per CPU-second; on ${os.cpus().length} idle cores the wall-clock rate could approach ${whole((events / (activityCpuMs / 1000)) * os.cpus().length)} events/s)`,
      target: { text: '≥ 250,000 events/s', pass: loadRate >= 250_000 },
    });
    if (register) rows.push({ what: 'Loading the person register', value: `${whole(register.record.rowsLoaded / (register.ms / 1000))} people/s`, how: `${whole(register.record.rowsLoaded)} people in ${seconds(register.ms)}, same checks and pseudonymisation` });
    rows.push({ what: 'Rebuilding the person-year summary (rebuildSummary)', value: seconds(rebuilt.ms), how: `once after all the loads: price, split stays across financial years, sum per person, year and setting and per person and month; events/s including it: ${whole(withSummary)}` });

    // ---- pages ----
    const actor: Actor = { userId: '00000000-0000-4000-8000-00000000be0c', name: 'Bench Analyst', email: 'bench-analyst@bench.invalid', memberships: [{ organisationId: '00000000-0000-4000-8000-0000000000a1', organisationName: 'Bench partnership', role: 'analyst' }], via: 'session' } as Actor;
    const years = (await s.query<{ fy: number }>('select distinct fy from person_years order by fy')).map((r) => Number(r.fy));
    const localities = (await s.query<{ locality: string }>('select distinct locality from person_years order by locality')).map((r) => r.locality);
    for (const slug of analysisSlugs) {
      const cases = [{ measure: 'both' } as AnalysisQuery, ...filterCases(years, localities, slug)]; // the first is the warm-up
      const t = await timings(cases, (q) => viewAnalysis(s, db, actor, slug, q, '127.0.0.1', SMALL_NUMBER, 'page'), 1);
      rows.push({
        what: `Analysis: ${slug} (viewAnalysis)`,
        value: `median ${ms(t.median)}, p95 ${ms(t.p95)}`,
        how: `${t.n} views with different filters (each of ${years.length} years, localities, age bands, sex, deprivation quintile, one setting, health / social care / both), after one warm-up, figures suppressed and the view audited; slowest ${ms(t.max)}`,
        target: { text: 'p95 ≤ 1 s', pass: t.p95 <= 1000 },
      });
      log(`  ${slug}: median ${ms(t.median)}, p95 ${ms(t.p95)}`);
    }

    // ---- tests of change ----
    // 5,000 people from the register with start dates in the middle year, so 12 months before and after are there.
    const cohorts = [];
    for (let i = 0; i < 4; i++) {
      cohorts.push(await s.query<{ pseudonym: string; startDate: string }>(
        `select pseudonym, strftime(date '2024-04-01' + cast(floor(random() * 365) as integer), '%Y-%m-%d') as "startDate"
         from people using sample reservoir(${COHORT} rows) repeatable (${100 + i})`));
    }
    let lastMatched = 0;
    const change = await timings(cohorts, async (cohort) => {
      lastMatched = (await testOfChange(s, cohort, 12)).matched;
    }, 1);
    log(`  test of change: median ${seconds(change.median)}, ${lastMatched} matched in the last`);
    rows.push({
      what: `Test of change, ${whole(COHORT)}-person cohort (testOfChange)`,
      value: `median ${ms(change.median)}, slowest ${ms(change.max)}`,
      how: `${change.n} cohorts (after one warm-up) drawn at random from the register with start dates in 2024–25; 12 months before and after, up to 5 matched comparators each (age band, sex, deprivation quintile, prior cost band); ${whole(lastMatched)} matched in the last`,
      target: { text: '≤ 3 s', pass: change.max <= 3000 },
    });

    // ---- baseline: the same concentration figure on the application database (PGlite) ----
    const fy = years.at(-1)!;
    const csv = path.join(dir, 'person-years.csv');
    await s.query(`copy (select pseudonym, total_cost from person_years where fy = ${fy}) to '${csv.replace(/'/g, "''")}' (header false)`);
    const [{ n: baselineRows }] = await s.query<{ n: number }>(`select count(*)::integer as n from person_years where fy = ${fy}`);
    let duckShare = 0;
    const d = await timings([1, 2, 3, 4, 5, 6], async () => {
      duckShare = Number((await s.query<{ share: number }>(forHalf(`(select pseudonym, total_cost from person_years where fy = ${fy})`)))[0].share);
    }, 1);
    const insightPeak = peakMiB();
    const p = await baselineInChild(csv);
    if (Math.abs(p.share - duckShare) > 1e-9) notes.push(`The two engines disagreed on the share (DuckDB ${duckShare}, PGlite ${p.share}).`);
    rows.push({ what: 'Concentration figure on DuckDB (the insight store)', value: `median ${ms(d.median)}`, how: `“${(duckShare * 100).toFixed(1)} % of people account for half the cost”, health and social care together, ${whole(baselineRows)} people in ${fy}–${String((fy + 1) % 100).padStart(2, '0')}: one SQL statement (two window sums over everyone sorted by cost), ${d.n} runs after a warm-up` });
    rows.push({ what: 'Baseline: the same figure on PGlite (the application database)', value: `median ${ms(p.median)}`, how: `the same statement over the same ${whole(baselineRows)} person-year totals, copied into a PGlite table (COPY took ${seconds(p.copyMs)}) and analysed, in a child process of its own; ${p.n} runs after a warm-up; same answer: ${(p.share * 100).toFixed(1)} %` });
    rows.push({ what: 'Speed-up of DuckDB over PGlite', value: `${(p.median / d.median).toFixed(1)}×`, how: 'PGlite median divided by DuckDB median, same statement and rows; the pages read DuckDB' });

    rows.push({
      what: 'Peak memory (resident set) of the insight work',
      value: `${whole(insightPeak)} MiB`,
      how: `VmHWM of the bench process from /proc (Node, the application database for agreements and audit, and DuckDB's native memory with memory_limit ${memoryLimit}, ${threads} threads) over the loads, the summary, every page and the tests of change${peakReset ? `; the peak was started over after generating the synthetic files, which alone reached ${whole(generationPeak)} MiB` : ' (it could not be started over after generating the synthetic files, so it includes that too)'}`,
      target: { text: '≤ 2 GB (2,048 MiB)', pass: insightPeak <= 2048 },
    });
    rows.push({ what: 'Peak memory of the PGlite baseline', value: `${whole(p.peakMiB)} MiB`, how: 'VmHWM of its own child process: Node and PGlite holding the person-year totals' });
  } catch (error) {
    notes.push(`The run stopped early: ${(error as Error).message?.split('\n')[0] ?? String(error)}`);
    log(`stopped: ${(error as Error).stack}`);
  } finally {
    store?.close();
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const lines = [
    '## Whole-system insight',
    '',
    `${whole(PEOPLE)} synthetic people and ${whole(EVENTS)} events (the demo generator), loaded into the embedded DuckDB store through the same checks as a real load, in one process; load average when this part started ${loadAtStart.map((l) => l.toFixed(2)).join(', ')} on ${os.cpus().length} cores` +
      (loadAtStart[0] > os.cpus().length * 0.5 ? ' (a busy machine: other work was running, so these figures are slower than on an idle one).' : '.'),
    '',
    '| What | Figure | How it was measured | Target | Met? |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.what} | ${r.value} | ${r.how.replace(/\|/g, '\\|')} | ${r.target?.text ?? ''} | ${r.target ? (r.target.pass ? 'yes' : '**no**') : ''} |`),
  ];
  if (notes.length) lines.push('', ...notes.map((n) => `- ${n}`));
  lines.push('');
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(await benchInsight());
}
