/*
 * Information sharing: a partnership of 300 organisations (each set up: assurance, a senior
 * signatory, the protocol signed) with 200 active agreements and 2,000 data flows, in a fresh
 * embedded PGlite. Times the public register and an agreement's page through app.inject (target
 * p95 ≤ 100 ms), the data-flow map of every flow drawn by Graphviz (≤ 1 s), and the check a
 * referral makes before it is sent (≤ 2 ms). bench/run.ts calls benchInformationSharing() and adds
 * the Markdown section it returns to the report.
 */
import crypto from 'node:crypto';
import { loadConfig } from '../src/platform/config.ts';
import type { Database } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { openPglite } from '../src/platform/db/pglite-database.ts';
import { createMailer } from '../src/platform/mailer.ts';
import { createServer } from '../src/server.ts';
import { startSession } from '../src/modules/identity/index.ts';
import { allowFlow } from '../src/modules/information-sharing/index.ts';
import { coveringAgreement } from '../src/modules/information-sharing/enforcement/enforcement.service.ts';
import { seedAgreement, SP_REFERRAL_ITEMS, type SeedFlow } from '../src/modules/information-sharing/demo/demo-sharing.ts';
import { flowTypeIds } from '../src/modules/information-sharing/catalogue.ts';
import { percentile } from './timing.ts';

const ORGANISATIONS = 300;
const AGREEMENTS = 200;
const FLOWS_EACH = 10;
const PAGE_TARGET_MS = 100;
const MAP_TARGET_MS = 1000;
const CHECK_TARGET_MS = 2;

/** A small deterministic generator, so every run builds the same partnership. */
function random(seed: number) {
  let s = seed;
  return () => ((s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}

export async function buildData(db: Database): Promise<{ igUserId: string; agreementIds: string[]; referral: { from: string; to: string } }> {
  const next = random(12);
  const orgs: { id: string; signatory: string }[] = [];
  for (let i = 0; i < ORGANISATIONS; i++) {
    const id = crypto.randomUUID();
    const signatory = crypto.randomUUID();
    await db.query("insert into organisations (id, name, kind) values ($1, $2, $3)", [id, `Bench Organisation ${i + 1}`, i < 20 ? 'pcn' : 'community_group']);
    await db.query('insert into users (id, name, email) values ($1, $2, $3)', [signatory, `Bench Signatory ${i + 1}`, `bench-signatory-${i}@bench.invalid`]);
    await db.query("insert into memberships (id, user_id, organisation_id, role) values (gen_random_uuid(), $1, $2, 'organisation_editor')", [signatory, id]);
    orgs.push({ id, signatory });
  }
  const igUserId = crypto.randomUUID();
  await db.query('insert into users (id, name, email) values ($1, $2, $3)', [igUserId, 'Bench IG Lead', 'bench-ig@bench.invalid']);
  await db.query("insert into memberships (id, user_id, organisation_id, role) values (gen_random_uuid(), $1, $2, 'ig_lead')", [igUserId, orgs[0].id]);
  const agreementIds: string[] = [];
  const pick = () => orgs[Math.floor(next() * orgs.length)];
  for (let a = 0; a < AGREEMENTS; a++) {
    const parties = [...new Map([pick(), pick(), pick(), pick()].map((o) => [o.id, o])).values()];
    if (parties.length < 2) parties.push(orgs[(orgs.indexOf(parties[0]) + 1) % orgs.length]);
    const flows: SeedFlow[] = Array.from({ length: FLOWS_EACH }, (_v, f) => {
      const from = parties[f % parties.length];
      const to = parties[(f + 1) % parties.length];
      return { flowType: flowTypeIds[f % flowTypeIds.length], from: from.id, to: to.id, dataItems: SP_REFERRAL_ITEMS.slice(0, 2 + (f % 5)), identifiability: (['identifiable', 'pseudonymised', 'anonymised', 'aggregate'] as const)[f % 4] };
    });
    agreementIds.push(await seedAgreement(db, { title: `Bench agreement ${a + 1}`, parties: parties.map((p) => ({ organisationId: p.id, signatoryUserId: p.signatory })), flows }));
  }
  const [referral] = await db.query<{ from: string; to: string }>(`select from_organisation_id as "from", to_organisation_id as "to" from is_flows where flow_type = 'sp_referral' and cardinality(data_items) >= 3 limit 1`);
  await db.query('analyze');
  return { igUserId, agreementIds, referral };
}

const row = (what: string, times: number[], target: number) => {
  const p95 = percentile(times, 95);
  return { line: `| ${what} | ${percentile(times, 50).toFixed(2)} ms | ${p95.toFixed(2)} ms | ≤ ${target} ms: ${p95 <= target ? 'pass' : 'FAIL'} |`, pass: p95 <= target };
};

export async function benchInformationSharing(): Promise<string> {
  const db = await openPglite(undefined);
  try {
    await migrate(db);
    const started = performance.now();
    const { igUserId, agreementIds, referral } = await buildData(db);
    const buildMs = performance.now() - started;
    const [{ flows }] = await db.query<{ flows: number }>('select count(*)::int as flows from is_flows');
    const cookie = `cg_session=${await startSession(db, igUserId)}`;
    const app = await createServer(loadConfig({ LOG_LEVEL: 'silent', DEMO_DATA: 'false' }), db, createMailer(undefined, 'bench@bench.invalid'));
    await app.ready();

    async function time(urls: string[], expect: string, headers: Record<string, string> = {}): Promise<number[]> {
      const times: number[] = [];
      for (let i = 0; i < urls.length; i++) {
        const t = performance.now();
        const response = await app.inject({ method: 'GET', url: urls[i], headers });
        const elapsed = performance.now() - t;
        if (response.statusCode !== 200 || !response.body.includes(expect)) throw new Error(`${urls[i]} answered ${response.statusCode}`);
        if (i >= 5) times.push(elapsed);
      }
      return times.sort((a, b) => a - b);
    }
    const register = await time(Array.from({ length: 35 }, () => '/sharing/register'), 'Bench agreement 1');
    const registerJson = await time(Array.from({ length: 25 }, () => '/sharing/register.json'), 'Bench agreement 1');
    const agreementPage = await time(agreementIds.slice(0, 45).map((id) => `/sharing/agreements/${id}`), 'Used for', { cookie });
    const map = await time(Array.from({ length: 10 }, () => '/sharing/map?show=all'), '<svg role="img"', { cookie });

    // The referral's check: a covered flow, in a transaction as the referral makes it (the audit entry included).
    const checks: number[] = [];
    for (let i = 0; i < 505; i++) {
      const t = performance.now();
      await db.transaction((tx) => allowFlow(tx, null, { flowType: 'sp_referral', fromOrganisationId: referral.from, toOrganisationId: referral.to, dataItems: SP_REFERRAL_ITEMS.slice(0, 2), reference: `bench-${i}` }));
      if (i >= 5) checks.push(performance.now() - t);
    }
    checks.sort((a, b) => a - b);
    const lookups: number[] = [];
    for (let i = 0; i < 505; i++) {
      const t = performance.now();
      if (!(await coveringAgreement(db, { flowType: 'sp_referral', fromOrganisationId: referral.from, toOrganisationId: referral.to, dataItems: SP_REFERRAL_ITEMS.slice(0, 2) }))) throw new Error('the bench referral is not covered');
      if (i >= 5) lookups.push(performance.now() - t);
    }
    lookups.sort((a, b) => a - b);
    const empty: number[] = [];
    for (let i = 0; i < 505; i++) {
      const t = performance.now();
      await db.transaction(async () => undefined);
      if (i >= 5) empty.push(performance.now() - t);
    }
    empty.sort((a, b) => a - b);
    const added = checks.map((c, i) => c - empty[i]);
    await app.close();

    const rows = [
      row(`Public register page (${AGREEMENTS} active agreements, ${flows.toLocaleString('en-GB')} flows; 20 agreements a page, the register kept per process until an agreement changes)`, register, PAGE_TARGET_MS),
      row(`Public register as JSON (all ${AGREEMENTS} agreements)`, registerJson, PAGE_TARGET_MS),
      row(`An agreement's page (${FLOWS_EACH} flows, parties, signatures, the quarter's count from the audit log)`, agreementPage, PAGE_TARGET_MS),
      row(`Data-flow map of every flow (${ORGANISATIONS} organisations; Graphviz sfdp, drawn on each request)`, map, MAP_TARGET_MS),
      row('The referral check: is an active agreement covering these parties and items? (cached; one query for the generation token)', lookups, CHECK_TARGET_MS),
      row('The whole call a referral makes (allowFlow: the check and its audit entry), less an empty transaction', added.sort((a, b) => a - b), CHECK_TARGET_MS),
    ];
    return [
      '## Information sharing',
      '',
      `${ORGANISATIONS} organisations (each set up: assurance, signatory, protocol signed), ${AGREEMENTS} active agreements and ${flows.toLocaleString('en-GB')} flows on a fresh embedded PGlite, built in ${(buildMs / 1000).toFixed(1)} s. Pages through app.inject after 5 warm-up requests (the agreement page signed in as an IG lead, a different agreement each time); the check 500 times.`,
      '',
      '| measure | median | p95 | target |',
      '| --- | --- | --- | --- |',
      ...rows.map((r) => r.line),
      '',
      rows.every((r) => r.pass) ? 'Every measure meets its target.' : 'At least one measure misses its target.',
      '',
    ].join('\n');
  } finally {
    await db.close();
  }
}

// Run on its own: node --import tsx bench/information-sharing.bench.ts
if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await benchInformationSharing());
}
