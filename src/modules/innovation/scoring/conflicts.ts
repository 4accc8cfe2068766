import type { Queryable } from '../../../platform/db/database.ts';
import { listCriteria, listMembers } from '../programmes/programmes.repository.ts';
import * as repo from './scoring.repository.ts';

/**
 * Conflicts of interest and whether scoring is complete. A panel member is conflicted on a case when
 * they declared it, or automatically when they take part for the same organisation as someone in
 * the case's team. A case's scoring is complete when every panel member without a conflict on it
 * has scored every criterion.
 */

export type Conflict = { conflicted: boolean; automatic: boolean; organisationName: string | null; reason: string };

/** One panel member's conflict on one case (declared or automatic); undefined before they declared and with no automatic one. */
export async function conflictOn(db: Queryable, programmeId: string, caseId: string, userId: string): Promise<Conflict | undefined> {
  const [declared, same] = await Promise.all([repo.getDeclaration(db, caseId, userId), repo.listSameOrganisationConflicts(db, programmeId, { caseId, userId })]);
  if (same.length) return { conflicted: true, automatic: true, organisationName: same[0].organisationName, reason: `You take part for ${same[0].organisationName ?? 'the same organisation'}, as someone in this team does.` };
  if (declared) return { conflicted: declared.conflicted, automatic: false, organisationName: null, reason: declared.reason };
  return undefined;
}

export type CaseScoring = {
  caseId: string;
  complete: boolean;
  /** Panel members who should score it (no conflict), and who of them has scored every criterion. */
  expected: { userId: string; name: string; done: boolean }[];
  conflicts: { userId: string; name: string; automatic: boolean; organisationName: string | null }[];
};

/** Each case's scoring: who is expected to score, who has, and the conflicts (declared and automatic). */
export async function scoringStatus(db: Queryable, programmeId: string): Promise<Map<string, CaseScoring>> {
  const [members, criteria, caseIds, declared, same, counts] = await Promise.all([
    listMembers(db, programmeId),
    listCriteria(db, programmeId),
    repo.listCaseIds(db, programmeId),
    repo.listConflicts(db, programmeId),
    repo.listSameOrganisationConflicts(db, programmeId),
    repo.listScoreCounts(db, programmeId),
  ]);
  const panel = members.filter((m) => m.role === 'panel');
  const status = new Map<string, CaseScoring>();
  for (const caseId of caseIds) {
    const conflicts = new Map<string, CaseScoring['conflicts'][number]>();
    for (const s of same.filter((x) => x.caseId === caseId)) conflicts.set(s.userId, { userId: s.userId, name: s.name, automatic: true, organisationName: s.organisationName });
    for (const d of declared.filter((x) => x.caseId === caseId)) if (!conflicts.has(d.userId)) conflicts.set(d.userId, { userId: d.userId, name: d.name ?? 'Someone', automatic: false, organisationName: null });
    const expected = panel
      .filter((m) => !conflicts.has(m.userId))
      .map((m) => ({ userId: m.userId, name: m.name, done: criteria.length > 0 && (counts.find((c) => c.caseId === caseId && c.userId === m.userId)?.scored ?? 0) >= criteria.length }));
    status.set(caseId, { caseId, complete: expected.length > 0 && expected.every((e) => e.done), expected, conflicts: [...conflicts.values()] });
  }
  return status;
}
