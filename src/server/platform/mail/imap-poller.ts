/**
 * Polls an IMAP mailbox once: every unseen message is handed, raw, to an {@link InboundHandler}, and marked
 * \Seen (or moved to a "processed" folder) only after the handler resolved. Meant to run as a scheduled job.
 *
 * Delivery is at least once: if the connection drops between the handler's success and the \Seen flag, the
 * message comes again on the next poll, so the handler must recognise a message it already took (by
 * Message-ID or the raw bytes' hash).
 */
import { ImapFlow } from 'imapflow';
import { InboundMailError, isPermanentMailError, type InboundHandler } from './inbound.js';
import type { SmtpSecurity } from './transport.js';

/** The part of a pino logger the mail pieces use. */
export interface MailLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** Where and how to poll. */
export interface ImapPollerConfig {
  host: string;
  port: number;
  /** `none`: cleartext only; `starttls`: STARTTLS required; `tls`: TLS from the start (port 993). */
  security: SmtpSecurity;
  user: string;
  password: string;
  /** Mailbox to read, default INBOX. */
  mailbox?: string;
  /** Move processed messages here (created when missing) instead of only marking them \Seen. */
  processedMailbox?: string;
  /** Move refused messages here (created when missing); otherwise they stay, marked \Seen and \Flagged. */
  rejectedMailbox?: string;
  /** Larger messages are refused from their IMAP size alone, without downloading them. */
  maxBytes: number;
  /** Messages handled per poll, oldest first (default 50); the rest wait for the next poll. */
  maxMessages?: number;
  /** Verify the server's certificate (default true). */
  tlsRejectUnauthorized?: boolean;
  connectionTimeoutMs?: number;
  logger?: MailLogger;
}

/** What one poll did, by UID. */
export interface PollResult {
  /** Handled and marked done. */
  processed: number[];
  /** Refused for good (handler threw a permanent error, or too large): set aside, never retried. */
  rejected: { uid: number; error: string }[];
  /** Handler failed temporarily: left unseen, retried on the next poll. */
  failed: { uid: number; error: string }[];
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

async function ensureMailbox(client: ImapFlow, path: string | undefined): Promise<void> {
  if (path === undefined) return;
  const existing = await client.list();
  if (!existing.some((m) => m.path === path)) await client.mailboxCreate(path);
}

/**
 * Connects, reads up to `maxMessages` unseen messages of the mailbox, hands each to `handler`, and logs out.
 * Rejects when the server cannot be reached or refuses the login (the calling job retries); a handler's
 * failure never rejects the poll, it is reported in the result.
 */
export async function pollImapOnce(config: ImapPollerConfig, handler: InboundHandler): Promise<PollResult> {
  const mailbox = config.mailbox ?? 'INBOX';
  const timeout = config.connectionTimeoutMs ?? 30_000;
  const client = new ImapFlow({
    host: config.host,
    port: config.port,
    secure: config.security === 'tls',
    ...(config.security !== 'tls' && { doSTARTTLS: config.security === 'starttls' }),
    auth: { user: config.user, pass: config.password },
    tls: { rejectUnauthorized: config.tlsRejectUnauthorized ?? true },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout * 4,
  });
  // An 'error' event without a listener would crash the process; connect() and commands reject anyway.
  client.on('error', (err: unknown) => config.logger?.warn({ err: message(err) }, 'imap connection error'));
  const result: PollResult = { processed: [], rejected: [], failed: [] };
  await client.connect();
  try {
    await ensureMailbox(client, config.processedMailbox);
    await ensureMailbox(client, config.rejectedMailbox);
    const lock = await client.getMailboxLock(mailbox);
    try {
      const unseen = (await client.search({ seen: false }, { uid: true })) || [];
      const batch = [...unseen].sort((a, b) => a - b).slice(0, config.maxMessages ?? 50);
      if (batch.length === 0) return result;
      // Sizes first (no other command may run while a FETCH is being iterated).
      const sizes = new Map<number, number>();
      for await (const m of client.fetch(batch.join(','), { size: true }, { uid: true }))
        sizes.set(m.uid, m.size ?? 0);

      const done = async (uid: number): Promise<void> => {
        await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
        if (config.processedMailbox !== undefined)
          await client.messageMove(String(uid), config.processedMailbox, { uid: true });
      };
      const reject = async (uid: number, error: unknown): Promise<void> => {
        await client.messageFlagsAdd(String(uid), ['\\Seen', '\\Flagged'], { uid: true });
        if (config.rejectedMailbox !== undefined)
          await client.messageMove(String(uid), config.rejectedMailbox, { uid: true });
        result.rejected.push({ uid, error: message(error) });
        config.logger?.warn({ mailbox, uid, err: message(error) }, 'inbound mail refused');
      };

      for (const uid of batch) {
        const size = sizes.get(uid);
        if (size === undefined) continue; // expunged meanwhile
        if (size > config.maxBytes) {
          await reject(
            uid,
            new InboundMailError(
              'mail_too_large',
              `message too large: ${size} bytes, the limit is ${config.maxBytes} bytes`,
            ),
          );
          continue;
        }
        const fetched = await client.fetchOne(String(uid), { source: true }, { uid: true });
        if (fetched === false || fetched.source === undefined) continue;
        try {
          await handler(fetched.source, { kind: 'imap', mailbox, uid });
        } catch (e) {
          if (isPermanentMailError(e)) await reject(uid, e);
          else {
            result.failed.push({ uid, error: message(e) });
            config.logger?.warn({ mailbox, uid, err: message(e) }, 'inbound mail failed, will retry');
          }
          continue;
        }
        await done(uid);
        result.processed.push(uid);
      }
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
  if (result.processed.length > 0)
    config.logger?.info({ mailbox, count: result.processed.length }, 'inbound mail polled');
  return result;
}
