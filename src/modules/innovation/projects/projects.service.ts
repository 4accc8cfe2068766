import { recordAudit } from '../../../platform/audit.ts';
import type { Database } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/actor.ts';
import { refuse } from '../../../platform/refusal.ts';
import { canActForTeam, type ProgrammeAccess } from '../innovation.policy.ts';
import type { Programme } from '../programmes/programmes.repository.ts';
import { requireManager, requireStage, type ProgrammeContext } from '../programmes/programmes.service.ts';
import * as repo from './projects.repository.ts';

export async function loadProject(db: Database, programmeId: string, projectId: string) {
  const project = await repo.getProject(db, programmeId, projectId);
  if (!project) throw refuse.notFound('Project');
  return project;
}

/** A project's page: the project, its milestones, updates and measures, and whether the actor may update it. */
export async function projectPage(db: Database, ctx: ProgrammeContext, projectId: string) {
  const project = await loadProject(db, ctx.programme.id, projectId);
  const [milestones, updates, measures] = await Promise.all([repo.listMilestones(db, projectId), repo.listUpdates(db, projectId), repo.listMeasures(db, projectId)]);
  return { project, milestones, updates, measures, canUpdate: canActForTeam(ctx.access, project.teamId) && !project.endDecision };
}

/** The team runs its test of change; the managers can help keep it up to date. */
async function projectForTeam(db: Database, access: ProgrammeAccess, programme: Programme, projectId: string) {
  const project = await loadProject(db, programme.id, projectId);
  if (!canActForTeam(access, project.teamId)) throw refuse.forbidden('Only the team’s members and the programme’s managers can update this project.');
  requireStage(programme, 'run_projects');
  if (project.endDecision) throw refuse.conflict('form', 'This project has ended, so it can no longer be changed.');
  return project;
}

export async function addMilestone(db: Database, actor: Actor, access: ProgrammeAccess, programme: Programme, projectId: string, m: { title: string; dueOn: string }, ip?: string) {
  await projectForTeam(db, access, programme, projectId);
  await db.transaction(async (tx) => {
    const id = await repo.insertMilestone(tx, projectId, m.title, m.dueOn);
    await recordAudit(tx, { actor, action: 'created', recordType: 'project_milestone', recordId: id, ip, details: { project_id: projectId, title: m.title, due_on: m.dueOn } });
  });
}

export async function markMilestone(db: Database, actor: Actor, access: ProgrammeAccess, programme: Programme, projectId: string, milestoneId: string, done: boolean, ip?: string) {
  await projectForTeam(db, access, programme, projectId);
  await db.transaction(async (tx) => {
    const m = await repo.setMilestoneDone(tx, projectId, milestoneId, done);
    if (!m) throw refuse.notFound('Milestone');
    await recordAudit(tx, { actor, action: done ? 'completed' : 'reopened', recordType: 'project_milestone', recordId: milestoneId, ip, details: { project_id: projectId, done_on: m.doneOn } });
  });
}

export async function addUpdate(db: Database, actor: Actor, access: ProgrammeAccess, programme: Programme, projectId: string, u: { progressPercent: number; summary: string; risks: string }, ip?: string) {
  await projectForTeam(db, access, programme, projectId);
  await db.transaction(async (tx) => {
    const id = await repo.insertUpdate(tx, projectId, u, actor.userId);
    await recordAudit(tx, { actor, action: 'created', recordType: 'project_update', recordId: id, ip, details: { project_id: projectId, progress_percent: u.progressPercent } });
  });
}

export async function addMeasure(db: Database, actor: Actor, access: ProgrammeAccess, programme: Programme, projectId: string, m: { name: string; unit: string; baseline: string; target?: string }, ip?: string) {
  await projectForTeam(db, access, programme, projectId);
  await db.transaction(async (tx) => {
    const id = await repo.insertMeasure(tx, projectId, m);
    await recordAudit(tx, { actor, action: 'created', recordType: 'evaluation_measure', recordId: id, ip, details: { project_id: projectId, ...m } });
  });
}

export async function recordResult(db: Database, actor: Actor, access: ProgrammeAccess, programme: Programme, projectId: string, measureId: string, result: string, ip?: string) {
  await projectForTeam(db, access, programme, projectId);
  await db.transaction(async (tx) => {
    const m = await repo.setMeasureResult(tx, projectId, measureId, result);
    if (!m) throw refuse.notFound('Measure');
    await recordAudit(tx, { actor, action: 'result_recorded', recordType: 'evaluation_measure', recordId: measureId, ip, details: { project_id: projectId, result } });
  });
}

/** The end decision: scale, adapt or stop, with what was learned. */
export async function endProject(db: Database, actor: Actor, access: ProgrammeAccess, programme: Programme, projectId: string, e: { endDecision: 'scale' | 'adapt' | 'stop'; learning: string }, ip?: string) {
  requireManager(access);
  requireStage(programme, 'end_project');
  const before = await loadProject(db, programme.id, projectId);
  await db.transaction(async (tx) => {
    await repo.endProject(tx, projectId, e.endDecision, e.learning);
    await recordAudit(tx, { actor, action: before.endDecision ? 'updated' : 'ended', recordType: 'project', recordId: projectId, ip, details: { end_decision: { from: before.endDecision, to: e.endDecision } } });
  });
}

/** Progress rounded to the nearest 10% for the bar's width class. */
export const progressStep = (percent: number | null) => Math.min(100, Math.max(0, Math.round((percent ?? 0) / 10) * 10));
