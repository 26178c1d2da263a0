import { z } from 'zod';
import { Email } from './common.js';

/** GET /api/v1/mail/channel (admins): the e-mail settings the server was started with (never a password). */
export const MailChannel = z.object({
  outbound: z.object({
    enabled: z.boolean(),
    host: z.string().nullable(),
    port: z.number().int().nullable(),
    security: z.enum(['none', 'starttls', 'tls']).nullable(),
    /** The account used to sign in to the SMTP server, if any. */
    user: z.string().nullable(),
    passwordSet: z.boolean(),
    from: z.string(),
  }),
  inbound: z.object({
    mode: z.enum(['off', 'smtp', 'imap']),
    /** Listener (mode smtp): where it listens and the domains it accepts mail for. */
    listen: z.object({ host: z.string(), port: z.number().int(), domains: z.array(z.string()) }).nullable(),
    /** Mailbox (mode imap). */
    imap: z
      .object({
        host: z.string(),
        port: z.number().int(),
        security: z.enum(['none', 'starttls', 'tls']),
        user: z.string().nullable(),
        passwordSet: z.boolean(),
        mailbox: z.string(),
        pollSeconds: z.number().int(),
      })
      .nullable(),
    maxBytes: z.number().int(),
    unknownSenders: z.enum(['create', 'reject']),
    ticketType: z.enum(['incident', 'request']),
  }),
});
export type MailChannel = z.infer<typeof MailChannel>;

/** POST /api/v1/mail/test (admins): send a test message now, through the configured SMTP server. */
export const SendTestMail = z.strictObject({ to: Email });
export type SendTestMail = z.infer<typeof SendTestMail>;

/** The outcome of a test message: `sent` once the SMTP server accepted it, else `failed` with its answer. */
export const TestMailResult = z.object({
  status: z.enum(['sent', 'failed']),
  detail: z.string().nullable(),
  messageId: z.string(),
});
export type TestMailResult = z.infer<typeof TestMailResult>;
