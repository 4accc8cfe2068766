/*
 * Social prescribing: 50,000 people, 200,000 contacts and 30,000 referrals (10 PCNs of 5,000
 * people, each with a team of 5 link workers) in a fresh embedded PGlite. Times the caseload
 * page and the case page through app.inject (target p95 ≤ 100 ms) and loading a 10,000-row
 * cohort CSV through the upload form (target ≤ 10 s). bench/run.ts calls
 * benchSocialPrescribing() and adds the Markdown section it returns to the report.
 */
import crypto from 'node:crypto';
import { loadConfig } from '../src/platform/config.ts';
import type { Database } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { openPglite } from '../src/platform/db/pglite-database.ts';
import { createMailer } from '../src/platform/mailer.ts';
import { createServer } from '../src/server.ts';
import { startSession } from '../src/modules/identity/index.ts';
import { generateCasework } from '../src/modules/social-prescribing/demo/demo-social-prescribing.ts';
import { testNhsNumber } from '../src/modules/social-prescribing/nhs-number.ts';
import { percentile } from './timing.ts';

const PCNS = 10;
const PEOPLE = 50_000;
const CONTACTS = 200_000;
const REFERRALS = 30_000;
const TEAM = 5;
const COHORT_ROWS = 10_000;
const PAGE_TARGET_MS = 100;
const COHORT_TARGET_MS = 10_000;


export async function buildData(db: Database): Promise<{ pcnId: string; workerId: string }> {
  let first: { pcnId: string; workerId: string } | undefined;
  for (let p = 0; p < PCNS; p++) {
    const pcnId = crypto.randomUUID();
    await db.query("insert into organisations (id, name, kind) values ($1, $2, 'pcn')", [pcnId, `Bench PCN ${p + 1}`]);
    const practiceIds = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    for (const [i, id] of practiceIds.entries()) {
      await db.query("insert into organisations (id, name, kind, parent_organisation_id) values ($1, $2, 'gp_practice', $3)", [id, `Bench Practice ${p + 1}.${i + 1}`, pcnId]);
    }
    const workers: { id: string; name: string }[] = [];
    for (let w = 0; w < TEAM; w++) {
      const id = crypto.randomUUID();
      const name = `Bench Link Worker ${p + 1}.${w + 1}`;
      await db.query('insert into users (id, name, email) values ($1, $2, $3)', [id, name, `bench-lw-${p}-${w}@bench.invalid`]);
      await db.query("insert into memberships (id, user_id, organisation_id, role) values (gen_random_uuid(), $1, $2, 'link_worker')", [id, pcnId]);
      workers.push({ id, name });
    }
    await generateCasework(db, {
      people: PEOPLE / PCNS,
      referrals: REFERRALS / PCNS,
      contacts: CONTACTS / PCNS,
      pcnId,
      practiceIds,
      linkWorkers: workers,
      referrerOrganisationId: practiceIds[0],
      seed: 1000 + p,
      nhsOffset: p * (PEOPLE / PCNS) * 3,
    });
    first ??= { pcnId, workerId: workers[0].id };
  }
  await db.query('analyze');
  return first!;
}

function cohortCsv(rows: number): string {
  const lines = ['First name,Last name,Date of birth,NHS number,Phone,Postcode'];
  for (let i = 0; i < rows; i++) {
    lines.push(`Cohort${i},Benchperson,${String((i % 28) + 1).padStart(2, '0')}/0${(i % 9) + 1}/19${30 + (i % 60)},${testNhsNumber(900_000 + i * 3)},01632 960${String(i % 1000).padStart(3, '0')},WY${(i % 9) + 1} ${(i % 9) + 1}AB`);
  }
  return `${lines.join('\n')}\n`;
}

export async function benchSocialPrescribing(): Promise<string> {
  const db = await openPglite(undefined);
  try {
    await migrate(db);
    const started = performance.now();
    const { pcnId, workerId } = await buildData(db);
    const buildMs = performance.now() - started;
    const token = await startSession(db, workerId);
    const app = await createServer(loadConfig({ LOG_LEVEL: 'silent', DEMO_DATA: 'false' }), db, createMailer(undefined, 'bench@bench.invalid'));
    await app.ready();
    const cookie = `cg_session=${token}`;
    const [{ open }] = await db.query<{ open: number }>("select count(*)::int as open from sp_cases where link_worker_id = $1 and status <> 'closed'", [workerId]);
    const caseIds = (await db.query<{ id: string }>("select id from sp_cases where link_worker_id = $1 and status <> 'closed' order by id limit 45", [workerId])).map((r) => `/social-prescribing/cases/${r.id}`);

    async function time(urls: string[], expect: string): Promise<number[]> {
      const times: number[] = [];
      for (let i = 0; i < urls.length; i++) {
        const t = performance.now();
        const response = await app.inject({ method: 'GET', url: urls[i], headers: { cookie } });
        const elapsed = performance.now() - t;
        if (response.statusCode !== 200 || !response.body.includes(expect)) throw new Error(`${urls[i]} answered ${response.statusCode}`);
        if (i >= 5) times.push(elapsed); // the first few warm caches and compile templates
      }
      return times.sort((a, b) => a - b);
    }
    const caseload = await time(Array.from({ length: 45 }, () => '/social-prescribing'), 'Your other open cases');
    const casePage = await time(caseIds, 'Contacts');

    // The cohort upload through the form, as a link worker sends it.
    const csrfPage = await app.inject({ method: 'GET', url: '/social-prescribing/cohorts/new', headers: { cookie } });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(csrfPage.body)![1];
    const csrfCookie = csrfPage.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const boundary = '----cgbench';
    const field = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const payload = `${field('_csrf', csrf)}${field('name', 'Bench shielding list')}${field('pcnId', pcnId)}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cohort.csv"\r\nContent-Type: text/csv\r\n\r\n${cohortCsv(COHORT_ROWS)}\r\n--${boundary}--\r\n`;
    const t = performance.now();
    const upload = await app.inject({ method: 'POST', url: '/social-prescribing/cohorts/new', headers: { cookie: `${cookie}; ${csrfCookie}`, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
    const cohortMs = performance.now() - t;
    if (upload.statusCode !== 303) throw new Error(`cohort upload answered ${upload.statusCode}: ${upload.body.slice(0, 300)}`);
    const [{ n }] = await db.query<{ n: number }>('select count(*)::int as n from sp_cohort_members');
    if (n !== COHORT_ROWS) throw new Error(`cohort has ${n} people, not ${COHORT_ROWS}`);
    await app.close();

    const rows = [
      { what: `Caseload page (${open} open cases for this link worker; the PCN's new referrals)`, times: caseload },
      { what: 'Case page (person, referral, contacts, follow-ups, onward referrals)', times: casePage },
    ].map((r) => {
      const p95 = percentile(r.times, 95);
      return { line: `| ${r.what} | ${percentile(r.times, 50).toFixed(1)} ms | ${p95.toFixed(1)} ms | ≤ ${PAGE_TARGET_MS} ms: ${p95 <= PAGE_TARGET_MS ? 'pass' : 'FAIL'} |`, pass: p95 <= PAGE_TARGET_MS };
    });
    const cohortPass = cohortMs <= COHORT_TARGET_MS;
    return [
      '## Social prescribing',
      '',
      `${PEOPLE.toLocaleString('en-GB')} people, ${CONTACTS.toLocaleString('en-GB')} contacts and ${REFERRALS.toLocaleString('en-GB')} referrals in ${PCNS} PCNs (teams of ${TEAM} link workers) on a fresh embedded PGlite, built in ${(buildMs / 1000).toFixed(1)} s. Each page requested 40 times (after 5 warm-up requests) through app.inject, signed in as a link worker; each page view is also written to the audit log, as in use.`,
      '',
      '| page | median | p95 | target |',
      '| --- | --- | --- | --- |',
      ...rows.map((r) => r.line),
      '',
      '| load | time | target |',
      '| --- | --- | --- |',
      `| ${COHORT_ROWS.toLocaleString('en-GB')}-row cohort CSV through the upload form (checked row by row, saved in one transaction) | ${(cohortMs / 1000).toFixed(2)} s | ≤ ${COHORT_TARGET_MS / 1000} s: ${cohortPass ? 'pass' : 'FAIL'} |`,
      '',
      rows.every((r) => r.pass) && cohortPass ? 'Every measure meets its target.' : 'At least one measure misses its target.',
      '',
    ].join('\n');
  } finally {
    await db.close();
  }
}

// Run on its own: node --import tsx bench/social-prescribing.bench.ts
if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await benchSocialPrescribing());
}
