import crypto from 'node:crypto';
import type { Transporter } from 'nodemailer';
import type { Queryable } from './db/database.ts';

export type Mail = {
  to: string;
  subject: string;
  text: string;
  /** The record the message is about (a referral, an invitation …), shown on the outbox page. */
  related?: { type: string; id: string };
};

export type NotSentReason = 'not_configured' | 'failed';

/**
 * What happened to a message. Only `sent` means a mail server accepted it; anything else is kept
 * in the outbox table (`outboxId`) for an admin to send another way, and a page must not say
 * "emailed".
 */
export type SendResult =
  | { status: 'sent' }
  | { status: 'not_sent'; reason: NotSentReason; detail: string; outboxId: string | null };

export type SendOptions = {
  /** The transaction the caller is in, so the outbox row commits (or not) with the change. */
  tx?: Queryable;
};

/** Hands one message to a mail server; resolves when accepted, throws when refused. */
export type Transport = (mail: Mail & { from: string }) => Promise<unknown>;

export type Mailer = {
  /** True when SMTP_URL is set: messages are handed to a mail server. */
  configured: boolean;
  /** The latest messages not sent (at most 100), in memory, for tests and the start-up log. */
  outbox: Mail[];
  /** Sends a message, or keeps it in the outbox table and says why not. Never throws for a mail failure. */
  send(mail: Mail, options?: SendOptions): Promise<SendResult>;
};

export type MailerOptions = {
  /** Where messages not sent are kept (the outbox table). Without it they are only in memory. */
  db?: Queryable;
  /** Replaces SMTP (tests). */
  transport?: Transport;
};

const MEMORY_LIMIT = 100;

/**
 * Sends email through SMTP_URL when set. Without it nothing is sent: every message is kept in the
 * outbox table, where partnership admins read it (/admin/outbox) and record that they sent it
 * another way. A message the mail server refuses is kept there too.
 */
export function createMailer(smtpUrl: string | undefined, from: string, options: MailerOptions = {}): Mailer {
  const transport: Transport | undefined = options.transport ?? (smtpUrl ? smtpTransport(smtpUrl) : undefined);
  const outbox: Mail[] = [];

  async function notSent(mail: Mail, reason: NotSentReason, detail: string, sendOptions: SendOptions): Promise<SendResult> {
    outbox.push(mail);
    if (outbox.length > MEMORY_LIMIT) outbox.shift();
    const db = sendOptions.tx ?? options.db;
    if (!db) return { status: 'not_sent', reason, detail, outboxId: null };
    try {
      const outboxId = await keepUnsent(db, mail, reason, detail);
      return { status: 'not_sent', reason, detail, outboxId };
    } catch (error) {
      // Typically a call from inside a transaction that did not pass it as `tx`.
      return { status: 'not_sent', reason, detail: `${detail} It could not be kept in the outbox either: ${(error as Error).message}`, outboxId: null };
    }
  }

  const mailer: Mailer = {
    configured: transport !== undefined,
    outbox,
    async send(mail, sendOptions = {}) {
      if (!mailer.configured || !transport) return notSent(mail, 'not_configured', 'Email is not set up (no SMTP_URL).', sendOptions);
      try {
        await transport({ from, to: mail.to, subject: mail.subject, text: mail.text });
        return { status: 'sent' };
      } catch (error) {
        return notSent(mail, 'failed', `The mail server refused it: ${(error as Error).message}`, sendOptions);
      }
    },
  };
  return mailer;
}

/** Sends through the mail server SMTP_URL names (smtp://user:pass@host:587, smtps://…). */
function smtpTransport(smtpUrl: string): Transport {
  // nodemailer is loaded only when email is set up (about 15 MB that a server without SMTP_URL never needs).
  const smtp: Promise<Transporter> = import('nodemailer').then((m) => m.default.createTransport(smtpUrl));
  smtp.catch(() => undefined); // Reported by the first send, as that message not sent.
  return async (mail) => (await smtp).sendMail({ from: mail.from, to: mail.to, subject: mail.subject, text: mail.text });
}

/** Writes a message that was not sent to the outbox table; returns its id. */
async function keepUnsent(db: Queryable, mail: Mail, reason: NotSentReason, detail: string): Promise<string> {
  const id = crypto.randomUUID();
  await db.query(
    `insert into outbox (id, to_address, subject, body, reason, detail, related_type, related_id)
     values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [id, mail.to, mail.subject, mail.text, reason, detail, mail.related?.type ?? null, mail.related?.id ?? null],
  );
  return id;
}
