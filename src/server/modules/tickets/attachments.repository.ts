import type { Db } from '../../platform/context.js';

/** Every column but the bytes. */
const META = [
  'id',
  'ticket_id',
  'comment_id',
  'internal',
  'file_name',
  'content_type',
  'size',
  'sha256',
  'uploader_id',
  'uploader_label',
  'created_at',
] as const;

/** Stores one attachment (bytes included) and returns its metadata. */
export async function insertAttachment(
  db: Db,
  a: {
    ticketId: string;
    commentId: string | null;
    internal: boolean;
    fileName: string;
    contentType: string;
    sha256: string;
    uploaderId: string | null;
    uploaderLabel: string;
    data: Buffer;
  },
) {
  return db
    .insertInto('ticket_attachments')
    .values({
      ticket_id: a.ticketId,
      comment_id: a.commentId,
      internal: a.internal,
      file_name: a.fileName,
      content_type: a.contentType,
      size: a.data.length,
      sha256: a.sha256,
      uploader_id: a.uploaderId,
      uploader_label: a.uploaderLabel,
      data: a.data,
    })
    .returning(META)
    .executeTakeFirstOrThrow();
}

/** An attachment's metadata row. */
export type AttachmentRow = Awaited<ReturnType<typeof insertAttachment>>;

/** The attachments of a ticket, oldest first; internal ones only `withInternal`. */
export async function listAttachments(db: Db, ticketId: string, withInternal: boolean) {
  let q = db.selectFrom('ticket_attachments').select(META).where('ticket_id', '=', ticketId);
  if (!withInternal) q = q.where('internal', '=', false);
  return q.orderBy('created_at').orderBy('id').execute();
}

/** One attachment of a ticket (metadata), if the caller may see internal ones or it is public. */
export async function findAttachment(db: Db, ticketId: string, id: string, withInternal: boolean) {
  let q = db
    .selectFrom('ticket_attachments')
    .select(META)
    .where('ticket_id', '=', ticketId)
    .where('id', '=', id);
  if (!withInternal) q = q.where('internal', '=', false);
  return q.executeTakeFirst();
}

/** The bytes of an attachment. */
export async function attachmentData(db: Db, id: string): Promise<Buffer | undefined> {
  const r = await db.selectFrom('ticket_attachments').select('data').where('id', '=', id).executeTakeFirst();
  return r?.data;
}

/** Deletes an attachment; false when it was already gone. */
export async function deleteAttachment(db: Db, id: string): Promise<boolean> {
  const r = await db.deleteFrom('ticket_attachments').where('id', '=', id).returning('id').executeTakeFirst();
  return r !== undefined;
}

/** Whether a comment of this ticket exists, and whether it is internal. */
export async function commentOf(db: Db, ticketId: string, commentId: string) {
  return db
    .selectFrom('ticket_comments')
    .select(['id', 'internal', 'author_id'])
    .where('ticket_id', '=', ticketId)
    .where('id', '=', commentId)
    .executeTakeFirst();
}
