/**
 * Mail in tests: a real SMTP server on 127.0.0.1 that keeps what arrives, and the mailer every test
 * app uses, which records each message and what happened to it.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { Queryable } from '../../src/platform/db/database.ts';
import { createMailer, type Mail, type Mailer, type SendOptions, type SendResult } from '../../src/platform/mailer.ts';

export type ReceivedMail = { from: string; to: string[]; subject: string; text: string; raw: string };

export type RecordingSmtpServer = {
  /** SMTP_URL for the app: smtp://127.0.0.1:<port>. */
  url: string;
  received: ReceivedMail[];
  /** Recipients the server refuses (550), to test a mail server saying no. */
  refuse: Set<string>;
  close(): Promise<void>;
};

/** An SMTP server on a free port of 127.0.0.1 that accepts every message (no TLS, no sign-in) and keeps it. */
export async function startRecordingSmtpServer(): Promise<RecordingSmtpServer> {
  const received: ReceivedMail[] = [];
  const refuse = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (refuse.has(address.address.toLowerCase())) {
        const error = Object.assign(new Error(`Mailbox unavailable: ${address.address}`), { responseCode: 550 });
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const envelope = session.envelope;
        received.push({
          from: envelope.mailFrom ? envelope.mailFrom.address : '',
          to: envelope.rcptTo.map((r) => r.address),
          ...parseMessage(raw),
          raw,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    refuse,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The subject and plain-text body of a simple message as nodemailer writes it. */
function parseMessage(raw: string): { subject: string; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
  const encoding = header('Content-Transfer-Encoding').toLowerCase();
  let text = body.replace(/\r\n$/, '');
  if (encoding === 'quoted-printable') text = decodeQuotedPrintable(text);
  else if (encoding === 'base64') text = Buffer.from(text, 'base64').toString('utf8');
  return { subject: decodeEncodedWords(header('Subject')), text: text.replace(/\r\n/g, '\n') };
}

function decodeQuotedPrintable(text: string): string {
  const bytes = Buffer.from(text.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
  return bytes.toString('utf8');
}

function decodeEncodedWords(value: string): string {
  return value.replace(/=\?utf-8\?([QB])\?([^?]*)\?=\s*/gi, (_m, kind: string, data: string) =>
    kind.toUpperCase() === 'B' ? Buffer.from(data, 'base64').toString('utf8') : decodeQuotedPrintable(data.replace(/_/g, ' ')),
  );
}

type Replacement = (mail: Mail, options?: SendOptions) => Promise<unknown>;

/**
 * The mailer of every test app: the real mailer (so unsent messages go to the outbox table of the
 * test's database, and with SMTP_URL mail goes to that server), which also records every message
 * and what happened to it.
 *
 * A test may replace `send` outright (`t.mailer.send = async (mail) => …`) and put the original
 * back afterwards. The replacement is then all that send does: whatever it returns is the result
 * (nothing, or a non-result, counts as sent) and whatever it throws reaches the caller. Prefer
 * startRecordingSmtpServer() with SMTP_URL, which runs the real path, for new tests.
 */
export class RecordingMailer implements Mailer {
  configured: boolean;
  /** Every message handed to send, with what happened to it, oldest first. */
  readonly messages: { mail: Mail; result: SendResult }[] = [];
  private readonly real: Mailer;
  private replacement: Replacement | undefined;
  private readonly hasServer: boolean;

  constructor(db: Queryable, options: { smtpUrl?: string; from?: string } = {}) {
    this.real = createMailer(options.smtpUrl, options.from ?? 'Common Ground <no-reply@common-ground.invalid>', { db });
    this.hasServer = this.real.configured;
    this.configured = this.hasServer;
  }

  /** Messages not sent, as the real mailer keeps them in memory (the last 100). */
  get outbox(): Mail[] {
    return this.real.outbox;
  }

  private readonly recordingSend = async (mail: Mail, options?: SendOptions): Promise<SendResult> => {
    let result: SendResult;
    if (this.replacement) {
      const returned = await this.replacement(mail, options);
      result = isSendResult(returned) ? returned : { status: 'sent' };
    } else {
      // A test may switch email off (configured = false) on an app that has SMTP_URL.
      this.real.configured = this.configured && this.hasServer;
      result = await this.real.send(mail, options);
    }
    this.messages.push({ mail, result });
    return result;
  };

  get send(): (mail: Mail, options?: SendOptions) => Promise<SendResult> {
    return this.recordingSend;
  }

  set send(replacement: Replacement) {
    this.replacement = replacement === this.recordingSend ? undefined : replacement;
  }
}

function isSendResult(value: unknown): value is SendResult {
  return typeof value === 'object' && value !== null && ((value as SendResult).status === 'sent' || (value as SendResult).status === 'not_sent');
}
