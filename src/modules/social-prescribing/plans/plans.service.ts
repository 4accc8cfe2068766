import crypto from 'node:crypto';
import type { Database } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/actor.ts';
import { refuse } from '../../../platform/refusal.ts';
import * as repo from './plans.repository.ts';
import * as peopleRepo from '../people/people.repository.ts';
import { auditPerson, today, type Clock } from '../people/people.service.ts';
import { caseForTeam } from '../cases/cases.service.ts';

/** "What matters to me", goals in the person's own words, and a plan of who does what by when. */

export async function viewPlan(db: Database, actor: Actor, caseId: string, ip: string | null) {
  const found = await caseForTeam(db, actor, caseId);
  const [person, goals, actions] = await Promise.all([peopleRepo.findPerson(db, found.personId), repo.listGoals(db, caseId), repo.listPlanActions(db, caseId)]);
  await auditPerson(db, actor, 'viewed', found.personId, ip, { part: 'plan', caseId });
  return { case: found, person: person!, goals, actions };
}

export async function saveWhatMatters(db: Database, actor: Actor, caseId: string, text: string, ip: string | null, clock?: Clock): Promise<void> {
  const found = await caseForTeam(db, actor, caseId);
  await db.transaction(async (tx) => {
    await peopleRepo.saveWhatMatters(tx, found.personId, text, today(clock));
    await auditPerson(tx, actor, 'updated', found.personId, ip, { part: 'what_matters', caseId });
  });
}

export async function addGoal(db: Database, actor: Actor, caseId: string, inTheirWords: string, ip: string | null): Promise<void> {
  const found = await caseForTeam(db, actor, caseId);
  const id = crypto.randomUUID();
  await db.transaction(async (tx) => {
    await repo.insertGoal(tx, { id, caseId, inTheirWords });
    await auditPerson(tx, actor, 'goal_added', found.personId, ip, { caseId, goalId: id });
  });
}

/** The goal, if the actor is in its case's team. */
export async function goalForTeam(db: Database, actor: Actor, goalId: string) {
  const goal = await repo.findGoal(db, goalId);
  if (!goal) throw refuse.notFound('Goal');
  return { goal, case: await caseForTeam(db, actor, goal.caseId) };
}

export async function setGoalStatus(db: Database, actor: Actor, goalId: string, status: string, ip: string | null): Promise<string> {
  const { goal, case: found } = await goalForTeam(db, actor, goalId);
  await db.transaction(async (tx) => {
    await repo.setGoalStatus(tx, goalId, status);
    await auditPerson(tx, actor, 'goal_updated', found.personId, ip, { caseId: goal.caseId, goalId, changes: { status: { from: goal.status, to: status } } });
  });
  return goal.caseId;
}

export async function addPlanAction(db: Database, actor: Actor, caseId: string, a: { action: string; who: string; dueOn?: string }, ip: string | null): Promise<void> {
  const found = await caseForTeam(db, actor, caseId);
  const id = crypto.randomUUID();
  await db.transaction(async (tx) => {
    await repo.insertPlanAction(tx, { id, caseId, action: a.action, who: a.who, dueOn: a.dueOn ?? null });
    await auditPerson(tx, actor, 'plan_action_added', found.personId, ip, { caseId, actionId: id });
  });
}

/** The plan's action, if the actor is in its case's team. */
export async function planActionForTeam(db: Database, actor: Actor, actionId: string) {
  const action = await repo.findPlanAction(db, actionId);
  if (!action) throw refuse.notFound('Action');
  return { action, case: await caseForTeam(db, actor, action.caseId) };
}

export async function completePlanAction(db: Database, actor: Actor, actionId: string, ip: string | null, clock?: Clock): Promise<string> {
  const { action, case: found } = await planActionForTeam(db, actor, actionId);
  if (action.doneOn) throw refuse.conflict('form', 'This action is already done');
  await db.transaction(async (tx) => {
    await repo.markPlanActionDone(tx, actionId, today(clock));
    await auditPerson(tx, actor, 'plan_action_done', found.personId, ip, { caseId: action.caseId, actionId });
  });
  return action.caseId;
}
