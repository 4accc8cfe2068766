import type { Queryable } from '../../../platform/db/database.ts';
import { caseStatistics } from '../moderation.ts';
import { listCriteria } from '../programmes/programmes.repository.ts';
import { listCaseIds, listPackedScores, listScoresForCase, saveCaseModeration } from './scoring.repository.ts';

/** Works out a case's moderation figures again (caseStatistics is the one place the rule lives) and stores them. */
export async function refreshCaseModeration(db: Queryable, programmeId: string, caseId: string): Promise<void> {
  const [criteria, scores] = await Promise.all([listCriteria(db, programmeId), listScoresForCase(db, caseId)]);
  await saveCaseModeration(db, programmeId, caseId, caseStatistics(criteria, scores));
}

/** After the criteria or their weights change, every case's figures are worked out again. */
export async function refreshProgrammeModeration(db: Queryable, programmeId: string): Promise<void> {
  const criteria = await listCriteria(db, programmeId);
  const packed = await listPackedScores(db, programmeId);
  for (const caseId of await listCaseIds(db, programmeId)) await saveCaseModeration(db, programmeId, caseId, caseStatistics(criteria, packed.byCase.get(caseId) ?? []));
}
