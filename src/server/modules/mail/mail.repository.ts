import { type Selectable, sql } from 'kysely';
import type { MailMessagesTable } from '../../db/schema.js';
import type { Db } from '../../platform/context.js';

/** A row of the mail log. */
export type MailRow = Omit<Selectable<MailMessagesTable>, 'seq' | 'sha256'>;

/** Writes a log row; undefined when a row of that direction and Message-ID exists already. */
export async function insert(
  db: Db,
  m: {
    direction: 'in' | 'out';
    messageId: string;
    inReplyTo: string | null;
    ticketId: string | null;
    address: string;
    subject: string;
    body: string | null;
    status: MailRow['status'];
    detail: string | null;
    sha256: string | null;
  },
): Promise<string | undefined> {
  const r = await sql<{ id: string }>`INSERT INTO mail_messages
      (direction, message_id, in_reply_to, ticket_id, address, subject, body, status, detail, sha256)
    VALUES (${m.direction}, ${m.messageId}, ${m.inReplyTo}, ${m.ticketId}, ${m.address}, ${m.subject},
      ${m.body}, ${m.status}, ${m.detail}, ${m.sha256})
    ON CONFLICT (direction, message_id) DO NOTHING RETURNING id`.execute(db);
  return r.rows[0]?.id;
}

/** One row. */
export async function find(db: Db, id: string): Promise<MailRow | undefined> {
  return (await sql<MailRow>`SELECT * FROM mail_messages WHERE id = ${id}`.execute(db)).rows[0];
}

/** Records the outcome of a send. */
export async function setStatus(db: Db, id: string, status: MailRow['status'], detail: string | null) {
  await sql`UPDATE mail_messages SET status = ${status}, detail = ${detail},
    sent_at = CASE WHEN ${status} = 'sent' THEN now() ELSE sent_at END WHERE id = ${id}`.execute(db);
}

/** Replaces a logged message's body (one that held a secret). */
export async function redactBody(db: Db, id: string, body: string): Promise<void> {
  await db.updateTable('mail_messages').set({ body }).where('id', '=', id).execute();
}

/** The ticket of the first of `messageIds` that Steward sent or received about one. */
export async function ticketOfMessages(db: Db, messageIds: readonly string[]): Promise<string | undefined> {
  if (messageIds.length === 0) return undefined;
  const r = await sql<{ ticket_id: string }>`SELECT ticket_id FROM mail_messages
    WHERE message_id = ANY(${[...messageIds]}::text[]) AND ticket_id IS NOT NULL
    ORDER BY seq DESC LIMIT 1`.execute(db);
  return r.rows[0]?.ticket_id;
}

/** The newest rows, for the admin's mail log. */
export async function recent(db: Db, limit: number, beforeSeq: string | null) {
  return (
    await sql<MailRow & { seq: string }>`SELECT * FROM mail_messages
      ${beforeSeq ? sql`WHERE seq < ${beforeSeq}::bigint` : sql``}
      ORDER BY seq DESC LIMIT ${limit}`.execute(db)
  ).rows;
}

/** Records which ticket an incoming message became or joined. */
export async function linkTicket(db: Db, messageId: string, ticketId: string): Promise<void> {
  await sql`UPDATE mail_messages SET ticket_id = ${ticketId}
    WHERE direction = 'in' AND message_id = ${messageId}`.execute(db);
}
