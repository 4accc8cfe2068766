import crypto from 'node:crypto';
import type { Queryable } from '../../../platform/db/database.ts';

export type Project = {
  id: string;
  programmeId: string;
  caseId: string;
  title: string;
  endDecision: 'scale' | 'adapt' | 'stop' | null;
  learning: string;
  endedAt: Date | null;
  teamId: string;
  teamName: string;
  awardedPence: number;
  progressPercent: number | null;
  lastUpdateAt: Date | null;
  milestones: number;
  milestonesDone: number;
  milestonesOverdue: number;
  latestRisks: string | null;
};

export type Milestone = { id: string; projectId: string; title: string; dueOn: string; doneOn: string | null };
export type ProjectUpdate = { id: string; projectId: string; progressPercent: number; summary: string; risks: string; createdAt: Date; author: string | null };
export type Measure = { id: string; projectId: string; name: string; unit: string; baseline: number; target: number | null; result: number | null };

const milestoneColumns = 'id, project_id as "projectId", title, due_on as "dueOn", done_on as "doneOn"';
const measureColumns = 'id, project_id as "projectId", name, unit, baseline, target, result';

export async function ensureProject(db: Queryable, programmeId: string, caseId: string, title: string): Promise<void> {
  await db.query('insert into projects (id, programme_id, case_id, title) values ($1, $2, $3, $4) on conflict (case_id) do nothing', [crypto.randomUUID(), programmeId, caseId, title]);
}

/** Removes a project that has nothing recorded yet; false if it has milestones, updates or measures. */
export async function deleteEmptyProject(db: Queryable, caseId: string): Promise<boolean> {
  const project = (await db.query<{ id: string }>('select id from projects where case_id = $1', [caseId]))[0];
  if (!project) return true;
  const used = await db.query(
    `select 1 from project_milestones where project_id = $1 union all select 1 from project_updates where project_id = $1
     union all select 1 from evaluation_measures where project_id = $1 limit 1`,
    [project.id],
  );
  if (used.length) return false;
  await db.query('delete from projects where id = $1', [project.id]);
  return true;
}

// One query for the whole dashboard: latest update and milestone counts per project.
const projectSql = `select p.id, p.programme_id as "programmeId", p.case_id as "caseId", p.title, p.end_decision as "endDecision", p.learning, p.ended_at as "endedAt",
    c.team_id as "teamId", t.name as "teamName", d.awarded_pence as "awardedPence",
    lu.progress_percent as "progressPercent", lu.created_at as "lastUpdateAt", lu.risks as "latestRisks",
    coalesce(ms.total, 0) as milestones, coalesce(ms.done, 0) as "milestonesDone", coalesce(ms.overdue, 0) as "milestonesOverdue"
  from projects p
  join investment_cases c on c.id = p.case_id
  join teams t on t.id = c.team_id
  join investment_decisions d on d.case_id = p.case_id
  left join lateral (select u.progress_percent, u.created_at, u.risks from project_updates u where u.project_id = p.id order by u.created_at desc limit 1) lu on true
  left join lateral (select count(*)::int as total, count(m.done_on)::int as done,
      count(*) filter (where m.done_on is null and m.due_on < current_date)::int as overdue
    from project_milestones m where m.project_id = p.id) ms on true`;

export async function listProjects(db: Queryable, programmeId: string): Promise<Project[]> {
  return db.query<Project>(`${projectSql} where p.programme_id = $1 order by t.name`, [programmeId]);
}

export async function getProject(db: Queryable, programmeId: string, projectId: string): Promise<Project | undefined> {
  return (await db.query<Project>(`${projectSql} where p.programme_id = $1 and p.id = $2`, [programmeId, projectId]))[0];
}

export async function listMilestones(db: Queryable, projectId: string): Promise<Milestone[]> {
  return db.query<Milestone>(`select ${milestoneColumns} from project_milestones where project_id = $1 order by due_on, title`, [projectId]);
}

export async function insertMilestone(db: Queryable, projectId: string, title: string, dueOn: string): Promise<string> {
  const id = crypto.randomUUID();
  await db.query('insert into project_milestones (id, project_id, title, due_on) values ($1, $2, $3, $4)', [id, projectId, title, dueOn]);
  return id;
}

export async function setMilestoneDone(db: Queryable, projectId: string, milestoneId: string, done: boolean): Promise<Milestone | undefined> {
  return (
    await db.query<Milestone>(
      `update project_milestones set done_on = case when $3 then coalesce(done_on, (now() at time zone 'Europe/London')::date) else null end, updated_at = now()
        where id = $2 and project_id = $1 returning ${milestoneColumns}`,
      [projectId, milestoneId, done],
    )
  )[0];
}

export async function listUpdates(db: Queryable, projectId: string): Promise<ProjectUpdate[]> {
  return db.query<ProjectUpdate>(
    'select u.id, u.project_id as "projectId", u.progress_percent as "progressPercent", u.summary, u.risks, u.created_at as "createdAt", us.name as author from project_updates u left join users us on us.id = u.created_by where u.project_id = $1 order by u.created_at desc',
    [projectId],
  );
}

export async function insertUpdate(db: Queryable, projectId: string, u: { progressPercent: number; summary: string; risks: string }, userId: string): Promise<string> {
  const id = crypto.randomUUID();
  await db.query('insert into project_updates (id, project_id, progress_percent, summary, risks, created_by) values ($1, $2, $3, $4, $5, $6)', [id, projectId, u.progressPercent, u.summary, u.risks, userId]);
  return id;
}

export async function listMeasures(db: Queryable, projectId: string): Promise<Measure[]> {
  return db.query<Measure>(`select ${measureColumns} from evaluation_measures where project_id = $1 order by created_at, name`, [projectId]);
}

export async function insertMeasure(db: Queryable, projectId: string, m: { name: string; unit: string; baseline: string; target?: string }): Promise<string> {
  const id = crypto.randomUUID();
  await db.query('insert into evaluation_measures (id, project_id, name, unit, baseline, target) values ($1, $2, $3, $4, $5::numeric, $6::numeric)', [id, projectId, m.name, m.unit, m.baseline, m.target ?? null]);
  return id;
}

export async function setMeasureResult(db: Queryable, projectId: string, measureId: string, result: string): Promise<Measure | undefined> {
  return (
    await db.query<Measure>(
      `update evaluation_measures set result = $3::numeric, updated_at = now() where id = $2 and project_id = $1 returning ${measureColumns}`,
      [projectId, measureId, result],
    )
  )[0];
}

export async function endProject(db: Queryable, projectId: string, endDecision: 'scale' | 'adapt' | 'stop', learning: string): Promise<void> {
  await db.query('update projects set end_decision = $2, learning = $3, ended_at = coalesce(ended_at, now()), updated_at = now() where id = $1', [projectId, endDecision, learning]);
}
