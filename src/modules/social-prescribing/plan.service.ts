import crypto from 'node:crypto';
import type { Database } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { HttpProblem, notFound } from '../../platform/http/errors.ts';
import * as repo from './social-prescribing.repository.ts';
import { auditPerson, caseForTeam, type Clock } from './social-prescribing.service.ts';
import { isUuid } from '../../platform/ids.ts';
import { ukToday } from './dates.ts';

/** "What matters to me", goals in the person's own words, and a plan of who does what by when. */

const today = (clock?: Clock) => ukToday(clock?.now ?? new Date());

export async function viewPlan(db: Database, actor: Actor, caseId: string, ip: string | null) {
  const found = await caseForTeam(db, actor, caseId);
  const [person, goals, actions] = await Promise.all([repo.findPerson(db, found.person_id), repo.listGoals(db, caseId), repo.listPlanActions(db, caseId)]);
  await auditPerson(db, actor, 'viewed', found.person_id, ip, { part: 'plan', caseId });
  return { case: found, person: person!, goals, actions };
}

export async function saveWhatMatters(db: Database, actor: Actor, caseId: string, text: string, ip: string | null, clock?: Clock): Promise<void> {
  const found = await caseForTeam(db, actor, caseId);
  await db.transaction(async (tx) => {
    await repo.saveWhatMatters(tx, found.person_id, text, today(clock));
    await auditPerson(tx, actor, 'updated', found.person_id, ip, { part: 'what_matters', caseId });
  });
}

export async function addGoal(db: Database, actor: Actor, caseId: string, inTheirWords: string, ip: string | null): Promise<void> {
  const found = await caseForTeam(db, actor, caseId);
  const id = crypto.randomUUID();
  await db.transaction(async (tx) => {
    await repo.insertGoal(tx, { id, case_id: caseId, in_their_words: inTheirWords });
    await auditPerson(tx, actor, 'goal_added', found.person_id, ip, { caseId, goalId: id });
  });
}

export async function setGoalStatus(db: Database, actor: Actor, goalId: string, status: string, ip: string | null): Promise<string> {
  if (!isUuid(goalId)) throw notFound('Goal');
  const goal = await repo.findGoal(db, goalId);
  if (!goal) throw notFound('Goal');
  const found = await caseForTeam(db, actor, goal.case_id);
  await db.transaction(async (tx) => {
    await repo.setGoalStatus(tx, goalId, status);
    await auditPerson(tx, actor, 'goal_updated', found.person_id, ip, { caseId: goal.case_id, goalId, changes: { status: { from: goal.status, to: status } } });
  });
  return goal.case_id;
}

export async function addPlanAction(db: Database, actor: Actor, caseId: string, a: { action: string; who: string; dueOn?: string }, ip: string | null): Promise<void> {
  const found = await caseForTeam(db, actor, caseId);
  const id = crypto.randomUUID();
  await db.transaction(async (tx) => {
    await repo.insertPlanAction(tx, { id, case_id: caseId, action: a.action, who: a.who, due_on: a.dueOn ?? null });
    await auditPerson(tx, actor, 'plan_action_added', found.person_id, ip, { caseId, actionId: id });
  });
}

export async function completePlanAction(db: Database, actor: Actor, actionId: string, ip: string | null, clock?: Clock): Promise<string> {
  if (!isUuid(actionId)) throw notFound('Action');
  const action = await repo.findPlanAction(db, actionId);
  if (!action) throw notFound('Action');
  const found = await caseForTeam(db, actor, action.case_id);
  if (action.done_on) throw new HttpProblem(409, 'This action is already done');
  await db.transaction(async (tx) => {
    await repo.markPlanActionDone(tx, actionId, today(clock));
    await auditPerson(tx, actor, 'plan_action_done', found.person_id, ip, { caseId: action.case_id, actionId });
  });
  return action.case_id;
}
