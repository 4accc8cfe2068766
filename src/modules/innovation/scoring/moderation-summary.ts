import type { Queryable } from '../../../platform/db/database.ts';
import { caseStatistics, type Outlier } from '../moderation.ts';
import { listCriteria } from '../programmes/programmes.repository.ts';
import { listPackedScores, listScoresForCase } from './scoring.repository.ts';

/**
 * The stored moderation figures for each case: worked out by caseStatistics (the one place the
 * rule lives) whenever scores or weights change, read by the moderation view.
 */
export type CaseModerationRow = { case_id: string; scorers: number; weighted_mean: number | null; spread: number | null; lowest: number | null; highest: number | null; outliers: Outlier[] };

async function save(db: Queryable, programmeId: string, caseId: string, stats: ReturnType<typeof caseStatistics>): Promise<void> {
  await db.query(
    `insert into case_moderation (case_id, programme_id, scorers, weighted_mean, spread, lowest, highest, outliers) values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)
     on conflict (case_id) do update set scorers = excluded.scorers, weighted_mean = excluded.weighted_mean, spread = excluded.spread,
       lowest = excluded.lowest, highest = excluded.highest, outliers = excluded.outliers, updated_at = now()`,
    [caseId, programmeId, stats.scorers, stats.weightedMean, stats.spread, stats.lowest, stats.highest, JSON.stringify(stats.outliers)],
  );
}

export async function refreshCaseModeration(db: Queryable, programmeId: string, caseId: string): Promise<void> {
  const [criteria, scores] = await Promise.all([listCriteria(db, programmeId), listScoresForCase(db, caseId)]);
  await save(db, programmeId, caseId, caseStatistics(criteria, scores.map((s) => ({ userId: s.user_id, criterionId: s.criterion_id, score: s.score }))));
}

/** After the criteria or their weights change, every case's figures are worked out again. */
export async function refreshProgrammeModeration(db: Queryable, programmeId: string): Promise<void> {
  const criteria = await listCriteria(db, programmeId);
  const packed = await listPackedScores(db, programmeId);
  const cases = await db.query<{ id: string }>('select id from investment_cases where programme_id = $1', [programmeId]);
  for (const c of cases) await save(db, programmeId, c.id, caseStatistics(criteria, packed.byCase.get(c.id) ?? []));
}

export async function listCaseModeration(db: Queryable, programmeId: string): Promise<Map<string, CaseModerationRow>> {
  const rows = await db.query<CaseModerationRow>('select case_id, scorers, weighted_mean, spread, lowest, highest, outliers from case_moderation where programme_id = $1', [programmeId]);
  return new Map(rows.map((r) => [r.case_id, r]));
}

export type ModerationListRow = CaseModerationRow & { team_name: string; requested_pence: number; awarded_pence: number | null };

/** One row per case with its stored figures and any decision: all the moderation table needs, in one query. */
export async function listModerationRows(db: Queryable, programmeId: string): Promise<ModerationListRow[]> {
  return db.query<ModerationListRow>(
    `select c.id as case_id, t.name as team_name, c.requested_pence, coalesce(m.scorers, 0) as scorers, m.weighted_mean, m.spread, m.lowest, m.highest,
            coalesce(m.outliers, '[]'::jsonb) as outliers, d.awarded_pence
       from investment_cases c join teams t on t.id = c.team_id
       left join case_moderation m on m.case_id = c.id
       left join investment_decisions d on d.case_id = c.id
      where c.programme_id = $1`,
    [programmeId],
  );
}
