import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingSmtpServer, type RecordingSmtpServer } from '../../test/support/mail.ts';
import { createTestApp, type TestApp } from '../../test/support/test-app.ts';
import { createTestDatabase } from '../../test/support/test-database.ts';
import type { Database } from './db/database.ts';
import { createMailer } from './mailer.ts';

type OutboxRow = { to_address: string; subject: string; body: string; reason: string; detail: string; related_type: string | null; related_id: string | null };
const outboxRows = (db: Database, subject: string) =>
  db.query<OutboxRow>('select to_address, subject, body, reason, detail, related_type, related_id from outbox where subject = $1', [subject]);

describe('the mailer', () => {
  let smtp: RecordingSmtpServer;
  let db: Database;
  beforeAll(async () => {
    smtp = await startRecordingSmtpServer();
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await smtp.close();
    await db.close();
  });

  it('sends through SMTP_URL and says it was sent; the mail server receives the message as written', async () => {
    const mailer = createMailer(smtp.url, 'Common Ground <no-reply@example.org>', { db });
    expect(mailer.configured).toBe(true);
    const text = `Hello Ada,\n\nYour referral is waiting: https://example.org/social-prescribing/referrals-received/1234\n\n${'A long line that goes on. '.repeat(8)}\nThank you.`;
    const result = await mailer.send({ to: 'ada@example.org', subject: 'A referral is waiting for your answer', text });
    expect(result).toEqual({ status: 'sent' });
    const arrived = smtp.received.at(-1)!;
    expect(arrived.to).toEqual(['ada@example.org']);
    expect(arrived.from).toBe('no-reply@example.org');
    expect(arrived.subject).toBe('A referral is waiting for your answer');
    expect(arrived.text).toBe(text);
    expect(await outboxRows(db, 'A referral is waiting for your answer')).toEqual([]);
  });

  it('keeps a message the mail server refuses in the outbox and says it was not sent, without throwing', async () => {
    smtp.refuse.add('nobody@example.org');
    const mailer = createMailer(smtp.url, 'no-reply@example.org', { db });
    const result = await mailer.send({ to: 'nobody@example.org', subject: 'Refused by the server', text: 'Body', related: { type: 'problem_report', id: 'pr-1' } });
    expect(result).toMatchObject({ status: 'not_sent', reason: 'failed', outboxId: expect.any(String) });
    expect(result.status === 'not_sent' && result.detail).toMatch(/refused it/);
    const [row] = await outboxRows(db, 'Refused by the server');
    expect(row).toMatchObject({ to_address: 'nobody@example.org', body: 'Body', reason: 'failed', related_type: 'problem_report', related_id: 'pr-1' });
    expect(smtp.received.some((m) => m.subject === 'Refused by the server')).toBe(false);
  });

  it('without SMTP_URL sends nothing: it says not sent, not configured, and keeps the message in the outbox', async () => {
    const mailer = createMailer(undefined, 'no-reply@example.org', { db });
    expect(mailer.configured).toBe(false);
    const before = smtp.received.length;
    const result = await mailer.send({ to: 'grace@example.org', subject: 'Not configured', text: 'Line one\nLine two' });
    expect(result).toMatchObject({ status: 'not_sent', reason: 'not_configured', outboxId: expect.any(String) });
    expect(await outboxRows(db, 'Not configured')).toMatchObject([{ to_address: 'grace@example.org', body: 'Line one\nLine two', reason: 'not_configured' }]);
    expect(mailer.outbox.at(-1)).toMatchObject({ to: 'grace@example.org' });
    expect(smtp.received.length).toBe(before);
  });

  it("keeps the outbox row in the caller's transaction when given it, so it commits or rolls back with the change", async () => {
    const mailer = createMailer(undefined, 'no-reply@example.org', { db });
    await db.transaction(async (tx) => {
      expect((await mailer.send({ to: 'a@example.org', subject: 'In a transaction', text: 'x' }, { tx })).status).toBe('not_sent');
    });
    expect(await outboxRows(db, 'In a transaction')).toHaveLength(1);
    await expect(
      db.transaction(async (tx) => {
        await mailer.send({ to: 'a@example.org', subject: 'Rolled back', text: 'x' }, { tx });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await outboxRows(db, 'Rolled back')).toHaveLength(0);
  });

  it('still answers (not sent, and why) when called inside a transaction it was not given', async () => {
    const mailer = createMailer(undefined, 'no-reply@example.org', { db });
    const result = await db.transaction((_tx) => mailer.send({ to: 'a@example.org', subject: 'Not given the transaction', text: 'x' }));
    expect(result).toMatchObject({ status: 'not_sent', reason: 'not_configured', outboxId: null });
    expect(result.status === 'not_sent' && result.detail).toMatch(/could not be kept in the outbox/);
    expect(mailer.outbox.at(-1)).toMatchObject({ subject: 'Not given the transaction' });
  });
});

describe('a test app with SMTP_URL', () => {
  let smtp: RecordingSmtpServer;
  let t: TestApp;
  beforeAll(async () => {
    smtp = await startRecordingSmtpServer();
    t = await createTestApp({ SMTP_URL: smtp.url, MAIL_FROM: 'Test <test@example.org>' });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it('sends through the server and records each message with what happened', async () => {
    expect(t.mailer.configured).toBe(true);
    const result = await t.mailer.send({ to: 'kit@example.org', subject: 'Through the test app', text: 'Hello' });
    expect(result).toEqual({ status: 'sent' });
    expect(smtp.received.at(-1)).toMatchObject({ to: ['kit@example.org'], from: 'test@example.org', subject: 'Through the test app', text: 'Hello' });
    expect(t.mailer.messages.at(-1)).toMatchObject({ mail: { to: 'kit@example.org' }, result: { status: 'sent' } });
    expect(t.mailer.outbox).toHaveLength(0);
  });

  it('lets a test replace send outright, and put the real one back', async () => {
    const original = t.mailer.send;
    const seen: string[] = [];
    t.mailer.send = async (mail) => {
      seen.push(mail.subject);
    };
    try {
      expect(await t.mailer.send({ to: 'kit@example.org', subject: 'Replaced', text: 'x' })).toEqual({ status: 'sent' });
      t.mailer.send = async () => ({ status: 'not_sent', reason: 'failed', detail: 'test', outboxId: null });
      expect(await t.mailer.send({ to: 'kit@example.org', subject: 'Replaced again', text: 'x' })).toMatchObject({ status: 'not_sent' });
      t.mailer.send = async () => {
        throw new Error('SMTP refused');
      };
      await expect(t.mailer.send({ to: 'kit@example.org', subject: 'Thrown', text: 'x' })).rejects.toThrow('SMTP refused');
    } finally {
      t.mailer.send = original;
    }
    expect(seen).toEqual(['Replaced']);
    expect(await t.mailer.send({ to: 'kit@example.org', subject: 'Real again', text: 'x' })).toEqual({ status: 'sent' });
    expect(smtp.received.map((m) => m.subject)).toContain('Real again');
    expect(smtp.received.map((m) => m.subject)).not.toContain('Replaced');
  });

  it('sends nothing when a test switches email off, and keeps it in the outbox', async () => {
    t.mailer.configured = false;
    try {
      expect(await t.mailer.send({ to: 'kit@example.org', subject: 'Switched off', text: 'x' })).toMatchObject({ status: 'not_sent', reason: 'not_configured' });
    } finally {
      t.mailer.configured = true;
    }
    expect(smtp.received.map((m) => m.subject)).not.toContain('Switched off');
    expect(await t.db.query(`select 1 from outbox where subject = 'Switched off'`)).toHaveLength(1);
    expect(await t.mailer.send({ to: 'kit@example.org', subject: 'Back on', text: 'x' })).toEqual({ status: 'sent' });
  });
});
