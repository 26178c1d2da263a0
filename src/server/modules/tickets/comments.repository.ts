import { sql } from 'kysely';
import type { Db } from '../../platform/context.js';

/** Inserts a comment (the search trigger folds its text into the ticket's search documents). */
export async function insertComment(
  db: Db,
  c: { ticketId: string; authorId: string | null; authorLabel: string; body: string; internal: boolean },
) {
  return db
    .insertInto('ticket_comments')
    .values({
      ticket_id: c.ticketId,
      author_id: c.authorId,
      author_label: c.authorLabel,
      body: c.body,
      internal: c.internal,
    })
    .returning(['id', 'ticket_id', 'author_id', 'author_label', 'body', 'internal', 'created_at'])
    .executeTakeFirstOrThrow();
}

/** One row of a timeline: a comment or an event, in write order (`seq`). */
export interface TimelineRow {
  seq: string;
  kind: 'comment' | 'created' | 'status' | 'field' | 'routing' | 'attachment' | 'link';
  at: Date;
  actor_id: string | null;
  actor_label: string;
  comment_id: string | null;
  body: string | null;
  internal: boolean | null;
  field: string | null;
  old_value: unknown;
  new_value: unknown;
}

/**
 * A page of a ticket's timeline: comments and events merged in the order they were written (one shared
 * sequence numbers both). Internal notes are left out unless `withInternal`.
 */
export async function timeline(
  db: Db,
  ticketId: string,
  opts: { withInternal: boolean; after?: string | undefined; limit: number },
): Promise<TimelineRow[]> {
  const internal = opts.withInternal ? sql`true` : sql`NOT c.internal`;
  // Requesters see neither events about internal notes nor how routing rules placed their ticket.
  const events = opts.withInternal ? sql`true` : sql`NOT e.internal AND e.kind <> 'routing'`;
  const after = opts.after ?? '0';
  const r = await sql<TimelineRow>`
    SELECT * FROM (
      SELECT c.seq, 'comment' AS kind, c.created_at AS at, c.author_id AS actor_id, c.author_label AS actor_label,
             c.id AS comment_id, c.body, c.internal, NULL::text AS field, NULL::jsonb AS old_value,
             NULL::jsonb AS new_value
        FROM ticket_comments c WHERE c.ticket_id = ${ticketId} AND ${internal} AND c.seq > ${after}::bigint
      UNION ALL
      SELECT e.seq, e.kind, e.at, e.actor_id, e.actor_label, NULL::uuid, NULL::text, NULL::boolean, e.field,
             e.old_value, e.new_value
        FROM ticket_events e WHERE e.ticket_id = ${ticketId} AND ${events} AND e.seq > ${after}::bigint
    ) x ORDER BY seq LIMIT ${opts.limit}`.execute(db);
  return r.rows;
}

/** The watchers of a ticket. */
export async function watchers(db: Db, ticketId: string) {
  return db
    .selectFrom('ticket_watchers')
    .select(['user_id', 'added_at'])
    .where('ticket_id', '=', ticketId)
    .orderBy('added_at')
    .orderBy('user_id')
    .execute();
}

/** Adds a watcher; false when they already watched. */
export async function addWatcher(db: Db, ticketId: string, userId: string): Promise<boolean> {
  const r = await db
    .insertInto('ticket_watchers')
    .values({ ticket_id: ticketId, user_id: userId })
    .onConflict((oc) => oc.columns(['ticket_id', 'user_id']).doNothing())
    .returning('user_id')
    .executeTakeFirst();
  return r !== undefined;
}

/** Removes a watcher; false when they did not watch. */
export async function removeWatcher(db: Db, ticketId: string, userId: string): Promise<boolean> {
  const r = await db
    .deleteFrom('ticket_watchers')
    .where('ticket_id', '=', ticketId)
    .where('user_id', '=', userId)
    .returning('user_id')
    .executeTakeFirst();
  return r !== undefined;
}

/** The newest public reply on a ticket by someone other than its requester: its answer, when resolved. */
export async function lastPublicAnswer(db: Db, ticketId: string): Promise<string | undefined> {
  const r = await db
    .selectFrom('ticket_comments as c')
    .innerJoin('tickets as t', 't.id', 'c.ticket_id')
    .select('c.body')
    .where('c.ticket_id', '=', ticketId)
    .where('c.internal', '=', false)
    .where((eb) => eb.or([eb('c.author_id', 'is', null), eb('c.author_id', '<>', eb.ref('t.requester_id'))]))
    .orderBy('c.seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r?.body;
}
