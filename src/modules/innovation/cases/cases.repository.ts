import crypto from 'node:crypto';
import type { Queryable } from '../../../platform/db/database.ts';
import type { CaseInput } from '../innovation.schemas.ts';

export type CaseRow = {
  id: string;
  programme_id: string;
  team_id: string;
  team_name: string;
  idea_title: string;
  requested_pence: number;
  summary: string;
  outcomes: string;
  evaluation_plan: string;
  risks: string;
  created_at: Date;
  updated_at: Date;
};
export type BudgetLineRow = { id: string; case_id: string; description: string; amount_pence: number; position: number };

const caseSql = `select c.*, t.name as team_name, i.title as idea_title from investment_cases c join teams t on t.id = c.team_id join ideas i on i.id = t.idea_id`;

export async function listCases(db: Queryable, programmeId: string): Promise<CaseRow[]> {
  return db.query<CaseRow>(`${caseSql} where c.programme_id = $1 order by t.name`, [programmeId]);
}

export async function getCase(db: Queryable, programmeId: string, caseId: string): Promise<CaseRow | undefined> {
  return (await db.query<CaseRow>(`${caseSql} where c.programme_id = $1 and c.id = $2`, [programmeId, caseId]))[0];
}

export async function getCaseForTeam(db: Queryable, teamId: string): Promise<CaseRow | undefined> {
  return (await db.query<CaseRow>(`${caseSql} where c.team_id = $1`, [teamId]))[0];
}

export async function listBudgetLines(db: Queryable, caseIds: string[]): Promise<BudgetLineRow[]> {
  if (!caseIds.length) return [];
  return db.query<BudgetLineRow>('select id, case_id, description, amount_pence, position from case_budget_lines where case_id = any($1::uuid[]) order by case_id, position', [caseIds]);
}

export async function saveCase(db: Queryable, programmeId: string, teamId: string, existingId: string | undefined, c: CaseInput, userId: string): Promise<string> {
  const id = existingId ?? crypto.randomUUID();
  if (existingId) {
    await db.query(
      'update investment_cases set requested_pence = $2, summary = $3, outcomes = $4, evaluation_plan = $5, risks = $6, updated_at = now() where id = $1',
      [id, c.requestedPence, c.summary, c.outcomes, c.evaluationPlan, c.risks],
    );
    await db.query('delete from case_budget_lines where case_id = $1', [id]);
  } else {
    await db.query(
      `insert into investment_cases (id, programme_id, team_id, requested_pence, summary, outcomes, evaluation_plan, risks, submitted_by)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [id, programmeId, teamId, c.requestedPence, c.summary, c.outcomes, c.evaluationPlan, c.risks, userId],
    );
  }
  for (const [i, line] of c.budgetLines.entries()) {
    await db.query('insert into case_budget_lines (id, case_id, description, amount_pence, position) values ($1, $2, $3, $4, $5)', [crypto.randomUUID(), id, line.description, line.amountPence, i + 1]);
  }
  return id;
}

export async function isDecided(db: Queryable, caseId: string): Promise<boolean> {
  return (await db.query('select 1 from investment_decisions where case_id = $1', [caseId])).length > 0;
}

/** Just what a list of many cases needs. */
export async function listCaseHeadlines(db: Queryable, programmeId: string): Promise<{ id: string; team_name: string; requested_pence: number }[]> {
  return db.query('select c.id, t.name as team_name, c.requested_pence from investment_cases c join teams t on t.id = c.team_id where c.programme_id = $1', [programmeId]);
}
