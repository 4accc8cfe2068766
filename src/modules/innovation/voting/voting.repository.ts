import crypto from 'node:crypto';
import type { Queryable } from '../../../platform/db/database.ts';

export async function updateVoteSettings(db: Queryable, programmeId: string, s: { votePotPence: number; voteMethod: 'approval' | 'budget'; voteMaxChoices: number; voteOpen: boolean }): Promise<void> {
  await db.query('update programmes set vote_pot_pence = $2, vote_method = $3, vote_max_choices = $4, vote_open = $5, updated_at = now() where id = $1', [programmeId, s.votePotPence, s.voteMethod, s.voteMaxChoices, s.voteOpen]);
}

export async function markVoteApplied(db: Queryable, programmeId: string): Promise<void> {
  await db.query('update programmes set vote_applied_at = now(), vote_open = false, updated_at = now() where id = $1', [programmeId]);
}

export async function listBallots(db: Queryable, programmeId: string): Promise<{ userId: string; caseIds: string[] }[]> {
  return db.query('select user_id as "userId", case_ids as "caseIds" from vote_ballots where programme_id = $1', [programmeId]);
}

export async function saveBallot(db: Queryable, programmeId: string, userId: string, caseIds: string[]): Promise<void> {
  await db.query(
    `insert into vote_ballots (id, programme_id, user_id, case_ids) values ($1, $2, $3, $4::uuid[])
     on conflict (programme_id, user_id) do update set case_ids = excluded.case_ids, updated_at = now()`,
    [crypto.randomUUID(), programmeId, userId, caseIds],
  );
}
