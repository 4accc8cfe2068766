import crypto from 'node:crypto';
import type { Queryable } from '../../../platform/db/database.ts';

export type DecisionRow = {
  id: string;
  programme_id: string;
  case_id: string;
  outcome: 'fund_full' | 'fund_part' | 'not_now';
  awarded_pence: number;
  feedback: string;
  source: 'panel' | 'community_vote';
  decided_by: string | null;
  decided_by_name: string | null;
  team_name: string;
  requested_pence: number;
  created_at: Date;
  updated_at: Date;
};

export async function listDecisions(db: Queryable, programmeId: string): Promise<DecisionRow[]> {
  return db.query<DecisionRow>(
    `select d.*, u.name as decided_by_name, t.name as team_name, c.requested_pence
       from investment_decisions d join investment_cases c on c.id = d.case_id join teams t on t.id = c.team_id left join users u on u.id = d.decided_by
      where d.programme_id = $1 order by d.created_at`,
    [programmeId],
  );
}

export async function getDecisionForCase(db: Queryable, caseId: string): Promise<DecisionRow | undefined> {
  return (
    await db.query<DecisionRow>(
      `select d.*, u.name as decided_by_name, t.name as team_name, c.requested_pence
         from investment_decisions d join investment_cases c on c.id = d.case_id join teams t on t.id = c.team_id left join users u on u.id = d.decided_by
        where d.case_id = $1`,
      [caseId],
    )
  )[0];
}

export async function insertDecision(
  db: Queryable,
  d: { programmeId: string; caseId: string; outcome: DecisionRow['outcome']; awardedPence: number; feedback: string; source: DecisionRow['source']; decidedBy: string },
): Promise<string> {
  const id = crypto.randomUUID();
  await db.query(
    'insert into investment_decisions (id, programme_id, case_id, outcome, awarded_pence, feedback, source, decided_by) values ($1, $2, $3, $4, $5, $6, $7, $8)',
    [id, d.programmeId, d.caseId, d.outcome, d.awardedPence, d.feedback, d.source, d.decidedBy],
  );
  return id;
}

export async function updateDecision(db: Queryable, id: string, d: { outcome: DecisionRow['outcome']; awardedPence: number; feedback: string; decidedBy: string }): Promise<void> {
  await db.query('update investment_decisions set outcome = $2, awarded_pence = $3, feedback = $4, decided_by = $5, updated_at = now() where id = $1', [id, d.outcome, d.awardedPence, d.feedback, d.decidedBy]);
}
