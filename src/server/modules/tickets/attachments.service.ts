import { type Attachment, TICKET_PREFIX } from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { AppError, Conflict, Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { allows, type Actor } from '../../platform/permissions.js';
import * as files from './attachments.repository.js';
import type { AttachmentRow } from './attachments.repository.js';
import type { Upload } from '../../platform/files/spool.js';
import { safeFileName, servingOf, sniffContentType } from '../../platform/files/sniff.js';
import * as repo from './tickets.repository.js';
import { FINAL_STATUSES } from './transitions.js';
import { visibleTo } from './visibility.js';

/** The most bytes of attachments one ticket, and one uploader across all tickets, may hold. */
export interface AttachmentTotals {
  ticketBytes: number;
  userBytes: number;
}

/** Options of {@link addAttachments}: the comment the files belong to, internal, and the totals to keep. */
export interface AttachOptions {
  commentId?: string | undefined;
  internal?: boolean | undefined;
  totals?: AttachmentTotals | undefined;
}

/** Sizes for people: 1.5 MB, 200 kB, 512 bytes. */
function readableSize(bytes: number): string {
  if (bytes >= 1_000_000) return `${(bytes / 1_000_000).toFixed(1).replace(/\.0$/, '')} MB`;
  if (bytes >= 1_000) return `${Math.round(bytes / 1_000)} kB`;
  return `${bytes} bytes`;
}

/**
 * Refuses with a 413 when the files would take the ticket's or the uploader's attachments past their total.
 * Runs under the ticket's row lock and the uploader's lock, so parallel uploads cannot both pass the check.
 */
async function checkTotals(
  db: Db,
  actor: Actor,
  ticket: { id: string; type: keyof typeof TICKET_PREFIX; number: number },
  adding: number,
  totals: AttachmentTotals,
): Promise<void> {
  if (actor.userId !== null) await files.lockUploader(db, actor.userId);
  const held = await files.attachmentTotals(db, ticket.id, actor.userId);
  const tooMuch = (detail: string) =>
    new AppError(413, 'attachment_quota', 'Attachment quota reached', detail);
  const key = `${TICKET_PREFIX[ticket.type]}-${ticket.number}`;
  if (held.ticket + adding > totals.ticketBytes) {
    throw tooMuch(
      `${key} already holds ${readableSize(held.ticket)} of attachments; with these ${readableSize(adding)} ` +
        `it would pass its limit of ${readableSize(totals.ticketBytes)}`,
    );
  }
  if (actor.userId !== null && held.uploader + adding > totals.userBytes) {
    throw tooMuch(
      `your attachments already take ${readableSize(held.uploader)}; with these ${readableSize(adding)} ` +
        `they would pass your limit of ${readableSize(totals.userBytes)}`,
    );
  }
}

function view(r: AttachmentRow): Attachment {
  return {
    id: r.id,
    ticketId: r.ticket_id,
    commentId: r.comment_id,
    internal: r.internal,
    fileName: r.file_name,
    contentType: r.content_type,
    size: r.size,
    sha256: r.sha256,
    uploaderId: r.uploader_id,
    uploaderLabel: r.uploader_label,
    createdAt: r.created_at.toISOString(),
    downloadUrl: `/api/v1/tickets/${r.ticket_id}/attachments/${r.id}/content`,
  };
}

/**
 * Attaches files to a visible, not yet final ticket, all or none. With `commentId` they belong to that
 * comment (its author, or an agent, may attach) and are internal when the comment is an internal note;
 * otherwise `internal` is allowed only for agents and above. The content type is sniffed from the bytes.
 */
export async function addAttachments(
  ctx: Ctx,
  actor: Actor,
  ticketId: string,
  uploads: readonly Upload[],
  opts: AttachOptions,
): Promise<Attachment[]> {
  if (uploads.length === 0) {
    throw Invalid('no file in the upload', [{ path: 'body.file', message: 'attach at least one file' }]);
  }
  return ctx.tx((db) => addAttachmentsIn(db, actor, ticketId, uploads, opts));
}

/** {@link addAttachments} inside the caller's transaction. */
export async function addAttachmentsIn(
  db: Db,
  actor: Actor,
  ticketId: string,
  uploads: readonly Upload[],
  opts: AttachOptions,
): Promise<Attachment[]> {
  if (uploads.length === 0) return [];
  const works = allows(actor, 'ticket:work');
  {
    const ticket = await repo.findVisible(db, ticketId, visibleTo(actor), true);
    if (!ticket) throw NotFound('ticket');
    if (FINAL_STATUSES.includes(ticket.status)) {
      throw Conflict(`the ticket is ${ticket.status}: it takes no more attachments`, 'ticket_final');
    }
    let internal = opts.internal ?? false;
    if (internal && !works) throw Forbidden('only agents may attach files to internal notes');
    let commentId: string | null = null;
    if (opts.commentId) {
      const c = await files.commentOf(db, ticketId, opts.commentId);
      // An internal note a requester cannot see does not exist for them.
      if (!c || (c.internal && !works)) throw NotFound('comment');
      if (!works && c.author_id !== actor.userId)
        throw Forbidden('you may attach files only to your own replies');
      commentId = c.id;
      internal = c.internal;
    }
    if (opts.totals) {
      await checkTotals(db, actor, ticket, sum(uploads.map((u) => u.size)), opts.totals);
    }
    const out: Attachment[] = [];
    for (const u of uploads) {
      const fileName = safeFileName(u.fileName);
      const row = await files.insertAttachment(db, {
        ticketId,
        commentId,
        internal,
        fileName,
        contentType: sniffContentType(u.head, fileName),
        size: u.size,
        sha256: u.sha256,
        uploaderId: actor.userId,
        uploaderLabel: actor.label,
      });
      await files.insertBytes(db, row.id, u.chunks());
      const a = view(row);
      await repo.insertEvent(db, {
        ticketId,
        actorId: actor.userId,
        actorLabel: actor.label,
        kind: 'attachment',
        field: 'attachments',
        from: null,
        to: { id: a.id, fileName: a.fileName, size: a.size, contentType: a.contentType },
        internal,
      });
      await record(db, actor, 'ticket.attachment_added', { type: 'ticket', id: ticketId }, null, {
        attachmentId: a.id,
        fileName: a.fileName,
        size: a.size,
        contentType: a.contentType,
        sha256: a.sha256,
        internal,
      });
      out.push(a);
    }
    return out;
  }
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

/** The attachments of a visible ticket (without those on internal notes for requesters). */
export async function listAttachments(ctx: Ctx, actor: Actor, ticketId: string): Promise<Attachment[]> {
  const ticket = await repo.findVisible(ctx.db, ticketId, visibleTo(actor));
  if (!ticket) throw NotFound('ticket');
  return (await files.listAttachments(ctx.db, ticketId, allows(actor, 'ticket:work'))).map(view);
}

/** The metadata of one attachment the caller may see. */
export async function getAttachment(
  ctx: Ctx,
  actor: Actor,
  ticketId: string,
  id: string,
): Promise<Attachment> {
  const ticket = await repo.findVisible(ctx.db, ticketId, visibleTo(actor));
  if (!ticket) throw NotFound('ticket');
  const row = await files.findAttachment(ctx.db, ticketId, id, allows(actor, 'ticket:work'));
  if (!row) throw NotFound('attachment');
  return view(row);
}

/**
 * An attachment's bytes (streamed chunk by chunk) with the headers to serve them safely. 404 for anything the
 * caller may not see.
 */
export async function downloadAttachment(
  ctx: Ctx,
  actor: Actor,
  ticketId: string,
  id: string,
): Promise<{ data: AsyncIterable<Buffer>; size: number; type: string; disposition: string; sha256: string }> {
  const a = await getAttachment(ctx, actor, ticketId, id);
  return {
    data: files.attachmentChunks(ctx.db, id),
    size: a.size,
    sha256: a.sha256,
    ...servingOf(a.contentType, a.fileName),
  };
}

/** Deletes an attachment: its uploader, or an agent and above. Recorded on the timeline and audited. */
export async function deleteAttachment(ctx: Ctx, actor: Actor, ticketId: string, id: string): Promise<void> {
  const works = allows(actor, 'ticket:work');
  await ctx.tx(async (db) => {
    const ticket = await repo.findVisible(db, ticketId, visibleTo(actor), true);
    if (!ticket) throw NotFound('ticket');
    const row = await files.findAttachment(db, ticketId, id, works);
    if (!row) throw NotFound('attachment');
    if (!works && row.uploader_id !== actor.userId)
      throw Forbidden('you may delete only your own attachments');
    if (FINAL_STATUSES.includes(ticket.status)) {
      throw Conflict(`the ticket is ${ticket.status}: its attachments are kept`, 'ticket_final');
    }
    await files.deleteAttachment(db, id);
    await repo.insertEvent(db, {
      ticketId,
      actorId: actor.userId,
      actorLabel: actor.label,
      kind: 'attachment',
      field: 'attachments',
      from: { id: row.id, fileName: row.file_name, size: row.size },
      to: null,
      internal: row.internal,
    });
    await record(
      db,
      actor,
      'ticket.attachment_deleted',
      { type: 'ticket', id: ticketId },
      { attachmentId: row.id, fileName: row.file_name, size: row.size, sha256: row.sha256 },
      null,
    );
  });
}
