import type { Database } from '../../../platform/db/database.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { formatDate, ukToday } from '../../../platform/dates.ts';
import type { Mailer } from '../../../platform/mailer.ts';
import * as repo from './reviews.repository.ts';

/** Reminders go 90, 30 and 0 days before an agreement's review date. */
export const REVIEW_REMINDER_DAYS = [90, 30, 0];

/**
 * Emails the parties' signatories about reviews coming up. Run by the job runner's sweep (one
 * process at a time), and safe from several at once: each reminder (agreement, review date,
 * days before) is claimed by inserting its row before anything is sent, so it goes once. When a
 * sweep finds two reminders due at once (an agreement written 20 days before its review), it
 * sends the nearer one and marks the other done. Mail that cannot be sent waits in the outbox.
 */
export async function sendReviewReminders(db: Database, mailer: Mailer, now = new Date(), publicUrl = ''): Promise<number> {
  const on = ukToday(now);
  let sent = 0;
  for (const a of await repo.reviewsWithin(db, on, Math.max(...REVIEW_REMINDER_DAYS))) {
    const due = REVIEW_REMINDER_DAYS.filter((d) => a.daysLeft <= d && !a.sent.includes(d));
    if (!due.length) continue;
    const nearest = Math.min(...due);
    const claimed = await db.transaction(async (tx) => {
      if (!(await repo.claimReminder(tx, a.id, a.reviewOn, nearest))) return false;
      for (const d of due) if (d !== nearest) await repo.claimReminder(tx, a.id, a.reviewOn, d);
      await recordAudit(tx, { actor: null, action: 'review_reminder_sent', recordType: 'sharing_agreement', recordId: a.id, details: { daysBefore: nearest, reviewOn: a.reviewOn } });
      return true;
    });
    if (!claimed) continue;
    for (const to of await repo.reviewRecipients(db, a.id)) {
      await mailer.send({
        to,
        subject: nearest === 0 ? `Review due today: ${a.title}` : `Review due in ${nearest} days: ${a.title}`,
        text: [
          `The information sharing agreement "${a.title}" is due for review on ${formatDate(a.reviewOn)}.`,
          'Check its purpose, parties and data flows are still right, and that each flow is still needed. Any change is signed again by every party.',
          '',
          `The agreement: ${publicUrl}/sharing/agreements/${a.id}`,
        ].join('\n'),
        related: { type: 'sharing_agreement', id: a.id },
      });
    }
    sent++;
  }
  return sent;
}
