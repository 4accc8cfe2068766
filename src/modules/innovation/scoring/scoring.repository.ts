import crypto from 'node:crypto';
import type { Queryable } from '../../../platform/db/database.ts';

export type DeclarationRow = { case_id: string; user_id: string; conflicted: boolean; reason: string; name?: string };
export type ScoreRow = { case_id: string; user_id: string; criterion_id: string; score: number; comment: string };

export async function listDeclarationsBy(db: Queryable, programmeId: string, userId: string): Promise<DeclarationRow[]> {
  return db.query<DeclarationRow>(
    'select d.case_id, d.user_id, d.conflicted, d.reason from conflict_declarations d join investment_cases c on c.id = d.case_id where c.programme_id = $1 and d.user_id = $2',
    [programmeId, userId],
  );
}

export async function listDeclarations(db: Queryable, programmeId: string): Promise<DeclarationRow[]> {
  return db.query<DeclarationRow>(
    `select d.case_id, d.user_id, d.conflicted, d.reason, u.name from conflict_declarations d join investment_cases c on c.id = d.case_id join users u on u.id = d.user_id
      where c.programme_id = $1`,
    [programmeId],
  );
}

export async function getDeclaration(db: Queryable, caseId: string, userId: string): Promise<DeclarationRow | undefined> {
  return (await db.query<DeclarationRow>('select case_id, user_id, conflicted, reason from conflict_declarations where case_id = $1 and user_id = $2', [caseId, userId]))[0];
}

export async function upsertDeclaration(db: Queryable, caseId: string, userId: string, conflicted: boolean, reason: string): Promise<void> {
  await db.query(
    `insert into conflict_declarations (id, case_id, user_id, conflicted, reason) values ($1, $2, $3, $4, $5)
     on conflict (case_id, user_id) do update set conflicted = excluded.conflicted, reason = excluded.reason, updated_at = now()`,
    [crypto.randomUUID(), caseId, userId, conflicted, reason],
  );
}

export async function deleteScoresBy(db: Queryable, caseId: string, userId: string): Promise<number> {
  return (await db.query('delete from case_scores where case_id = $1 and user_id = $2 returning id', [caseId, userId])).length;
}

export async function listScoresForCase(db: Queryable, caseId: string): Promise<ScoreRow[]> {
  return db.query<ScoreRow>('select case_id, user_id, criterion_id, score, comment from case_scores where case_id = $1', [caseId]);
}

export async function listScores(db: Queryable, programmeId: string): Promise<ScoreRow[]> {
  return db.query<ScoreRow>(
    'select s.case_id, s.user_id, s.criterion_id, s.score, s.comment from case_scores s join investment_cases c on c.id = s.case_id where c.programme_id = $1',
    [programmeId],
  );
}

export async function upsertScore(db: Queryable, caseId: string, userId: string, criterionId: string, score: number, comment: string): Promise<void> {
  await db.query(
    `insert into case_scores (id, case_id, user_id, criterion_id, score, comment) values ($1, $2, $3, $4, $5, $6)
     on conflict (case_id, user_id, criterion_id) do update set score = excluded.score, comment = excluded.comment, updated_at = now()`,
    [crypto.randomUUID(), caseId, userId, criterionId, score, comment],
  );
}

/**
 * Every score in a programme, packed one row per case ("member:criterion:score,…" with small
 * numbers standing for members and criteria), so the moderation view of hundreds of cases reads
 * a few hundred short rows instead of thousands.
 */
export async function listPackedScores(db: Queryable, programmeId: string): Promise<{ scorers: string[]; criteria: string[]; byCase: Map<string, { userId: string; criterionId: string; score: number }[]> }> {
  const scorers = (
    await db.query<{ user_id: string }>(
      'select distinct s.user_id from case_scores s join investment_cases c on c.id = s.case_id where c.programme_id = $1 order by s.user_id',
      [programmeId],
    )
  ).map((r) => r.user_id);
  const criteria = (await db.query<{ id: string }>('select id from programme_criteria where programme_id = $1 order by id', [programmeId])).map((r) => r.id);
  const rows = await db.query<{ case_id: string; packed: string }>(
    `with u as (select user_id, (row_number() over (order by user_id))::int - 1 as n from unnest($2::uuid[]) as user_id),
          k as (select id, (row_number() over (order by id))::int - 1 as n from programme_criteria where programme_id = $1)
     select s.case_id, string_agg(u.n || ':' || k.n || ':' || s.score, ',') as packed
       from case_scores s join investment_cases c on c.id = s.case_id join u on u.user_id = s.user_id join k on k.id = s.criterion_id
      where c.programme_id = $1 group by s.case_id`,
    [programmeId, scorers],
  );
  const byCase = new Map<string, { userId: string; criterionId: string; score: number }[]>();
  for (const row of rows) {
    byCase.set(
      row.case_id,
      row.packed.split(',').map((item) => {
        const [u, k, s] = item.split(':');
        return { userId: scorers[Number(u)], criterionId: criteria[Number(k)], score: Number(s) };
      }),
    );
  }
  return { scorers, criteria, byCase };
}

export async function listConflicts(db: Queryable, programmeId: string): Promise<DeclarationRow[]> {
  return db.query<DeclarationRow>(
    `select d.case_id, d.user_id, d.conflicted, d.reason, u.name from conflict_declarations d join investment_cases c on c.id = d.case_id join users u on u.id = d.user_id
      where c.programme_id = $1 and d.conflicted`,
    [programmeId],
  );
}
