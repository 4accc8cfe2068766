import crypto from 'node:crypto';
import type { Queryable } from '../../../platform/db/database.ts';

export type ProjectRow = {
  id: string;
  programme_id: string;
  case_id: string;
  title: string;
  end_decision: 'scale' | 'adapt' | 'stop' | null;
  learning: string;
  ended_at: Date | null;
  team_id: string;
  team_name: string;
  awarded_pence: number;
  progress_percent: number | null;
  last_update_at: Date | null;
  milestones: number;
  milestones_done: number;
  milestones_overdue: number;
  latest_risks: string | null;
};

export type MilestoneRow = { id: string; project_id: string; title: string; due_on: string; done_on: string | null };
export type UpdateRow = { id: string; project_id: string; progress_percent: number; summary: string; risks: string; created_at: Date; author: string | null };
export type MeasureRow = { id: string; project_id: string; name: string; unit: string; baseline: number; target: number | null; result: number | null };

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
const projectSql = `select p.*, c.team_id, t.name as team_name, d.awarded_pence,
    lu.progress_percent, lu.created_at as last_update_at, lu.risks as latest_risks,
    coalesce(ms.total, 0) as milestones, coalesce(ms.done, 0) as milestones_done, coalesce(ms.overdue, 0) as milestones_overdue
  from projects p
  join investment_cases c on c.id = p.case_id
  join teams t on t.id = c.team_id
  join investment_decisions d on d.case_id = p.case_id
  left join lateral (select u.progress_percent, u.created_at, u.risks from project_updates u where u.project_id = p.id order by u.created_at desc limit 1) lu on true
  left join lateral (select count(*)::int as total, count(m.done_on)::int as done,
      count(*) filter (where m.done_on is null and m.due_on < current_date)::int as overdue
    from project_milestones m where m.project_id = p.id) ms on true`;

export async function listProjects(db: Queryable, programmeId: string): Promise<ProjectRow[]> {
  return db.query<ProjectRow>(`${projectSql} where p.programme_id = $1 order by t.name`, [programmeId]);
}

export async function getProject(db: Queryable, programmeId: string, projectId: string): Promise<ProjectRow | undefined> {
  return (await db.query<ProjectRow>(`${projectSql} where p.programme_id = $1 and p.id = $2`, [programmeId, projectId]))[0];
}

export async function listMilestones(db: Queryable, projectId: string): Promise<MilestoneRow[]> {
  return db.query<MilestoneRow>('select id, project_id, title, due_on, done_on from project_milestones where project_id = $1 order by due_on, title', [projectId]);
}

export async function insertMilestone(db: Queryable, projectId: string, title: string, dueOn: string): Promise<string> {
  const id = crypto.randomUUID();
  await db.query('insert into project_milestones (id, project_id, title, due_on) values ($1, $2, $3, $4)', [id, projectId, title, dueOn]);
  return id;
}

export async function setMilestoneDone(db: Queryable, projectId: string, milestoneId: string, done: boolean): Promise<MilestoneRow | undefined> {
  return (
    await db.query<MilestoneRow>(
      `update project_milestones set done_on = case when $3 then coalesce(done_on, (now() at time zone 'Europe/London')::date) else null end, updated_at = now()
        where id = $2 and project_id = $1 returning id, project_id, title, due_on, done_on`,
      [projectId, milestoneId, done],
    )
  )[0];
}

export async function listUpdates(db: Queryable, projectId: string): Promise<UpdateRow[]> {
  return db.query<UpdateRow>(
    'select u.id, u.project_id, u.progress_percent, u.summary, u.risks, u.created_at, us.name as author from project_updates u left join users us on us.id = u.created_by where u.project_id = $1 order by u.created_at desc',
    [projectId],
  );
}

export async function insertUpdate(db: Queryable, projectId: string, u: { progressPercent: number; summary: string; risks: string }, userId: string): Promise<string> {
  const id = crypto.randomUUID();
  await db.query('insert into project_updates (id, project_id, progress_percent, summary, risks, created_by) values ($1, $2, $3, $4, $5, $6)', [id, projectId, u.progressPercent, u.summary, u.risks, userId]);
  return id;
}

export async function listMeasures(db: Queryable, projectId: string): Promise<MeasureRow[]> {
  return db.query<MeasureRow>('select id, project_id, name, unit, baseline, target, result from evaluation_measures where project_id = $1 order by created_at, name', [projectId]);
}

export async function insertMeasure(db: Queryable, projectId: string, m: { name: string; unit: string; baseline: string; target?: string }): Promise<string> {
  const id = crypto.randomUUID();
  await db.query('insert into evaluation_measures (id, project_id, name, unit, baseline, target) values ($1, $2, $3, $4, $5::numeric, $6::numeric)', [id, projectId, m.name, m.unit, m.baseline, m.target ?? null]);
  return id;
}

export async function setMeasureResult(db: Queryable, projectId: string, measureId: string, result: string): Promise<MeasureRow | undefined> {
  return (
    await db.query<MeasureRow>(
      'update evaluation_measures set result = $3::numeric, updated_at = now() where id = $2 and project_id = $1 returning id, project_id, name, unit, baseline, target, result',
      [projectId, measureId, result],
    )
  )[0];
}

export async function endProject(db: Queryable, projectId: string, endDecision: 'scale' | 'adapt' | 'stop', learning: string): Promise<void> {
  await db.query('update projects set end_decision = $2, learning = $3, ended_at = coalesce(ended_at, now()), updated_at = now() where id = $1', [projectId, endDecision, learning]);
}
