import type { Queryable } from '../../../platform/db/database.ts';

export type OutboxMessage = {
  id: string;
  to: string;
  subject: string;
  text: string;
  reason: 'not_configured' | 'failed';
  detail: string | null;
  relatedType: string | null;
  relatedId: string | null;
  createdAt: Date;
  sentAnotherWayAt: Date | null;
  sentAnotherWayByName: string | null;
  sentAnotherWayNote: string | null;
};

const columns = `id, to_address as "to", subject, body as "text", reason, detail, related_type as "relatedType", related_id as "relatedId",
  created_at as "createdAt", sent_another_way_at as "sentAnotherWayAt", sent_another_way_by_name as "sentAnotherWayByName", sent_another_way_note as "sentAnotherWayNote"`;

/** Waiting messages oldest first (the longest waiting at the top); handled ones newest first. */
export async function listMessages(db: Queryable, show: 'waiting' | 'handled', limit: number, offset: number): Promise<{ rows: OutboxMessage[]; total: number }> {
  const rows =
    show === 'waiting'
      ? await db.query<OutboxMessage>(`select ${columns} from outbox where sent_another_way_at is null order by created_at, id limit $1 offset $2`, [limit, offset])
      : await db.query<OutboxMessage>(`select ${columns} from outbox where sent_another_way_at is not null order by sent_another_way_at desc, id limit $1 offset $2`, [limit, offset]);
  const total = (
    await db.query<{ n: number }>(`select count(*)::int as n from outbox where sent_another_way_at is ${show === 'waiting' ? '' : 'not '}null`)
  )[0].n;
  return { rows, total };
}

export async function countWaiting(db: Queryable): Promise<number> {
  return (await db.query<{ n: number }>('select count(*)::int as n from outbox where sent_another_way_at is null'))[0].n;
}

export async function findMessage(db: Queryable, id: string): Promise<OutboxMessage | undefined> {
  return (await db.query<OutboxMessage>(`select ${columns} from outbox where id = $1`, [id]))[0];
}

/** Records who sent it another way; false when someone already had (the row is left as they left it). */
export async function markSentAnotherWay(db: Queryable, id: string, by: { userId: string; name: string }, note: string | null, at: Date): Promise<boolean> {
  const rows = await db.query(
    `update outbox set sent_another_way_at = $2, sent_another_way_by = $3, sent_another_way_by_name = $4, sent_another_way_note = $5
      where id = $1 and sent_another_way_at is null returning id`,
    [id, at, by.userId, by.name, note],
  );
  return rows.length === 1;
}
