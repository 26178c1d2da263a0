import { type RawBuilder, sql } from 'kysely';
import type { LinkKind } from '../../../contracts/index.js';
import type { Db } from '../../platform/context.js';

/** Inserts a link; undefined when the ticket already holds a link of this kind. */
export async function insertLink(
  db: Db,
  l: { kind: LinkKind; fromId: string; toId: string; createdBy: string | null },
) {
  return db
    .insertInto('ticket_links')
    .values({ kind: l.kind, from_id: l.fromId, to_id: l.toId, created_by: l.createdBy })
    .onConflict((oc) => oc.columns(['from_id', 'kind']).doNothing())
    .returning(['id', 'kind', 'from_id', 'to_id', 'created_at'])
    .executeTakeFirst();
}

/** True when `ancestorId` is `ticketId` or above it in the parent chain (a loop would close). */
export async function isAncestorOrSelf(db: Db, ticketId: string, ancestorId: string): Promise<boolean> {
  const r = await sql<{ hit: number }>`
    WITH RECURSIVE up(id, depth) AS (
      SELECT ${ticketId}::uuid, 0
      UNION ALL
      SELECT l.to_id, up.depth + 1 FROM ticket_links l JOIN up ON l.from_id = up.id
       WHERE l.kind = 'parent' AND up.depth < 1000
    )
    SELECT 1 AS hit FROM up WHERE id = ${ancestorId}::uuid LIMIT 1`.execute(db);
  return r.rows.length > 0;
}

/** A link row with the ticket at its other end. */
export interface LinkRow {
  id: string;
  kind: LinkKind;
  direction: 'outgoing' | 'incoming';
  created_at: Date;
  other_id: string;
  other_type: 'incident' | 'request' | 'problem';
  other_number: number;
  other_title: string;
  other_status: string;
}

/** The links of a ticket whose other end `visible` (a predicate over `tickets AS t`) lets the caller see. */
export async function listLinks(db: Db, ticketId: string, visible: RawBuilder<boolean>): Promise<LinkRow[]> {
  const r = await sql<LinkRow>`
    SELECT l.id, l.kind, 'outgoing' AS direction, l.created_at,
           t.id AS other_id, t.type AS other_type, t.number AS other_number, t.title AS other_title,
           t.status AS other_status
      FROM ticket_links l JOIN tickets t ON t.id = l.to_id
     WHERE l.from_id = ${ticketId} AND ${visible}
    UNION ALL
    SELECT l.id, l.kind, 'incoming', l.created_at, t.id, t.type, t.number, t.title, t.status
      FROM ticket_links l JOIN tickets t ON t.id = l.from_id
     WHERE l.to_id = ${ticketId} AND ${visible}
    ORDER BY created_at, id`.execute(db);
  return r.rows;
}

/** One link that touches `ticketId` (from either end). */
export async function findLink(db: Db, ticketId: string, linkId: string) {
  return db
    .selectFrom('ticket_links')
    .select(['id', 'kind', 'from_id', 'to_id'])
    .where('id', '=', linkId)
    .where((eb) => eb.or([eb('from_id', '=', ticketId), eb('to_id', '=', ticketId)]))
    .executeTakeFirst();
}

/** Deletes a link. */
export async function deleteLink(db: Db, linkId: string): Promise<void> {
  await db.deleteFrom('ticket_links').where('id', '=', linkId).execute();
}

/**
 * Moves a merged ticket's conversation (comments, with their attachments, and attachments of its own) to
 * the ticket it was merged into; comments keep their place in time. Returns how many of each moved.
 */
export async function moveConversation(db: Db, fromId: string, toId: string) {
  const comments = await db
    .updateTable('ticket_comments')
    .set({ ticket_id: toId })
    .where('ticket_id', '=', fromId)
    .returning('id')
    .execute();
  const attachments = await db
    .updateTable('ticket_attachments')
    .set({ ticket_id: toId })
    .where('ticket_id', '=', fromId)
    .returning('id')
    .execute();
  // Both search documents follow the comments (the trigger recomputes them on a title write).
  await sql`UPDATE tickets SET title = title WHERE id IN (${fromId}, ${toId})`.execute(db);
  return { comments: comments.length, attachments: attachments.length };
}

/** Makes the merged ticket's requester and watchers watchers of the surviving ticket; returns who was added. */
export async function carryWatchers(db: Db, fromId: string, toId: string): Promise<string[]> {
  const r = await sql<{ user_id: string }>`
    INSERT INTO ticket_watchers (ticket_id, user_id)
    SELECT ${toId}::uuid, u.user_id FROM (
      SELECT requester_id AS user_id FROM tickets WHERE id = ${fromId}
      UNION SELECT user_id FROM ticket_watchers WHERE ticket_id = ${fromId}
    ) u
    WHERE u.user_id <> (SELECT requester_id FROM tickets WHERE id = ${toId})
    ON CONFLICT (ticket_id, user_id) DO NOTHING
    RETURNING user_id`.execute(db);
  return r.rows.map((x) => x.user_id);
}

/** The problem an incident is linked to, if any (other modules show the problem's known error). */
export async function problemOf(db: Db, ticketId: string): Promise<string | undefined> {
  const r = await db
    .selectFrom('ticket_links')
    .select('to_id')
    .where('from_id', '=', ticketId)
    .where('kind', '=', 'problem')
    .executeTakeFirst();
  return r?.to_id;
}
