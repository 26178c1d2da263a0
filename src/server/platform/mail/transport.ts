/**
 * Outbound mail: a nodemailer SMTP transport built from Steward's settings. Sending is meant to run inside a
 * background job (retried there), never inside a request.
 */
import nodemailer from 'nodemailer';
import { z } from 'zod';

/**
 * How the connection to the SMTP server is secured: `none` = plain SMTP (never upgrades, for a local relay),
 * `starttls` = plain connect, then STARTTLS is required (typically port 587), `tls` = TLS from the first byte
 * (typically port 465).
 */
export const SmtpSecurity = z.enum(['none', 'starttls', 'tls']);
/** See {@link SmtpSecurity}. */
export type SmtpSecurity = z.infer<typeof SmtpSecurity>;

/** Settings of the outbound SMTP transport, validated. */
export const SmtpTransportConfig = z
  .object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535),
    security: SmtpSecurity,
    /** SMTP AUTH user; with no user no AUTH is attempted. */
    user: z.string().min(1).optional(),
    password: z.string().optional(),
    /** The From of every message, e.g. `"Steward Service Desk" <desk@example.com>`. */
    from: z.string().min(3),
    /** Name announced in EHLO; nodemailer's default is the machine's host name. */
    heloName: z.string().min(1).optional(),
    /** Verify the server's certificate (default true); false only for a self-signed test relay. */
    tlsRejectUnauthorized: z.boolean().default(true),
    connectionTimeoutMs: z.number().int().min(100).default(30_000),
  })
  .strict()
  .refine((c) => c.user === undefined || c.password !== undefined, {
    message: 'an SMTP user needs a password',
    path: ['password'],
  });
/** See {@link SmtpTransportConfig}; what callers pass (defaults optional). */
export type SmtpTransportConfigInput = z.input<typeof SmtpTransportConfig>;

/** One file attached to an outgoing message. */
export interface OutgoingAttachment {
  filename: string;
  content: Buffer;
  contentType?: string;
}

/** A message to send. `from` comes from the configuration. */
export interface OutgoingMail {
  to: string | string[];
  cc?: string | string[];
  replyTo?: string;
  subject: string;
  text: string;
  html?: string;
  /** Our own Message-ID (angle brackets included), so replies can be threaded back; generated when absent. */
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  /** Extra headers, e.g. `Auto-Submitted: auto-generated` on notifications to avoid mail loops. */
  headers?: Record<string, string>;
  attachments?: OutgoingAttachment[];
}

/** What the server said about a sent message. */
export interface SentMail {
  messageId: string;
  accepted: string[];
  rejected: string[];
  /** The server's final reply, e.g. `250 2.0.0 Ok: queued as 1A2B3C`. */
  response: string;
}

/** A configured outbound transport. */
export interface MailTransport {
  /** Sends one message; rejects when the server refuses it or cannot be reached (the job retries). */
  send(mail: OutgoingMail): Promise<SentMail>;
  /** Connects (and authenticates, when configured) without sending, to check the settings. */
  verify(): Promise<void>;
  /** Closes any open connection. */
  close(): void;
}

const addresses = (v: string | { address: string } | (string | { address: string })[]): string[] =>
  (Array.isArray(v) ? v : [v]).map((a) => (typeof a === 'string' ? a : a.address));

/** Creates the SMTP transport from validated settings; throws a ZodError on invalid settings. */
export function createMailTransport(input: SmtpTransportConfigInput): MailTransport {
  const config = SmtpTransportConfig.parse(input);
  const transporter = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.security === 'tls',
    requireTLS: config.security === 'starttls',
    // 'none' means none: no opportunistic STARTTLS against a relay that offers a certificate we cannot check.
    ignoreTLS: config.security === 'none',
    ...(config.heloName !== undefined && { name: config.heloName }),
    ...(config.user !== undefined && { auth: { user: config.user, pass: config.password ?? '' } }),
    tls: { rejectUnauthorized: config.tlsRejectUnauthorized },
    connectionTimeout: config.connectionTimeoutMs,
    greetingTimeout: config.connectionTimeoutMs,
    socketTimeout: config.connectionTimeoutMs * 2,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return {
    async send(mail) {
      const info = await transporter.sendMail({
        from: config.from,
        to: mail.to,
        ...(mail.cc !== undefined && { cc: mail.cc }),
        ...(mail.replyTo !== undefined && { replyTo: mail.replyTo }),
        subject: mail.subject,
        text: mail.text,
        ...(mail.html !== undefined && { html: mail.html }),
        ...(mail.messageId !== undefined && { messageId: mail.messageId }),
        ...(mail.inReplyTo !== undefined && { inReplyTo: mail.inReplyTo }),
        ...(mail.references !== undefined && { references: mail.references }),
        ...(mail.headers !== undefined && { headers: mail.headers }),
        attachments: (mail.attachments ?? []).map((a) => ({
          filename: a.filename,
          content: a.content,
          ...(a.contentType !== undefined && { contentType: a.contentType }),
        })),
      });
      return {
        messageId: info.messageId,
        accepted: addresses(info.accepted),
        rejected: addresses(info.rejected),
        response: info.response,
      };
    },
    async verify() {
      await transporter.verify();
    },
    close() {
      transporter.close();
    },
  };
}
