import type { Actor } from '../../../platform/actor.ts';
import { recordAudit } from '../../../platform/audit.ts';
import type { Database } from '../../../platform/db/database.ts';
import { refuse } from '../../../platform/refusal.ts';
import { canMarkSentAnotherWay, canReadOutbox } from '../outbox.policy.ts';
import * as repo from './messages.repository.ts';
import type { OutboxQuery, SentAnotherWayForm } from './messages.schemas.ts';

const OUTBOX_PAGE_SIZE = 20;

/**
 * One page of the outbox. The messages may be about a person (a GP summary), so reading them is
 * recorded in the audit log.
 */
export async function viewOutbox(db: Database, actor: Actor, query: OutboxQuery, ip: string) {
  if (!canReadOutbox(actor)) throw refuse.forbidden('The outbox is for partnership admins.');
  const result = await repo.listMessages(db, query.show, OUTBOX_PAGE_SIZE, (query.page - 1) * OUTBOX_PAGE_SIZE);
  const waiting = query.show === 'waiting' ? result.total : await repo.countWaiting(db);
  await recordAudit(db, { actor, action: 'viewed', recordType: 'outbox', ip, details: { show: query.show, page: query.page, shown: result.rows.map((m) => m.id) } });
  return { ...result, waiting, page: query.page, pageSize: OUTBOX_PAGE_SIZE };
}

/** How many messages are waiting to be sent another way, for the admin's navigation. */
export async function waitingCount(db: Database, actor: Actor | null): Promise<number> {
  return canReadOutbox(actor) ? repo.countWaiting(db) : 0;
}

/** Records that an admin sent a message another way (by phone, from their own mailbox …). */
export async function markSentAnotherWay(db: Database, actor: Actor, id: string, form: SentAnotherWayForm, ip: string, now: Date = new Date()): Promise<repo.OutboxMessage> {
  if (!canMarkSentAnotherWay(actor)) throw refuse.forbidden('Only partnership admins can record that a message was sent.');
  return db.transaction(async (tx) => {
    const message = await repo.findMessage(tx, id);
    if (!message) throw refuse.notFound('Message');
    if (!(await repo.markSentAnotherWay(tx, id, actor, form.note ?? null, now))) {
      throw refuse.conflict('form', `${message.sentAnotherWayByName ?? 'Someone'} has already recorded that this message was sent.`);
    }
    await recordAudit(tx, {
      actor,
      action: 'sent_another_way',
      recordType: 'outbox_message',
      recordId: id,
      ip,
      details: { to: message.to, subject: message.subject, note: form.note ?? null, relatedType: message.relatedType, relatedId: message.relatedId },
    });
    return message;
  });
}
