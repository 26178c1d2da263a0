import type { Config } from '../../config.js';
import type { Ctx } from '../../platform/context.js';
import { pollImapOnce, type MailLogger } from '../../platform/mail/imap-poller.js';
import type { InboundHandler } from '../../platform/mail/inbound.js';
import { startSmtpListener } from '../../platform/mail/smtp-listener.js';
import { receiveMail } from './mailin.service.js';

/** The channel's configuration (config.ts `mailIn`). */
export type MailInConfig = Config['mailIn'];

/**
 * Starts the inbound channel: an SMTP listener (mail is handled while the sender waits, so a temporary
 * failure is answered 451 and retried by the sending server), or an IMAP poller on a timer (a message is
 * marked seen only once handled). Returns how to stop it; `port` is the listener's.
 */
export async function startMailIn(
  ctx: Ctx,
  config: MailInConfig,
  log: MailLogger,
): Promise<{ port: number | null; stop(): Promise<void> }> {
  const handler: InboundHandler = async (raw, source) => {
    const outcome = await receiveMail(ctx, raw, config);
    log.info({ source: source.kind, outcome }, 'inbound mail');
  };
  if (config.mode === 'smtp') {
    const listener = await startSmtpListener(
      {
        host: config.smtp.host,
        port: config.smtp.port,
        domains: config.smtp.domains,
        maxBytes: config.maxBytes,
        logger: log,
      },
      handler,
    );
    return { port: listener.port, stop: () => listener.close() };
  }
  if (config.mode === 'imap') {
    const { user, password } = config.imap;
    if (!user || password === undefined)
      throw new Error('IMAP polling needs STEWARD_MAIL_IMAP_USER and _PASSWORD');
    let running: Promise<unknown> | null = null;
    const poll = () => {
      running ??= pollImapOnce(
        {
          host: config.imap.host,
          port: config.imap.port,
          security: config.imap.security,
          user,
          password,
          mailbox: config.imap.mailbox,
          maxBytes: config.maxBytes,
          logger: log,
        },
        handler,
      )
        .catch((err: unknown) => log.warn({ err }, 'IMAP poll failed'))
        .finally(() => (running = null));
    };
    const timer = setInterval(poll, config.imap.pollSeconds * 1000);
    timer.unref();
    poll();
    return {
      port: null,
      async stop() {
        clearInterval(timer);
        await running;
      },
    };
  }
  return { port: null, stop: () => Promise.resolve() };
}
