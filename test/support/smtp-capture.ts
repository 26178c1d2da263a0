/**
 * A real SMTP server (smtp-server, on a free loopback port) that keeps every message it receives, for tests of
 * the mail Steward sends: no mocks of the transport, the mail crosses a real SMTP session.
 */
import { simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A received message. */
export interface CapturedMail {
  to: string[];
  subject: string;
  text: string;
  attachments: { filename: string; contentType: string; content: Buffer }[];
}

/** A running capture server. */
export interface SmtpCapture {
  port: number;
  mails: CapturedMail[];
  /** Refuses the next `n` messages (a 451 after DATA), to test retries. */
  refuseNext(n: number): void;
  /** Waits for a message matching `match` (default: any) and returns it. */
  waitFor(match?: (m: CapturedMail) => boolean, timeoutMs?: number): Promise<CapturedMail>;
  stop(): Promise<void>;
}

/** Starts the capture server. */
export async function startSmtpCapture(): Promise<SmtpCapture> {
  const mails: CapturedMail[] = [];
  let refuse = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (m) => {
          if (refuse > 0) {
            refuse--;
            callback(Object.assign(new Error('try again later'), { responseCode: 451 }));
            return;
          }
          mails.push({
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            subject: m.subject ?? '',
            text: m.text ?? '',
            attachments: m.attachments.map((a) => ({
              filename: a.filename ?? '',
              contentType: a.contentType,
              content: a.content,
            })),
          });
          callback();
        },
        (err: Error) => callback(err),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    mails,
    refuseNext(n) {
      refuse = n;
    },
    async waitFor(match = () => true, timeoutMs = 30_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const m = mails.find(match);
        if (m) return m;
        if (Date.now() > end)
          throw new Error(`no matching mail within ${timeoutMs} ms (got ${mails.length})`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Steward's settings for sending its mail to `smtp` (plain SMTP on loopback, the desk's sender and address). */
export function captureSettings(smtp: SmtpCapture): Record<string, string> {
  return {
    STEWARD_SMTP_HOST: '127.0.0.1',
    STEWARD_SMTP_PORT: String(smtp.port),
    STEWARD_SMTP_SECURITY: 'none',
    STEWARD_MAIL_FROM: 'Service Desk <desk@example.com>',
    STEWARD_PUBLIC_URL: 'https://desk.example.com',
  };
}
