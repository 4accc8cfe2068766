import crypto from 'node:crypto';
import type { Queryable } from '../../../platform/db/database.ts';

export type Decision = {
  id: string;
  programmeId: string;
  caseId: string;
  outcome: 'fund_full' | 'fund_part' | 'not_now';
  awardedPence: number;
  feedback: string;
  source: 'panel' | 'community_vote';
  decidedBy: string | null;
  decidedByName: string | null;
  teamName: string;
  requestedPence: number;
  createdAt: Date;
  updatedAt: Date;
};

const decisionSql = `select d.id, d.programme_id as "programmeId", d.case_id as "caseId", d.outcome, d.awarded_pence as "awardedPence", d.feedback, d.source,
    d.decided_by as "decidedBy", u.name as "decidedByName", t.name as "teamName", c.requested_pence as "requestedPence",
    d.created_at as "createdAt", d.updated_at as "updatedAt"
  from investment_decisions d join investment_cases c on c.id = d.case_id join teams t on t.id = c.team_id left join users u on u.id = d.decided_by`;

export async function listDecisions(db: Queryable, programmeId: string): Promise<Decision[]> {
  return db.query<Decision>(
    `${decisionSql} where d.programme_id = $1 order by d.created_at`,
    [programmeId],
  );
}

export async function getDecisionForCase(db: Queryable, caseId: string): Promise<Decision | undefined> {
  return (
    await db.query<Decision>(
      `${decisionSql} where d.case_id = $1`,
      [caseId],
    )
  )[0];
}

export async function insertDecision(
  db: Queryable,
  d: { programmeId: string; caseId: string; outcome: Decision['outcome']; awardedPence: number; feedback: string; source: Decision['source']; decidedBy: string },
): Promise<string> {
  const id = crypto.randomUUID();
  await db.query(
    'insert into investment_decisions (id, programme_id, case_id, outcome, awarded_pence, feedback, source, decided_by) values ($1, $2, $3, $4, $5, $6, $7, $8)',
    [id, d.programmeId, d.caseId, d.outcome, d.awardedPence, d.feedback, d.source, d.decidedBy],
  );
  return id;
}

export async function updateDecision(db: Queryable, id: string, d: { outcome: Decision['outcome']; awardedPence: number; feedback: string; decidedBy: string }): Promise<void> {
  await db.query('update investment_decisions set outcome = $2, awarded_pence = $3, feedback = $4, decided_by = $5, updated_at = now() where id = $1', [id, d.outcome, d.awardedPence, d.feedback, d.decidedBy]);
}

/** A funded decision as another module needs it to make a grant: amount, programme, team, its organisation and budget. */
export type FundedDecision = {
  id: string;
  programmeName: string;
  teamName: string;
  organisationId: string | null;
  awardedPence: number;
  summary: string;
  budgetLines: { description: string; amountPence: number }[];
};

export async function fundedDecision(db: Queryable, decisionId: string): Promise<FundedDecision | undefined> {
  const found = (
    await db.query<Omit<FundedDecision, 'budgetLines'> & { caseId: string }>(
      `select d.id, p.name as "programmeName", t.name as "teamName", d.awarded_pence as "awardedPence", c.summary, c.id as "caseId",
         coalesce(i.organisation_id, (select tm.organisation_id from team_members tm where tm.team_id = t.id and tm.organisation_id is not null order by tm.created_at limit 1)) as "organisationId"
       from investment_decisions d join programmes p on p.id = d.programme_id join investment_cases c on c.id = d.case_id
         join teams t on t.id = c.team_id join ideas i on i.id = t.idea_id
       where d.id = $1 and d.awarded_pence > 0`,
      [decisionId],
    )
  )[0];
  if (!found) return undefined;
  const { caseId, ...decision } = found;
  const budgetLines = await db.query<{ description: string; amountPence: number }>(
    `select description, amount_pence as "amountPence" from case_budget_lines where case_id = $1 order by position`,
    [caseId],
  );
  return { ...decision, budgetLines };
}

/** Every funded decision, newest first: what another module may turn into grants. */
export async function fundedDecisions(db: Queryable): Promise<{ id: string; programmeName: string; teamName: string; awardedPence: number }[]> {
  return db.query(
    `select d.id, p.name as "programmeName", t.name as "teamName", d.awarded_pence as "awardedPence"
     from investment_decisions d join programmes p on p.id = d.programme_id join investment_cases c on c.id = d.case_id join teams t on t.id = c.team_id
     where d.awarded_pence > 0 order by d.created_at desc limit 200`,
  );
}
