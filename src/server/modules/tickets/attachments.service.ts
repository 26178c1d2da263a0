import { createHash } from 'node:crypto';
import type { Attachment } from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { allows, type Actor } from '../../platform/permissions.js';
import * as files from './attachments.repository.js';
import type { AttachmentRow } from './attachments.repository.js';
import { safeFileName, servingOf, sniffContentType } from './sniff.js';
import * as repo from './tickets.repository.js';
import { FINAL_STATUSES } from './transitions.js';
import { visibleTo } from './visibility.js';

/** One uploaded file, already read (and size-checked) by the route. */
export interface Upload {
  fileName: string;
  data: Buffer;
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
  opts: { commentId?: string | undefined; internal?: boolean | undefined },
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
  opts: { commentId?: string | undefined; internal?: boolean | undefined },
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
    const out: Attachment[] = [];
    for (const u of uploads) {
      const fileName = safeFileName(u.fileName);
      const row = await files.insertAttachment(db, {
        ticketId,
        commentId,
        internal,
        fileName,
        contentType: sniffContentType(u.data, fileName),
        sha256: createHash('sha256').update(u.data).digest('hex'),
        uploaderId: actor.userId,
        uploaderLabel: actor.label,
        data: u.data,
      });
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

/** An attachment's bytes with the headers to serve them safely. 404 for anything the caller may not see. */
export async function downloadAttachment(
  ctx: Ctx,
  actor: Actor,
  ticketId: string,
  id: string,
): Promise<{ data: Buffer; type: string; disposition: string; sha256: string }> {
  const a = await getAttachment(ctx, actor, ticketId, id);
  const data = await files.attachmentData(ctx.db, id);
  if (!data) throw NotFound('attachment');
  return { data, sha256: a.sha256, ...servingOf(a.contentType, a.fileName) };
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
