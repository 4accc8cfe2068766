/*
 * Innovation programmes: the Investment Day moderation view (200 cases, 10 panel members, four
 * weighted criteria) and the projects dashboard (50 projects with milestones and updates), each
 * timed through app.inject on a fresh embedded PGlite. Target: p95 ≤ 100 ms for each page.
 * bench/run.ts calls benchInnovation() and adds the Markdown section it returns to the report.
 */
import crypto from 'node:crypto';
import { loadConfig } from '../src/platform/config.ts';
import type { Database } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { openPglite } from '../src/platform/db/pglite-database.ts';
import { createMailer } from '../src/platform/mailer.ts';
import { createServer } from '../src/server.ts';
import { startSession } from '../src/modules/identity/index.ts';
import { DEFAULT_CRITERIA } from '../src/modules/innovation/programmes/programmes.service.ts';
import { refreshProgrammeModeration } from '../src/modules/innovation/scoring/moderation-summary.ts';
import { percentile } from './timing.ts';

const CASES = 200;
const PANEL = 10;
const PROJECTS = 50;
const TARGET_MS = 100;

/** Bulk, synthetic data straight into the tables: one programme at Investment Day, one in delivery. */
export async function buildData(db: Database): Promise<{ managerId: string; moderationId: string; deliveryId: string }> {
  const org = crypto.randomUUID();
  await db.query("insert into organisations (id, name, kind) values ($1, 'Bench Partnership', 'community_group')", [org]);
  const managerId = crypto.randomUUID();
  await db.query("insert into users (id, name, email) values ($1, 'Bench Manager', 'bench-manager@bench.invalid')", [managerId]);
  await db.query("insert into memberships (id, user_id, organisation_id, role) values (gen_random_uuid(), $1, $2, 'programme_manager')", [managerId, org]);
  // 20 organisations and 40 participants, so teams cross organisations.
  await db.query("insert into organisations (id, name, kind) select gen_random_uuid(), 'Bench Organisation ' || g, 'charity' from generate_series(1, 20) g");
  await db.query("insert into users (id, name, email) select gen_random_uuid(), 'Bench Person ' || g, 'bench-person-' || g || '@bench.invalid' from generate_series(1, 40 + $1::int) g", [PANEL]);

  async function programme(name: string, stage: string, fundPence: number, teams: number): Promise<string> {
    const id = crypto.randomUUID();
    await db.query('insert into programmes (id, name, purpose, fund_pence, stage, created_by) values ($1, $2, $3, $4, $5, $6)', [id, name, 'Benchmark data', fundPence, stage, managerId]);
    for (const [i, c] of DEFAULT_CRITERIA.entries()) {
      await db.query('insert into programme_criteria (id, programme_id, name, description, weight, position) values (gen_random_uuid(), $1, $2, $3, $4, $5)', [id, c.name, c.description, c.weight, i + 1]);
    }
    await db.query(
      `insert into programme_members (id, programme_id, user_id, organisation_id, role)
       select gen_random_uuid(), $1, u.id, (select id from organisations where name = 'Bench Organisation ' || (1 + u.n % 20)),
              case when u.n <= $2 then 'panel' else 'participant' end
         from (select id, row_number() over (order by email) as n from users where email like 'bench-person-%') u`,
      [id, PANEL],
    );
    await db.query(
      `insert into ideas (id, programme_id, title, problem, who_benefits, idea, rough_cost_pence, how_we_know, status)
       select gen_random_uuid(), $1, 'Bench idea ' || g, 'A problem', 'People', 'An idea', 100000 + g * 1000, 'We measure it', 'shortlisted' from generate_series(1, $2::int) g`,
      [id, teams],
    );
    await db.query("insert into teams (id, programme_id, idea_id, name) select gen_random_uuid(), $1, i.id, replace(i.title, 'idea', 'team') from ideas i where i.programme_id = $1", [id]);
    await db.query(
      `insert into team_members (id, team_id, user_id, organisation_id)
       select gen_random_uuid(), t.id, m.user_id, m.organisation_id
         from teams t cross join lateral (select user_id, organisation_id from programme_members where programme_id = $1 and role = 'participant' order by md5(t.id::text || user_id::text) limit 3) m
        where t.programme_id = $1`,
      [id],
    );
    await db.query(
      `insert into investment_cases (id, programme_id, team_id, requested_pence, outcomes, evaluation_plan, risks)
       select gen_random_uuid(), $1, t.id, i.rough_cost_pence, 'Outcomes', 'Evaluation', 'Risks' from teams t join ideas i on i.id = t.idea_id where t.programme_id = $1`,
      [id],
    );
    await db.query("insert into case_budget_lines (id, case_id, description, amount_pence, position) select gen_random_uuid(), c.id, 'Everything', c.requested_pence, 1 from investment_cases c where c.programme_id = $1", [id]);
    return id;
  }

  const moderationId = await programme('Bench moderation programme', 'investment_day', 100_000_000_00, CASES);
  // Every panel member declares on every case; about 1 in 20 declarations is a conflict.
  await db.query(
    `insert into conflict_declarations (id, case_id, user_id, conflicted, reason)
     select gen_random_uuid(), c.id, m.user_id, (abs(hashtext(c.id::text || m.user_id::text)) % 20) = 0, ''
       from investment_cases c cross join programme_members m where c.programme_id = $1 and m.programme_id = $1 and m.role = 'panel'`,
    [moderationId],
  );
  await db.query(
    `insert into case_scores (id, case_id, user_id, criterion_id, score, comment)
     select gen_random_uuid(), d.case_id, d.user_id, k.id, abs(hashtext(d.case_id::text || d.user_id::text || k.id::text)) % 6, 'Bench comment'
       from conflict_declarations d join investment_cases c on c.id = d.case_id join programme_criteria k on k.programme_id = c.programme_id
      where c.programme_id = $1 and not d.conflicted`,
    [moderationId],
  );
  // The scores went straight into the table, so work out the stored moderation figures as scoring would.
  await refreshProgrammeModeration(db, moderationId);

  const deliveryId = await programme('Bench delivery programme', 'delivery', 100_000_000_00, PROJECTS);
  await db.query(
    `insert into investment_decisions (id, programme_id, case_id, outcome, awarded_pence, feedback)
     select gen_random_uuid(), $1, c.id, 'fund_full', c.requested_pence, 'Funded' from investment_cases c where c.programme_id = $1`,
    [deliveryId],
  );
  await db.query('insert into projects (id, programme_id, case_id, title) select gen_random_uuid(), $1, c.id, t.name from investment_cases c join teams t on t.id = c.team_id where c.programme_id = $1', [deliveryId]);
  await db.query(
    `insert into project_milestones (id, project_id, title, due_on, done_on)
     select gen_random_uuid(), p.id, 'Milestone ' || g, current_date + (g * 30 - 60), case when g <= 2 then current_date - 5 end
       from projects p cross join generate_series(1, 5) g where p.programme_id = $1`,
    [deliveryId],
  );
  await db.query(
    `insert into project_updates (id, project_id, progress_percent, summary, risks, created_at)
     select gen_random_uuid(), p.id, g * 20, 'Update ' || g, 'A risk', now() - (5 - g) * interval '7 days'
       from projects p cross join generate_series(1, 4) g where p.programme_id = $1`,
    [deliveryId],
  );
  return { managerId, moderationId, deliveryId };
}


export async function benchInnovation(): Promise<string> {
  const db = await openPglite(undefined);
  try {
    await migrate(db);
    const built = performance.now();
    const { managerId, moderationId, deliveryId } = await buildData(db);
    const buildMs = performance.now() - built;
    const token = await startSession(db, managerId);
    const app = await createServer(loadConfig({ LOG_LEVEL: 'silent', DEMO_DATA: 'false' }), db, createMailer(undefined, 'bench@bench.invalid'));
    await app.ready();
    const cookie = `cg_session=${token}`;
    const pages = [
      { what: `Moderation view: ${CASES} cases, ${PANEL} panel members, 4 weighted criteria`, url: `/programmes/${moderationId}/moderation`, expect: 'Weighted mean' },
      { what: `Projects dashboard: ${PROJECTS} projects with milestones and updates`, url: `/programmes/${deliveryId}/projects`, expect: `${PROJECTS} projects` },
    ];
    const rows: string[] = [];
    let allPass = true;
    for (const page of pages) {
      const times: number[] = [];
      for (let i = 0; i < 45; i++) {
        const t = performance.now();
        const response = await app.inject({ method: 'GET', url: page.url, headers: { cookie } });
        const elapsed = performance.now() - t;
        if (response.statusCode !== 200 || !response.body.includes(page.expect)) throw new Error(`${page.url} answered ${response.statusCode}`);
        if (i >= 5) times.push(elapsed); // the first few warm caches and compile templates
      }
      times.sort((a, b) => a - b);
      const p95 = percentile(times, 95);
      const pass = p95 <= TARGET_MS;
      allPass &&= pass;
      rows.push(`| ${page.what} | ${percentile(times, 50).toFixed(1)} ms | ${p95.toFixed(1)} ms | ≤ ${TARGET_MS} ms: ${pass ? 'pass' : 'FAIL'} |`);
    }
    await app.close();
    return [
      '## Innovation programmes',
      '',
      `Each page requested 40 times (after 5 warm-up requests) through app.inject, signed in as a programme manager, on a fresh embedded PGlite. Data built in ${(buildMs / 1000).toFixed(1)} s.`,
      '',
      '| page | median | p95 | target |',
      '| --- | --- | --- | --- |',
      ...rows,
      '',
      allPass ? 'Both pages meet the target.' : 'At least one page misses the target.',
      '',
    ].join('\n');
  } finally {
    await db.close();
  }
}

// Run on its own: node --import tsx bench/innovation.bench.ts
if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await benchInnovation());
}
