import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../platform/context.js';
import { enqueue, type JobSet, jobType, PermanentJobError } from '../../platform/jobs/index.js';
import type { MailTransport, OutgoingAttachment } from '../../platform/mail/transport.js';
import * as repo from './mail.repository.js';

/** The outbound side, set once at start-up: no transport = e-mail is off (notifications stay in-app). */
let outbound: { transport: MailTransport; domain: string } | undefined;

/** Sets (or, with undefined, clears) the transport that `mail.send` jobs use. */
export function configureOutboundMail(transport: MailTransport | undefined, fromAddress: string): void {
  const domain = /@([^>\s]+)/.exec(fromAddress)?.[1] ?? 'steward.invalid';
  outbound = transport ? { transport, domain } : undefined;
}

/** Whether e-mail can be sent at all. */
export function mailEnabled(): boolean {
  return outbound !== undefined;
}

/** The Message-ID every mail about a ticket refers to, so a reply names the ticket in its References. */
export function ticketThreadId(ticketId: string): string {
  return `<ticket.${ticketId}@${outbound?.domain ?? 'steward.invalid'}>`;
}

/**
 * Queues an e-mail in the caller's transaction: the mail log row and its `mail.send` job commit with the
 * write that caused them (or not at all); the job sends it and retries on failure.
 */
export async function queueMail(
  db: Db,
  m: {
    to: string;
    subject: string;
    body: string;
    ticketId: string | null;
    /** The body holds a secret (a one-time link): the mail log keeps it only until the mail is sent. */
    secret?: boolean;
  },
): Promise<void> {
  if (!outbound) return;
  const messageId = `<${randomUUID()}@${outbound.domain}>`;
  const id = await repo.insert(db, {
    direction: 'out',
    messageId,
    inReplyTo: m.ticketId ? ticketThreadId(m.ticketId) : null,
    ticketId: m.ticketId,
    address: m.to,
    subject: m.subject,
    body: m.body,
    status: 'queued',
    detail: null,
    sha256: null,
  });
  if (id) await enqueue(db, SEND.name, m.secret ? { id, secret: true } : { id }, { definition: SEND });
}

/**
 * Sends one message now (from a job, never inside a request or a transaction) and logs it in the mail log as
 * sent or failed; the attachments are sent, not kept (the log names them). Throws when mail is off or the server
 * refuses it: the calling job retries.
 */
export async function sendMailNow(
  db: Db,
  m: { to: string; subject: string; body: string; attachments: OutgoingAttachment[] },
): Promise<void> {
  if (!outbound) throw new PermanentJobError('no SMTP server is configured');
  const messageId = `<${randomUUID()}@${outbound.domain}>`;
  const names = m.attachments.map((a) => a.filename).join(', ');
  const base = { direction: 'out' as const, messageId, inReplyTo: null, ticketId: null, address: m.to };
  const logged = { ...base, subject: m.subject, body: `${m.body}\n\n[attached: ${names}]`, sha256: null };
  try {
    await outbound.transport.send({
      to: m.to,
      subject: m.subject,
      text: m.body,
      messageId,
      headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
      attachments: m.attachments,
    });
  } catch (err) {
    const detail = err instanceof Error ? err.message.slice(0, 1000) : String(err);
    await repo.insert(db, { ...logged, status: 'failed', detail });
    throw err;
  }
  const id = await repo.insert(db, { ...logged, status: 'queued', detail: null });
  if (id) await repo.setStatus(db, id, 'sent', null);
}

const REDACTED = '(held a one-time link: not kept once sent)';

/** `mail.send`: queued by {@link queueMail}, with this definition (its payload check and 8 attempts). */
const SEND = jobType('mail.send', {
  schema: z.object({ id: z.uuid(), secret: z.boolean().optional() }),
  maxAttempts: 8,
  handler: async (ctx, { id, secret }, job) => {
    const row = await repo.find(ctx.db, id);
    if (!row || row.status !== 'queued') return;
    if (!outbound) {
      await repo.setStatus(ctx.db, id, 'failed', 'no SMTP server is configured');
      throw new PermanentJobError('no SMTP server is configured');
    }
    try {
      await outbound.transport.send({
        to: row.address,
        subject: row.subject,
        text: row.body ?? '',
        messageId: row.message_id,
        ...(row.in_reply_to ? { inReplyTo: row.in_reply_to, references: [row.in_reply_to] } : {}),
        // Notifications are automatic mail: well-behaved auto-responders do not answer them (no loops).
        headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
      });
    } catch (err) {
      const detail = err instanceof Error ? err.message.slice(0, 1000) : String(err);
      // The last attempt leaves the outcome in the mail log; earlier ones are retried by the job queue.
      const last = job.attempt >= job.maxAttempts;
      await repo.setStatus(ctx.db, id, last ? 'failed' : 'queued', detail);
      if (last && secret) await repo.redactBody(ctx.db, id, REDACTED);
      throw err;
    }
    await repo.setStatus(ctx.db, id, 'sent', null);
    if (secret) await repo.redactBody(ctx.db, id, REDACTED);
  },
});

/** The mail module's job, for main.ts to hand to the job runner (no schedule: {@link queueMail} queues it). */
export function mailJobs(): JobSet {
  return { types: [SEND], schedules: [] };
}
