/*
 * Under load: the server as `npm start` runs it, on each engine (the embedded PGlite data folder,
 * and a throwaway PostgreSQL server from test/support/postgres-server.ts), measured with
 * autocannon against the running process in one run:
 *
 * - requests per second for /healthz (the floor: what the framework does with no work), the public
 *   search page, the search API and an ORUK service by id, each also as a share of /healthz from the
 *   same run, which normalises for how busy the machine is;
 * - the same search with a different text and postcode on every request (no two alike in a row);
 * - 50 signed-in users mixing reads and writes (link workers recording contacts on their cases,
 *   editors and admins reading pages), with p50/p95/max, errors, and writes lost (every write
 *   answered 201 must be there when the cases are read back afterwards);
 * - memory (resident set) after a warm start of the embedded database.
 *
 * BENCH_QUICK=1 shortens every run (3 s per autocannon figure, 15 s of mixed load) for iterating;
 * BENCH_ENGINES=pglite or =postgres runs one engine; BENCH_LOAD_SCENARIOS=rates or =mixed runs only
 * the requests-per-second figures or only the 50 signed-in users (memory is measured either way);
 * BENCH_MIXED_ROLES=linkworker,admin keeps only those users.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import autocannon, { type Result } from 'autocannon';
import { generateDemoDirectory } from '../src/modules/directory/demo/demo-directory.ts';
import { Random } from '../src/modules/directory/demo/random.ts';
import { DEMO_PASSWORD } from '../src/demo/demo-partnership.ts';
import { openPostgres } from '../src/platform/db/postgres-database.ts';
import { startPostgresCluster } from '../test/support/postgres-server.ts';
import { percentile } from './timing.ts';
import { csrfToken, freePort, rssMiB, signIn, startServer, stopServer, type RunningServer } from './server.ts';

const QUICK = process.env.BENCH_QUICK === '1';
const SECONDS = QUICK ? 3 : 10;
const MIXED_SECONDS = QUICK ? 15 : 60;
const USERS = 50;
const SCENARIOS = (process.env.BENCH_LOAD_SCENARIOS ?? 'rates,mixed').split(',');

const log = (text: string) => console.log(`[bench ${((performance.now() / 1000) | 0).toString().padStart(4)} s] ${text}`);
const whole = (n: number) => Math.round(n).toLocaleString('en-GB');
const ms = (n: number) => (n >= 100 ? `${Math.round(n)} ms` : `${n.toFixed(1)} ms`);

const SEARCH = 'text=walking&postcode=WY3+1YL&miles=5';
const WORDS = ['walking', 'lunch', 'memory', 'advice', 'choir', 'carers', 'garden', 'befriending', 'yoga', 'cafe', 'swimming', 'art'];

type Rate = { what: string; rps: number; share: number; p50: number; p97_5: number; bad: number; total: number };
type Mixed = { byShape: string; requests: number; p50: number; p95: number; max: number; errors: number; errorKinds: string; writes: number; lost: number; perSecond: number };
type EngineResult = { engine: string; rates: Rate[]; mixed?: Mixed; memory?: { firstStart: number; warmStart: number; afterLoad?: number }; failed?: string };

/** Varied queries: a different word and postcode on every request, in a fixed order. */
function variedPaths(prefix: string): () => string {
  const random = new Random(17);
  const postcodes = generateDemoDirectory({ services: 4000 }).postcodes.map((p) => p.postcode);
  const paths = Array.from({ length: 2000 }, () => `${prefix}?${new URLSearchParams({ text: random.pick(WORDS), postcode: random.pick(postcodes), miles: String(random.pick([1, 2, 5, 10])) })}`);
  let i = 0;
  return () => paths[i++ % paths.length];
}

async function rate(base: string, what: string, path: string | (() => string), floor: number | null): Promise<Rate> {
  const first = typeof path === 'string' ? path : path();
  const check = await fetch(`${base}${first}`);
  if (check.status !== 200) throw new Error(`GET ${first} answered ${check.status}`);
  await check.arrayBuffer();
  const result: Result = await autocannon({
    url: `${base}${first}`,
    connections: 10,
    duration: SECONDS,
    ...(typeof path === 'string' ? {} : { requests: [{ setupRequest: (request: { path: string }) => ({ ...request, path: path() }) }] }),
  });
  const rps = result.requests.average;
  log(`    ${what}: ${whole(rps)} req/s (p50 ${ms(result.latency.p50)})`);
  return { what, rps, share: floor ? rps / floor : 1, p50: result.latency.p50, p97_5: result.latency.p97_5, bad: result.non2xx + result.errors + result.timeouts, total: result.requests.total };
}

async function rates(server: RunningServer): Promise<Rate[]> {
  const base = server.base;
  const oruk = (await (await fetch(`${base}/oruk/services?per_page=1`)).json()) as { contents: { id: string }[] };
  const orukId = oruk.contents[0]?.id;
  const healthz = await rate(base, '`/healthz` (the floor)', '/healthz', null);
  const floor = healthz.rps;
  return [
    healthz,
    await rate(base, `public search page \`/directory?${SEARCH}\``, `/directory?${SEARCH}`, floor),
    await rate(base, `search API, same query \`/api/v1/services?${SEARCH}\``, `/api/v1/services?${SEARCH}`, floor),
    await rate(base, 'ORUK service by id `/oruk/services/{id}`', `/oruk/services/${orukId}`, floor),
    await rate(base, 'public search page, a different word and postcode each request', variedPaths('/directory'), floor),
    await rate(base, 'search API, a different word and postcode each request', variedPaths('/api/v1/services'), floor),
  ];
}

type User = { role: string; cookie: string; token: string; agent: http.Agent };
type Answer = { status: number };

/** One request on the user's own keep-alive connection, as one browser would send it; the body is read and dropped. */
function send(base: string, u: User, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${base}${path}`, { agent: u.agent, method: options.method ?? 'GET', headers: { cookie: u.cookie, ...options.headers } }, (response) => {
      response.on('data', () => undefined);
      response.on('end', () => resolve({ status: response.statusCode ?? 0 }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(options.body);
  });
}

/**
 * 50 signed-in people at once, each sending its next request as soon as the last is answered:
 * 20 link workers (caseload, a case, recording a contact on one of their cases, a directory
 * search), 20 organisation editors (their listings, a service page, a search) and 10 admins (the
 * audit log's first page, members, a search). Every write answered 201 is counted; afterwards
 * the cases are read back and their contacts counted.
 */
export async function mixedLoad(base: string, seconds = MIXED_SECONDS): Promise<Mixed> {
  const roles = [
    ...Array(20).fill('linkworker@demo.common-ground.invalid'),
    ...Array(20).fill('editor@demo.common-ground.invalid'),
    ...Array(10).fill('admin@demo.common-ground.invalid'),
  ] as string[];
  const users: User[] = [];
  const only = process.env.BENCH_MIXED_ROLES?.split(',');
  for (const email of roles.filter((e) => !only || only.includes(e.split('@')[0]))) {
    const cookie = await signIn(base, email, DEMO_PASSWORD);
    users.push({ role: email.split('@')[0], cookie, token: await csrfToken(base, cookie), agent: new http.Agent({ keepAlive: true, maxSockets: 1 }) });
  }
  const lw = users.find((u) => u.role === 'linkworker') ?? { cookie: await signIn(base, 'linkworker@demo.common-ground.invalid', DEMO_PASSWORD) };
  const caseload = (await (await fetch(`${base}/api/v1/social-prescribing/caseload`, { headers: { cookie: lw.cookie } })).json()) as { openCases: { id: string }[] };
  const caseIds = caseload.openCases.map((c) => c.id).slice(0, 20);
  if (!caseIds.length) throw new Error('the demo link worker has no open cases to record contacts on');
  const contactCount = async () => {
    let n = 0;
    for (const id of caseIds) {
      const r = await fetch(`${base}/api/v1/social-prescribing/cases/${id}`, { headers: { cookie: lw.cookie } });
      if (r.status !== 200) throw new Error(`reading case ${id} back answered ${r.status}`);
      n += ((await r.json()) as { contacts: unknown[] }).contacts.length;
    }
    return n;
  };
  const serviceIds = ((await (await fetch(`${base}/api/v1/services?text=walking`)).json()) as { items: { id: string }[] }).items.map((i) => i.id);
  const search = variedPaths('/directory');
  const before = await contactCount();

  const random = new Random(23);
  type Shape = { weight: number; run: (u: User) => Promise<Answer>; write?: boolean; name: string };
  const get = (path: string, u: User) => send(base, u, path);
  const shapes: Record<string, Shape[]> = {
    linkworker: [
      { name: 'caseload page', weight: 3, run: (u) => get('/social-prescribing', u) },
      { name: 'case page', weight: 3, run: (u) => get(`/social-prescribing/cases/${random.pick(caseIds)}`, u) },
      {
        name: 'record a contact (API write)',
        weight: 2,
        write: true,
        run: (u) =>
          send(base, u, `/api/v1/social-prescribing/cases/${random.pick(caseIds)}/contacts`, {
            method: 'POST',
            headers: { 'x-csrf-token': u.token, 'content-type': 'application/json' },
            body: JSON.stringify({ method: 'phone', outcome: 'made', contactedOn: new Date().toISOString().slice(0, 10), durationMinutes: 10, notes: 'Talked through the walking group; will try Tuesday.' }),
          }),
      },
      { name: 'directory search', weight: 2, run: (u) => get(search(), u) },
    ],
    editor: [
      { name: 'listings page', weight: 3, run: (u) => get('/directory/listings', u) },
      { name: 'service page', weight: 3, run: (u) => get(`/directory/services/${random.pick(serviceIds)}`, u) },
      { name: 'directory search', weight: 4, run: (u) => get(search(), u) },
    ],
    admin: [
      { name: 'audit log page', weight: 3, run: (u) => get('/admin/audit', u) },
      { name: 'members page', weight: 3, run: (u) => get('/admin/users', u) },
      { name: 'directory search', weight: 4, run: (u) => get(search(), u) },
    ],
  };
  const pick = (list: Shape[]) => {
    let r = random.int(1, list.reduce((n, s) => n + s.weight, 0));
    for (const s of list) if ((r -= s.weight) <= 0) return s;
    return list[0];
  };

  const latencies: number[] = [];
  const byShape = new Map<string, number[]>();
  const errors = new Map<string, number>();
  let writes = 0;
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    users.map(async (u) => {
      while (performance.now() < until) {
        const shape = pick(shapes[u.role]);
        const t = performance.now();
        try {
          const response = await shape.run(u);
          latencies.push(performance.now() - t);
          byShape.set(shape.name, [...(byShape.get(shape.name) ?? []), performance.now() - t]);
          if (process.env.BENCH_DEBUG && performance.now() - t > 3000) log(`slow: ${shape.name} for ${u.role}, started ${((t - until) / 1000 + seconds).toFixed(1)} s, took ${(performance.now() - t).toFixed(0)} ms, status ${response.status}`);
          if (response.status >= 400) errors.set(`${response.status}`, (errors.get(`${response.status}`) ?? 0) + 1);
          else if (shape.write) writes++;
        } catch (error) {
          latencies.push(performance.now() - t);
          const kind = (error as Error).message;
          errors.set(kind, (errors.get(kind) ?? 0) + 1);
        }
      }
    }),
  );
  for (const u of users) u.agent.destroy();
  const after = await contactCount();
  latencies.sort((a, b) => a - b);
  const errorCount = [...errors.values()].reduce((a, b) => a + b, 0);
  const shapeText = [...byShape]
    .map(([name, times]) => {
      times.sort((a, b) => a - b);
      return `${name} p50 ${ms(percentile(times, 50))} / p95 ${ms(percentile(times, 95))} (${times.length})`;
    })
    .join('; ');
  log(`    by request: ${shapeText}`);
  return {
    byShape: shapeText,
    requests: latencies.length,
    perSecond: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    max: latencies.at(-1) ?? NaN,
    errors: errorCount,
    errorKinds: [...errors].map(([k, n]) => `${n}× ${k}`).join(', '),
    writes,
    lost: writes - (after - before),
  };
}

async function onEngine(engine: 'pglite' | 'postgres'): Promise<EngineResult> {
  const result: EngineResult = { engine, rates: [] };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-bench-load-'));
  let cluster: Awaited<ReturnType<typeof startPostgresCluster>> | null = null;
  let server: RunningServer | null = null;
  try {
    const env: NodeJS.ProcessEnv = {};
    if (engine === 'postgres') {
      cluster = await startPostgresCluster();
      const admin = await openPostgres(`${cluster.url}/postgres`, { max: 1 });
      await admin.query('create database cg_bench');
      await admin.close();
      env.DATABASE_URL = `${cluster.url}/cg_bench`;
    }
    log(`  ${engine}: first start with the demo data`);
    server = await startServer(dataDir, await freePort(), { env });
    const firstStart = rssMiB(server.child.pid!);
    await stopServer(server);
    server = await startServer(dataDir, await freePort(), { env });
    result.memory = { firstStart, warmStart: rssMiB(server.child.pid!) };
    log(`  ${engine}: warm start, ${whole(result.memory.warmStart)} MiB; requests per second`);
    if (SCENARIOS.includes('rates')) result.rates = await rates(server);
    if (SCENARIOS.includes('mixed')) {
      log(`  ${engine}: ${USERS} signed-in users for ${MIXED_SECONDS} s`);
      result.mixed = await mixedLoad(server.base);
      result.memory.afterLoad = rssMiB(server.child.pid!);
      log(`  ${engine}: mixed p50 ${ms(result.mixed.p50)}, p95 ${ms(result.mixed.p95)}, ${result.mixed.errors} errors, ${result.mixed.lost} writes lost`);
    }
  } catch (error) {
    result.failed = (error as Error).message.split('\n')[0];
    log(`  ${engine}: FAILED ${result.failed}`);
  } finally {
    if (server) await stopServer(server);
    cluster?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return result;
}

/** Targets from issue 10: 5× the figures measured then, on a quiet machine where /healthz answered about 7,000 a second. */
const FLOOR_BEFORE = 7000;
const BEFORE: Record<string, Record<string, number>> = {
  pglite: { search: 42, api: 63, oruk: 263 },
  postgres: { search: 83, api: 199, oruk: 686 },
};

export async function benchUnderLoad(): Promise<string> {
  const engines = (process.env.BENCH_ENGINES ?? 'pglite,postgres').split(',') as ('pglite' | 'postgres')[];
  const results: EngineResult[] = [];
  for (const engine of engines) results.push(await onEngine(engine));

  const names = { pglite: 'embedded (PGlite)', postgres: 'PostgreSQL 15 server' } as Record<string, string>;
  const lines = [
    '## Under load: the running server on each engine',
    '',
    `The server as \`npm start\` runs it (one process), on a new embedded data folder and on a throwaway PostgreSQL server (\`test/support/postgres-server.ts\`), each with the demo data, started twice (the figures are from the warm start). ` +
      `Requests per second: autocannon, 10 connections, ${SECONDS} s each, against the running server; each is also given as a share of \`/healthz\` measured in the same run, which normalises for how busy the machine is.` +
      (QUICK ? ' **Quick run (BENCH_QUICK=1): shorter durations than the full bench.**' : ''),
    '',
  ];
  for (const r of results) {
    lines.push(`### ${names[r.engine]}`, '');
    if (r.failed) lines.push(`Could not finish: ${r.failed}`, '');
    if (r.rates.length) {
      lines.push('| request | requests/s | share of `/healthz` | latency median | 97.5th percentile | not 2xx |', '| --- | --- | --- | --- | --- | --- |');
      for (const x of r.rates) lines.push(`| ${x.what} | ${whole(x.rps)} | ${x.share === 1 ? '—' : `${(x.share * 100).toFixed(2)} %`} | ${ms(x.p50)} | ${ms(x.p97_5)} | ${x.bad} of ${whole(x.total)} |`);
      lines.push('');
      const before = BEFORE[r.engine];
      const [, page, api, oruk] = r.rates;
      // The machine may be busier now than then: the share of /healthz in the same run is the fair comparison.
      const row = (what: string, before: number, now: Rate, target: boolean) => {
        const byShare = now.share / (before / FLOOR_BEFORE);
        return `| ${what} | ${before} req/s (${((100 * before) / FLOOR_BEFORE).toFixed(2)} % of ~7,000) | ${whole(now.rps)} req/s (${(now.rps / before).toFixed(1)}×); ${(100 * now.share).toFixed(2)} % of \`/healthz\` (${byShare.toFixed(1)}× the share) | ${target ? (byShare >= 5 ? 'yes, by share' : '**no**') : ''} |`;
      };
      lines.push(
        '| target | before (issue 10, quiet machine) | now (this run) | met? |',
        '| --- | --- | --- | --- |',
        row('search page ≥ 5×', before.search, page, true),
        row('search API ≥ 5×', before.api, api, true),
        row('ORUK by id', before.oruk, oruk, false),
      );
    }
    if (r.mixed) {
      const m = r.mixed;
      const target = r.engine === 'postgres' ? 500 : 1500;
      lines.push(
        `| ${USERS} signed-in users, ${MIXED_SECONDS} s: p95 ≤ ${ms(target)}, no errors, no writes lost | | p50 ${ms(m.p50)}, p95 ${ms(m.p95)}, max ${ms(m.max)}; ${whole(m.requests)} requests (${whole(m.perSecond)}/s), ${m.errors} errors${m.errorKinds ? ` (${m.errorKinds})` : ''}; ${whole(m.writes)} writes, ${m.lost} lost | ${m.p95 <= target && m.errors === 0 && m.lost === 0 ? 'yes' : '**no**'} |`,
      );
    }
    if (r.memory) {
      lines.push(
        r.engine === 'pglite'
          ? `| memory (resident set) after a warm start ≤ 400 MiB | 443–588 MiB | ${whole(r.memory.warmStart)} MiB (first start ${whole(r.memory.firstStart)} MiB; after the load ${r.memory.afterLoad ? whole(r.memory.afterLoad) : '—'} MiB) | ${r.memory.warmStart <= 400 ? 'yes' : '**no**'} |`
          : `| memory (resident set) after a warm start | | ${whole(r.memory.warmStart)} MiB (after the load ${r.memory.afterLoad ? whole(r.memory.afterLoad) : '—'} MiB) | |`,
      );
    }
    lines.push('');
  }
  lines.push(
    `The ${USERS} users: 20 link workers (caseload page, a case page, recording a contact on one of their cases through the API with the session cookie and CSRF header, a directory search), ` +
      '20 organisation editors (their listings, a service page, a search) and 10 partnership admins (the audit log, members, a search); each sends its next request as soon as the last is answered (no pause), ' +
      'searches with a different word and postcode each time. Writes lost: contacts answered 201 minus the contacts found on those cases when read back afterwards.',
    '',
  );
  for (const r of results) if (r.mixed) lines.push(`By request, ${names[r.engine]}: ${r.mixed.byShape}.`, '');
  return lines.join('\n');
}
