import { sql } from 'kysely';
import type { Db } from '../../platform/context.js';
import { type ChunkTable, readChunks, storeChunks } from '../../platform/files/chunks.js';

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

/** Stores one attachment's metadata (its bytes follow with {@link insertChunk}) and returns it. */
export async function insertAttachment(
  db: Db,
  a: {
    ticketId: string;
    commentId: string | null;
    internal: boolean;
    fileName: string;
    contentType: string;
    size: number;
    sha256: string;
    uploaderId: string | null;
    uploaderLabel: string;
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
      size: a.size,
      sha256: a.sha256,
      uploader_id: a.uploaderId,
      uploader_label: a.uploaderLabel,
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

const CHUNKS: ChunkTable = { table: 'ticket_attachment_chunks', key: 'attachment_id' };

/** Stores an attachment's bytes, chunk by chunk. */
export async function insertBytes(
  db: Db,
  attachmentId: string,
  chunks: AsyncIterable<Buffer>,
): Promise<void> {
  await storeChunks(db, CHUNKS, attachmentId, chunks);
}

/** The bytes of an attachment, chunk by chunk (one query each: a large file is never held whole). */
export function attachmentChunks(db: Db, id: string): AsyncGenerator<Buffer> {
  return readChunks(db, CHUNKS, id);
}

/**
 * Takes the lock that serialises attachment uploads by one uploader until the transaction ends, so that
 * checking their total and adding to it is one atomic step (the ticket's row lock does the same per ticket).
 * Callers take the ticket's lock first: one order for every writer, no deadlocks.
 */
export async function lockUploader(db: Db, userId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`ticket_attachments:uploader:${userId}`}))`.execute(db);
}

/** The bytes of attachments a ticket holds, and those one uploader holds across all tickets. */
export async function attachmentTotals(db: Db, ticketId: string, uploaderId: string | null) {
  const sum = (column: 'ticket_id' | 'uploader_id', value: string) =>
    db
      .selectFrom('ticket_attachments')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<string>('size'), sql<string>`0`).as('total'))
      .where(column, '=', value)
      .executeTakeFirstOrThrow();
  const ticket = await sum('ticket_id', ticketId);
  const uploader = uploaderId === null ? null : await sum('uploader_id', uploaderId);
  return { ticket: Number(ticket.total), uploader: uploader === null ? 0 : Number(uploader.total) };
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
