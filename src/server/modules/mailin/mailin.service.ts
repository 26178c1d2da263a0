/**
 * The e-mail channel: a message becomes a new ticket, or a reply on the ticket it answers. Threading is by
 * the ticket token in the subject ([INC-42]) or by the Message-IDs in In-Reply-To / References that Steward
 * sent or received for a ticket. Automatic mail (auto-replies, bounces, bulk, loops) is logged and dropped;
 * malformed or oversized mail is refused; a redelivered message (same Message-ID) is a no-op. Each message
 * is handled in one transaction: a ticket never exists without its attachments, nor a reply without its
 * files, and a failure leaves nothing behind.
 */
import { CreateTicket } from '../../../contracts/index.js';
import { ZodError } from 'zod';
import type { Ctx, Db } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { type InboundMessage, parseInbound } from '../../platform/mail/inbound.js';
import type { Actor } from '../../platform/permissions.js';
import { linkTicket, logMail, ticketOfMessages } from '../mail/index.js';
import * as tickets from '../tickets/index.js';
import * as users from '../users/index.js';

/** How the channel treats mail. */
export interface MailInSettings {
  maxBytes: number;
  unknownSenders: 'create' | 'reject';
  ticketType: 'incident' | 'request';
  /** Our own address: mail from it is a loop. */
  ownAddress: string;
}

/** What became of a message. */
export type MailOutcome =
  | { kind: 'ticket'; ticketId: string; key: string }
  | { kind: 'reply'; ticketId: string; key: string }
  | { kind: 'ignored'; reason: string }
  | { kind: 'duplicate' };

/** The channel itself, as recorded on tickets, comments and in the audit trail. */
const CHANNEL: Actor = { userId: null, role: 'admin', label: 'mail', via: 'mail' };

/** A refusal that retrying cannot change (the listener answers 5xx, the poller sets the message aside). */
export class RefusedMail extends Error {
  override readonly name = 'RefusedMail';
  readonly permanent = true;
}

/**
 * Handles one raw message. Throws {@link InboundMailError} for malformed or oversized mail and a permanent
 * error for a refused sender (both logged); resolves with the outcome otherwise.
 */
export async function receiveMail(ctx: Ctx, raw: Buffer, s: MailInSettings): Promise<MailOutcome> {
  const m = await parseInbound(raw, { maxBytes: s.maxBytes, ownAddresses: [s.ownAddress] });
  const messageId = m.messageId ?? `<sha256.${m.sha256}@steward.missing>`;
  const log = (
    db: Db,
    status: 'received' | 'ignored' | 'rejected',
    ticketId: string | null,
    detail: string | null,
  ) =>
    logMail(db, {
      direction: 'in',
      messageId,
      inReplyTo: m.inReplyTo,
      ticketId,
      address: m.from.address,
      subject: m.subject.slice(0, 998),
      body: null,
      status,
      detail,
      sha256: m.sha256,
    });
  if (m.automatic) {
    await ctx.tx((db) => log(db, 'ignored', null, m.automatic));
    return { kind: 'ignored', reason: m.automatic };
  }
  try {
    return await ctx.tx((db) => handle(db, m, messageId, log, s));
  } catch (err) {
    // A message the desk refuses (bad sender, a reply it cannot take, fields out of bounds) is refused for
    // good; nothing of it was kept but this record of why. Anything else is temporary: the sender retries.
    const refused =
      err instanceof RefusedMail
        ? err
        : (err instanceof AppError && err.status < 500) || err instanceof ZodError
          ? new RefusedMail(err.message.slice(0, 500))
          : undefined;
    if (!refused) throw err;
    await ctx.tx((db) => log(db, 'rejected', null, refused.message));
    throw refused;
  }
}

async function handle(
  db: Db,
  m: InboundMessage,
  messageId: string,
  log: (db: Db, status: 'received', ticketId: null, detail: null) => Promise<string | undefined>,
  s: MailInSettings,
): Promise<MailOutcome> {
  {
    // Claim the Message-ID first: a second delivery of the same message stops here.
    if ((await log(db, 'received', null, null)) === undefined) return { kind: 'duplicate' };
    const sender = await users.userFromMail(db, CHANNEL, m.from, s.unknownSenders === 'create');
    if (!sender) throw new RefusedMail(`unknown or inactive sender ${m.from.address}`);
    const actor: Actor = { userId: sender.id, role: sender.role, label: sender.email, via: 'mail' };
    const existing = await threadOf(db, actor, m);
    const files = m.attachments.map((a) => tickets.bufferUpload(a.filename, a.bytes));
    if (existing && existing.status !== 'closed' && existing.status !== 'cancelled') {
      const comment = await tickets.addCommentIn(db, actor, existing.id, {
        body: bodyOf(m) || '(empty reply)',
        internal: false,
      });
      await tickets.addAttachmentsIn(db, actor, existing.id, files, { commentId: comment.id });
      await linkTicket(db, messageId, existing.id);
      return { kind: 'reply', ticketId: existing.id, key: existing.key };
    }
    const input = CreateTicket.parse({
      type: s.ticketType,
      title: (m.subject.trim() || '(no subject)').slice(0, 200),
      description:
        (existing ? `Follow-up to ${existing.key}, which is ${existing.status}.\n\n` : '') +
        (bodyOf(m) || '(no text)'),
    });
    const t = await tickets.createTicketIn(db, actor, input);
    await tickets.addAttachmentsIn(db, actor, t.id, files, {});
    await linkTicket(db, messageId, t.id);
    return { kind: 'ticket', ticketId: t.id, key: t.key };
  }
}

/** The mail's text, within the length a ticket description or comment takes. */
function bodyOf(m: InboundMessage): string {
  const text = m.text.trim();
  return text.length > 19_000 ? `${text.slice(0, 19_000)}\n\n[the rest of the message was cut]` : text;
}

/** The ticket a message belongs to: by its token, else by the Message-IDs it answers; only if visible. */
async function threadOf(db: Db, actor: Actor, m: InboundMessage) {
  if (m.ticketToken) {
    const t = await tickets.findByKey(db, actor, m.ticketToken);
    if (t) return t;
  }
  const ids = [...(m.inReplyTo ? [m.inReplyTo] : []), ...m.references];
  const fromThread = ids
    .map((id) => /^<ticket\.([0-9a-f-]{36})@/i.exec(id)?.[1])
    .find((x) => x !== undefined);
  const ticketId = fromThread ?? (await ticketOfMessages(db, ids));
  return ticketId ? tickets.findVisibleTicket(db, actor, ticketId) : undefined;
}
