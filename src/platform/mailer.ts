import nodemailer from 'nodemailer';

export type Mail = { to: string; subject: string; text: string };
export type Mailer = { configured: boolean; send(mail: Mail): Promise<void>; outbox: Mail[] };

/**
 * Sends email through SMTP_URL when set. Without it nothing is sent: the mail is kept in
 * memory (shown to admins where it matters, such as invitation links) and logged by subject.
 */
export function createMailer(smtpUrl: string | undefined, from: string): Mailer {
  const outbox: Mail[] = [];
  if (!smtpUrl) {
    return {
      configured: false,
      outbox,
      async send(mail) {
        outbox.push(mail);
        if (outbox.length > 100) outbox.shift();
      },
    };
  }
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    configured: true,
    outbox,
    async send(mail) {
      await transport.sendMail({ from, ...mail });
    },
  };
}
