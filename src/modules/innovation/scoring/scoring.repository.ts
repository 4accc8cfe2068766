import crypto from 'node:crypto';
import type { Queryable } from '../../../platform/db/database.ts';

import type { Outlier } from '../moderation.ts';

export type Declaration = { caseId: string; userId: string; conflicted: boolean; reason: string; name?: string };
export type Score = { caseId: string; userId: string; criterionId: string; score: number; comment: string };

const declarationColumns = 'd.case_id as "caseId", d.user_id as "userId", d.conflicted, d.reason';
const scoreColumns = 's.case_id as "caseId", s.user_id as "userId", s.criterion_id as "criterionId", s.score, s.comment';

export async function listDeclarationsBy(db: Queryable, programmeId: string, userId: string): Promise<Declaration[]> {
  return db.query<Declaration>(
    `select ${declarationColumns} from conflict_declarations d join investment_cases c on c.id = d.case_id where c.programme_id = $1 and d.user_id = $2`,
    [programmeId, userId],
  );
}

export async function getDeclaration(db: Queryable, caseId: string, userId: string): Promise<Declaration | undefined> {
  return (await db.query<Declaration>(`select ${declarationColumns} from conflict_declarations d where d.case_id = $1 and d.user_id = $2`, [caseId, userId]))[0];
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

export async function listScoresForCase(db: Queryable, caseId: string): Promise<Score[]> {
  return db.query<Score>(`select ${scoreColumns} from case_scores s where s.case_id = $1`, [caseId]);
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
    await db.query<{ userId: string }>(
      'select distinct s.user_id as "userId" from case_scores s join investment_cases c on c.id = s.case_id where c.programme_id = $1 order by s.user_id',
      [programmeId],
    )
  ).map((r) => r.userId);
  const criteria = (await db.query<{ id: string }>('select id from programme_criteria where programme_id = $1 order by id', [programmeId])).map((r) => r.id);
  const rows = await db.query<{ caseId: string; packed: string }>(
    `with u as (select user_id, (row_number() over (order by user_id))::int - 1 as n from unnest($2::uuid[]) as user_id),
          k as (select id, (row_number() over (order by id))::int - 1 as n from programme_criteria where programme_id = $1)
     select s.case_id as "caseId", string_agg(u.n || ':' || k.n || ':' || s.score, ',') as packed
       from case_scores s join investment_cases c on c.id = s.case_id join u on u.user_id = s.user_id join k on k.id = s.criterion_id
      where c.programme_id = $1 group by s.case_id`,
    [programmeId, scorers],
  );
  const byCase = new Map<string, { userId: string; criterionId: string; score: number }[]>();
  for (const row of rows) {
    byCase.set(
      row.caseId,
      row.packed.split(',').map((item) => {
        const [u, k, s] = item.split(':');
        return { userId: scorers[Number(u)], criterionId: criteria[Number(k)], score: Number(s) };
      }),
    );
  }
  return { scorers, criteria, byCase };
}

export async function listConflicts(db: Queryable, programmeId: string): Promise<Declaration[]> {
  return db.query<Declaration>(
    `select ${declarationColumns}, u.name from conflict_declarations d join investment_cases c on c.id = d.case_id join users u on u.id = d.user_id
      where c.programme_id = $1 and d.conflicted`,
    [programmeId],
  );
}

/**
 * The stored moderation figures for each case: worked out by caseStatistics (the one place the
 * rule lives) whenever scores or weights change, read by the moderation view.
 */
export type CaseModeration = { caseId: string; scorers: number; weightedMean: number | null; spread: number | null; lowest: number | null; highest: number | null; outliers: Outlier[] };

export async function saveCaseModeration(db: Queryable, programmeId: string, caseId: string, stats: Omit<CaseModeration, 'caseId'>): Promise<void> {
  await db.query(
    `insert into case_moderation (case_id, programme_id, scorers, weighted_mean, spread, lowest, highest, outliers) values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)
     on conflict (case_id) do update set scorers = excluded.scorers, weighted_mean = excluded.weighted_mean, spread = excluded.spread,
       lowest = excluded.lowest, highest = excluded.highest, outliers = excluded.outliers, updated_at = now()`,
    [caseId, programmeId, stats.scorers, stats.weightedMean, stats.spread, stats.lowest, stats.highest, JSON.stringify(stats.outliers)],
  );
}

export async function listCaseIds(db: Queryable, programmeId: string): Promise<string[]> {
  return (await db.query<{ id: string }>('select id from investment_cases where programme_id = $1', [programmeId])).map((r) => r.id);
}

export type ModerationListItem = CaseModeration & { teamName: string; requestedPence: number; awardedPence: number | null };

/** One row per case with its stored figures and any decision: all the moderation table needs, in one query. */
export async function listModerationRows(db: Queryable, programmeId: string): Promise<ModerationListItem[]> {
  return db.query<ModerationListItem>(
    `select c.id as "caseId", t.name as "teamName", c.requested_pence as "requestedPence", coalesce(m.scorers, 0) as scorers, m.weighted_mean as "weightedMean",
            m.spread, m.lowest, m.highest, coalesce(m.outliers, '[]'::jsonb) as outliers, d.awarded_pence as "awardedPence"
       from investment_cases c join teams t on t.id = c.team_id
       left join case_moderation m on m.case_id = c.id
       left join investment_decisions d on d.case_id = c.id
      where c.programme_id = $1`,
    [programmeId],
  );
}

export type SameOrganisation = { caseId: string; userId: string; name: string; organisationName: string | null };

/**
 * Panel members who take part for the same organisation as someone in a case's team: a conflict
 * of interest found automatically, whatever they declared.
 */
export async function listSameOrganisationConflicts(db: Queryable, programmeId: string, filter: { caseId?: string; userId?: string } = {}): Promise<SameOrganisation[]> {
  return db.query<SameOrganisation>(
    `select distinct c.id as "caseId", pm.user_id as "userId", u.name, o.name as "organisationName"
       from investment_cases c
       join team_members tm on tm.team_id = c.team_id
       join programme_members pm on pm.programme_id = c.programme_id and pm.role = 'panel' and pm.organisation_id = tm.organisation_id
       join users u on u.id = pm.user_id
       left join organisations o on o.id = pm.organisation_id
      where c.programme_id = $1 and ($2::uuid is null or c.id = $2) and ($3::uuid is null or pm.user_id = $3)`,
    [programmeId, filter.caseId ?? null, filter.userId ?? null],
  );
}

/** How many criteria each panel member has scored on each case of the programme. */
export async function listScoreCounts(db: Queryable, programmeId: string): Promise<{ caseId: string; userId: string; scored: number }[]> {
  return db.query<{ caseId: string; userId: string; scored: number }>(
    `select s.case_id as "caseId", s.user_id as "userId", count(*)::int as scored
       from case_scores s join investment_cases c on c.id = s.case_id where c.programme_id = $1 group by s.case_id, s.user_id`,
    [programmeId],
  );
}
