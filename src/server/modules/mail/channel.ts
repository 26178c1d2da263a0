import { randomUUID } from 'node:crypto';
import { MailChannel, Problem, SendTestMail, TestMailResult } from '../../../contracts/index.js';
import type { Config } from '../../config.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context.js';
import { Conflict, NotFound } from '../../platform/errors.js';
import { actorOf, type App } from '../../platform/http.js';
import { allows, can, type Actor } from '../../platform/permissions.js';
import type { Deps } from '../deps.js';
import * as repo from './mail.repository.js';
import type { MailTransport } from '../../platform/mail/transport.js';

/** The server's mail settings as main.ts has them (from the configuration; passwords are never shown). */
export type MailSettings = Pick<Config, 'smtp' | 'mailIn'> & { from: string };

/** What the API shows of the settings: whether a password is set, never the password. */
export function channelView(s: MailSettings): MailChannel {
  const { smtp, mailIn } = s;
  return {
    outbound: {
      enabled: smtp !== undefined,
      host: smtp?.host ?? null,
      port: smtp?.port ?? null,
      security: smtp?.security ?? null,
      user: smtp?.user ?? null,
      passwordSet: smtp?.password !== undefined && smtp.password !== '',
      from: s.from,
    },
    inbound: {
      mode: mailIn.mode,
      listen: mailIn.mode === 'smtp' ? mailIn.smtp : null,
      imap:
        mailIn.mode === 'imap'
          ? {
              host: mailIn.imap.host,
              port: mailIn.imap.port,
              security: mailIn.imap.security,
              user: mailIn.imap.user ?? null,
              passwordSet: mailIn.imap.password !== undefined && mailIn.imap.password !== '',
              mailbox: mailIn.imap.mailbox,
              pollSeconds: mailIn.imap.pollSeconds,
            }
          : null,
      maxBytes: mailIn.maxBytes,
      unknownSenders: mailIn.unknownSenders,
      ticketType: mailIn.ticketType,
    },
  };
}

const admin = (actor: Actor) => {
  if (!allows(actor, 'settings:read')) throw NotFound('mail channel');
  can(actor, 'settings:write');
};

/**
 * Sends a test message to `to` now, through the configured SMTP server (admins), and answers whether the
 * server accepted it. The message goes out before anything is written (no transaction waits on the network);
 * then its outcome is logged in the mail log and audited as `mail.test_sent` in one transaction.
 */
export async function sendTestMail(
  ctx: Ctx,
  actor: Actor,
  out: { transport: MailTransport; domain: string } | undefined,
  to: string,
): Promise<TestMailResult> {
  admin(actor);
  if (!out) throw Conflict('no SMTP server is configured: Steward sends no e-mail', 'mail_off');
  const messageId = `<test.${randomUUID()}@${out.domain}>`;
  const subject = 'Steward test message';
  const body = `This is a test message from Steward, sent by ${actor.label}.\n\nIf you can read it, e-mail from Steward reaches this address.`;
  let detail: string | null = null;
  try {
    await out.transport.send({
      to,
      subject,
      text: body,
      messageId,
      headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
    });
  } catch (err) {
    detail = (err instanceof Error ? err.message : String(err)).slice(0, 1000);
  }
  const status = detail === null ? 'sent' : 'failed';
  await ctx.tx(async (db) => {
    const id = await repo.insert(db, {
      direction: 'out',
      messageId,
      inReplyTo: null,
      ticketId: null,
      address: to,
      subject,
      body,
      status,
      detail,
      sha256: null,
    });
    await record(db, actor, 'mail.test_sent', { type: 'mail_message', id: id ?? null }, null, {
      to,
      status,
      ...(detail === null ? {} : { detail }),
    });
  });
  return { status, detail, messageId };
}

/**
 * GET /api/v1/mail/channel and POST /api/v1/mail/test (admins). `transport` is this server's outbound
 * transport (undefined: e-mail is off), handed over by main.ts.
 */
export function mailRoutes(
  app: App,
  { ctx }: Deps,
  settings: MailSettings,
  transport: MailTransport | undefined,
): void {
  const tags = ['mail'];
  const view = channelView(settings);
  const out = transport && {
    transport,
    domain: /@([^>\s]+)/.exec(settings.from)?.[1] ?? 'steward.invalid',
  };
  app.get(
    '/api/v1/mail/channel',
    {
      schema: {
        tags,
        summary: 'The e-mail channel’s settings (admins; set in the server’s configuration)',
        response: { 200: MailChannel, 403: Problem, 404: Problem },
      },
    },
    (req) => {
      admin(actorOf(req));
      return Promise.resolve(view);
    },
  );
  app.post(
    '/api/v1/mail/test',
    {
      schema: {
        tags,
        summary: 'Send a test message now (admins)',
        body: SendTestMail,
        response: { 200: TestMailResult, 400: Problem, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req) => sendTestMail(ctx, actorOf(req), out, req.body.to),
  );
}
