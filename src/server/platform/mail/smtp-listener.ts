/**
 * Steward as an SMTP server for inbound mail (smtp-server): no AUTH, no relaying, mail only for the configured
 * domains, a size limit the server enforces (552), and every accepted message handed raw to an
 * {@link InboundHandler} before the 250: a handler failure is answered 451 (the sender retries), a permanent
 * refusal 5xx. Meant to sit behind the organisation's MX or a local relay, on loopback by default.
 */
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { isPermanentMailError, InboundMailError, type InboundHandler } from './inbound.js';
import type { MailLogger } from './imap-poller.js';

/** Listener settings. */
export interface SmtpListenerConfig {
  /** Address to listen on, default 127.0.0.1. */
  host?: string;
  /** Port; 0 picks a free one (see SmtpListener.port). */
  port: number;
  /** Domains we accept mail for (recipients elsewhere get 550: we relay nothing). */
  domains: string[];
  /** Largest message in bytes: advertised in EHLO SIZE and enforced with 552. */
  maxBytes: number;
  /** When set, only these client IP addresses may connect (e.g. the relay's); others get 554. */
  allowedClients?: string[];
  /** Name in the greeting and EHLO answer, default "steward". */
  hostname?: string;
  /** Most simultaneous connections, default 20. */
  maxClients?: number;
  logger?: MailLogger;
}

/** A running listener. */
export interface SmtpListener {
  /** The port actually bound. */
  port: number;
  /** Stops accepting, waits (up to a few seconds) for open sessions, then closes. */
  close(): Promise<void>;
}

const smtpError = (code: number, text: string): Error =>
  Object.assign(new Error(text), { responseCode: code });
const bareIp = (ip: string): string => ip.replace(/^::ffff:/i, '');

async function readLimited(stream: SMTPServerDataStream, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Past the limit the rest is only drained: the server answers 552 itself.
    if (size <= maxBytes) chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The reply for a handler's failure: permanent ones 5xx with the reason, anything else 451. */
function failureReply(e: unknown): Error {
  if (e instanceof InboundMailError)
    return e.code === 'mail_too_large'
      ? smtpError(552, `5.3.4 ${e.message}`)
      : smtpError(554, `5.6.0 ${e.message}`);
  if (isPermanentMailError(e))
    return smtpError(554, `5.7.0 ${e instanceof Error ? e.message : 'message refused'}`);
  return smtpError(451, '4.3.0 temporary failure, please try again later');
}

/** Starts listening; resolves once the port is bound. */
export async function startSmtpListener(
  config: SmtpListenerConfig,
  handler: InboundHandler,
): Promise<SmtpListener> {
  const domains = new Set(config.domains.map((d) => d.toLowerCase()));
  const allowed =
    config.allowedClients === undefined ? undefined : new Set(config.allowedClients.map(bareIp));
  const log = config.logger;
  const server = new SMTPServer({
    name: config.hostname ?? 'steward',
    banner: 'Steward inbound mail',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    hideSTARTTLS: true,
    size: config.maxBytes,
    rejectOversized: true,
    maxClients: config.maxClients ?? 20,
    disableReverseLookup: true,
    logger: false,
    socketTimeout: 60_000,
    closeTimeout: 5_000,
    onConnect(session: SMTPServerSession, callback) {
      if (allowed !== undefined && !allowed.has(bareIp(session.remoteAddress))) {
        callback(smtpError(554, '5.7.1 connection refused'));
        return;
      }
      callback();
    },
    onRcptTo(address, _session, callback) {
      const domain = address.address.split('@').pop()?.toLowerCase() ?? '';
      if (!address.address.includes('@') || !domains.has(domain)) {
        callback(smtpError(550, `5.7.1 relaying denied: we accept mail only for ${[...domains].join(', ')}`));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const envelope = session.envelope;
      const receive = async (): Promise<void> => {
        const raw = await readLimited(stream, config.maxBytes);
        if (stream.sizeExceeded) {
          log?.warn({ bytes: stream.byteLength, limit: config.maxBytes }, 'inbound mail too large');
          return callback(smtpError(552, `5.3.4 message exceeds the limit of ${config.maxBytes} bytes`));
        }
        try {
          await handler(raw, {
            kind: 'smtp',
            mailFrom: envelope.mailFrom === false ? '' : envelope.mailFrom.address,
            rcptTo: envelope.rcptTo.map((r) => r.address),
            remoteAddress: bareIp(session.remoteAddress),
          });
        } catch (e) {
          log?.warn({ err: e instanceof Error ? e.message : String(e) }, 'inbound mail not accepted');
          return callback(failureReply(e));
        }
        callback(null, '2.0.0 message accepted');
      };
      receive().catch((e: unknown) => callback(failureReply(e)));
    },
  });
  // Connection-level errors (resets, timeouts) are reported here; without a listener they would crash us.
  server.on('error', (err: Error) => log?.warn({ err: err.message }, 'smtp listener connection error'));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(config.port, config.host ?? '127.0.0.1', () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
