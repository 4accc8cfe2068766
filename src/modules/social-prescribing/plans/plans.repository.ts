import type { Queryable } from '../../../platform/db/database.ts';
import { camelRow, camelRows } from '../rows.ts';

/** Goals in the person's own words and the plan of who does what by when, on a case. */

export type Goal = { id: string; caseId: string; inTheirWords: string; status: string; createdAt: Date };
type PlanAction = { id: string; caseId: string; action: string; who: string; dueOn: string | null; doneOn: string | null };

export async function listGoals(db: Queryable, caseId: string): Promise<Goal[]> {
  return camelRows<Goal>(await db.query('select id, case_id, in_their_words, status, created_at from sp_goals where case_id = $1 order by created_at', [caseId]));
}
export async function findGoal(db: Queryable, id: string): Promise<Goal | null> {
  const [row] = await db.query('select id, case_id, in_their_words, status, created_at from sp_goals where id = $1', [id]);
  return row ? camelRow<Goal>(row) : null;
}
export async function insertGoal(db: Queryable, g: { id: string; caseId: string; inTheirWords: string }): Promise<void> {
  await db.query('insert into sp_goals (id, case_id, in_their_words) values ($1, $2, $3)', [g.id, g.caseId, g.inTheirWords]);
}
export async function setGoalStatus(db: Queryable, id: string, status: string): Promise<void> {
  await db.query('update sp_goals set status = $2, updated_at = now() where id = $1', [id, status]);
}
export async function listPlanActions(db: Queryable, caseId: string): Promise<PlanAction[]> {
  return camelRows<PlanAction>(await db.query('select id, case_id, action, who, due_on, done_on from sp_plan_actions where case_id = $1 order by done_on nulls first, due_on nulls last, created_at', [caseId]));
}
export async function findPlanAction(db: Queryable, id: string): Promise<PlanAction | null> {
  const [row] = await db.query('select id, case_id, action, who, due_on, done_on from sp_plan_actions where id = $1', [id]);
  return row ? camelRow<PlanAction>(row) : null;
}
export async function insertPlanAction(db: Queryable, a: { id: string; caseId: string; action: string; who: string; dueOn: string | null }): Promise<void> {
  await db.query('insert into sp_plan_actions (id, case_id, action, who, due_on) values ($1, $2, $3, $4, $5)', [a.id, a.caseId, a.action, a.who, a.dueOn]);
}
export async function markPlanActionDone(db: Queryable, id: string, on: string): Promise<void> {
  await db.query('update sp_plan_actions set done_on = $2, updated_at = now() where id = $1', [id, on]);
}
