import crypto from 'node:crypto';
import type { Queryable } from '../../../platform/db/database.ts';
import type { CaseInput } from './cases.schemas.ts';

export type InvestmentCase = {
  id: string;
  programmeId: string;
  teamId: string;
  teamName: string;
  ideaTitle: string;
  requestedPence: number;
  summary: string;
  outcomes: string;
  evaluationPlan: string;
  risks: string;
  createdAt: Date;
  updatedAt: Date;
};
export type BudgetLine = { id: string; caseId: string; description: string; amountPence: number; position: number };

const caseSql = `select c.id, c.programme_id as "programmeId", c.team_id as "teamId", t.name as "teamName", i.title as "ideaTitle", c.requested_pence as "requestedPence",
    c.summary, c.outcomes, c.evaluation_plan as "evaluationPlan", c.risks, c.created_at as "createdAt", c.updated_at as "updatedAt"
  from investment_cases c join teams t on t.id = c.team_id join ideas i on i.id = t.idea_id`;

export async function listCases(db: Queryable, programmeId: string): Promise<InvestmentCase[]> {
  return db.query<InvestmentCase>(`${caseSql} where c.programme_id = $1 order by t.name`, [programmeId]);
}

export async function getCase(db: Queryable, programmeId: string, caseId: string): Promise<InvestmentCase | undefined> {
  return (await db.query<InvestmentCase>(`${caseSql} where c.programme_id = $1 and c.id = $2`, [programmeId, caseId]))[0];
}

export async function getCaseForTeam(db: Queryable, teamId: string): Promise<InvestmentCase | undefined> {
  return (await db.query<InvestmentCase>(`${caseSql} where c.team_id = $1`, [teamId]))[0];
}

export async function listBudgetLines(db: Queryable, caseIds: string[]): Promise<BudgetLine[]> {
  if (!caseIds.length) return [];
  return db.query<BudgetLine>('select id, case_id as "caseId", description, amount_pence as "amountPence", position from case_budget_lines where case_id = any($1::uuid[]) order by case_id, position', [caseIds]);
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

export type CaseDraft = { fields: Record<string, string>; savedAt: Date; savedByName: string | null };

/** A team's draft case, as typed. */
export async function getDraft(db: Queryable, teamId: string): Promise<CaseDraft | undefined> {
  return (
    await db.query<CaseDraft>(
      `select d.fields, d.saved_at as "savedAt", u.name as "savedByName" from investment_case_drafts d left join users u on u.id = d.saved_by where d.team_id = $1`,
      [teamId],
    )
  )[0];
}

export async function saveDraft(db: Queryable, programmeId: string, teamId: string, fields: Record<string, string>, userId: string): Promise<void> {
  await db.query(
    `insert into investment_case_drafts (team_id, programme_id, fields, saved_by, saved_at) values ($1, $2, $3::jsonb, $4, now())
     on conflict (team_id) do update set fields = excluded.fields, saved_by = excluded.saved_by, saved_at = now()`,
    [teamId, programmeId, JSON.stringify(fields), userId],
  );
}

export async function deleteDraft(db: Queryable, teamId: string): Promise<void> {
  await db.query('delete from investment_case_drafts where team_id = $1', [teamId]);
}
