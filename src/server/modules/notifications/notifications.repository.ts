import { sql } from 'kysely';
import type { Db } from '../../platform/context.js';

/** Who to notify, before people are looked up. */
export type Audience = 'requester' | 'assignee' | 'watchers' | 'team' | 'managers';

/** Active users among the audiences of a ticket and the named users, with e-mail and role. */
export async function recipients(
  db: Db,
  t: { id: string; requesterId: string; assigneeId: string | null; teamId: string | null },
  audiences: readonly Audience[],
  userIds: readonly string[],
): Promise<{ id: string; email: string; name: string; role: string }[]> {
  const parts = [sql`SELECT unnest(${[...userIds]}::uuid[]) AS id`];
  if (audiences.includes('requester')) parts.push(sql`SELECT ${t.requesterId}::uuid`);
  if (audiences.includes('assignee') && t.assigneeId) parts.push(sql`SELECT ${t.assigneeId}::uuid`);
  if (audiences.includes('watchers'))
    parts.push(sql`SELECT user_id FROM ticket_watchers WHERE ticket_id = ${t.id}`);
  if (audiences.includes('team') && t.teamId)
    parts.push(sql`SELECT user_id FROM team_members WHERE team_id = ${t.teamId}`);
  if (audiences.includes('managers')) parts.push(sql`SELECT id FROM users WHERE role = 'manager'`);
  const r = await sql<{ id: string; email: string; name: string; role: string }>`
    SELECT u.id, u.email, u.name, u.role FROM users u
    WHERE u.active AND u.id IN (${sql.join(parts, sql` UNION `)})
    ORDER BY u.id`.execute(db);
  return r.rows;
}

/** Stored preferences of users for one event. */
export async function prefsFor(
  db: Db,
  userIds: readonly string[],
  event: string,
): Promise<Map<string, { in_app: boolean; email: boolean }>> {
  if (userIds.length === 0) return new Map();
  const r = await sql<{ user_id: string; in_app: boolean; email: boolean }>`
    SELECT user_id, in_app, email FROM notification_prefs
    WHERE event = ${event} AND user_id = ANY(${[...userIds]}::uuid[])`.execute(db);
  return new Map(r.rows.map((x) => [x.user_id, x]));
}

/** All stored preferences of one user. */
export async function prefsOf(db: Db, userId: string) {
  return (
    await sql<{ event: string; in_app: boolean; email: boolean }>`SELECT event, in_app, email
      FROM notification_prefs WHERE user_id = ${userId}`.execute(db)
  ).rows;
}

/** Replaces a user's preferences. */
export async function setPrefs(
  db: Db,
  userId: string,
  prefs: readonly { event: string; inApp: boolean; email: boolean }[],
): Promise<void> {
  await sql`DELETE FROM notification_prefs WHERE user_id = ${userId}`.execute(db);
  if (prefs.length === 0) return;
  await sql`INSERT INTO notification_prefs (user_id, event, in_app, email)
    SELECT ${userId}, e, i, m FROM unnest(${prefs.map((p) => p.event)}::text[],
      ${prefs.map((p) => p.inApp)}::boolean[], ${prefs.map((p) => p.email)}::boolean[]) AS v(e, i, m)`.execute(
    db,
  );
}

/** An admin's template for an event, if any. */
export async function template(db: Db, event: string) {
  return (
    await sql<{ event: string; subject: string; body: string; version: number }>`
      SELECT event, subject, body, version FROM notification_templates WHERE event = ${event}`.execute(db)
  ).rows[0];
}

/** Every stored template. */
export async function templates(db: Db) {
  return (
    await sql<{ event: string; subject: string; body: string; version: number }>`
      SELECT event, subject, body, version FROM notification_templates`.execute(db)
  ).rows;
}

/** Writes a template: inserts at version 1, or updates at `version` (undefined when stale). */
export async function putTemplate(
  db: Db,
  event: string,
  subject: string,
  body: string,
  version: number | undefined,
): Promise<{ version: number } | undefined> {
  const r =
    version === undefined
      ? await sql<{ version: number }>`INSERT INTO notification_templates (event, subject, body)
          VALUES (${event}, ${subject}, ${body}) ON CONFLICT (event) DO NOTHING RETURNING version`.execute(db)
      : await sql<{ version: number }>`UPDATE notification_templates SET subject = ${subject}, body = ${body},
          version = version + 1, updated_at = now() WHERE event = ${event} AND version = ${version}
          RETURNING version`.execute(db);
  return r.rows[0];
}

/** In-app notifications to insert. */
export interface NewNotification {
  userId: string;
  event: string;
  ticketId: string | null;
  title: string;
  body: string;
}

/** Inserts in-app notifications in one statement. */
export async function insertNotifications(db: Db, rows: readonly NewNotification[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`INSERT INTO notifications (user_id, event, ticket_id, title, body)
    SELECT * FROM unnest(${rows.map((r) => r.userId)}::uuid[], ${rows.map((r) => r.event)}::text[],
      ${rows.map((r) => r.ticketId)}::uuid[], ${rows.map((r) => r.title)}::text[],
      ${rows.map((r) => r.body)}::text[])`.execute(db);
}

/** A user's notifications, newest first, after `beforeSeq`. */
export async function page(db: Db, userId: string, unread: boolean, beforeSeq: string | null, limit: number) {
  return (
    await sql<{
      id: string;
      seq: string;
      event: string;
      ticket_id: string | null;
      title: string;
      body: string;
      read_at: Date | null;
      created_at: Date;
    }>`SELECT id, seq, event, ticket_id, title, body, read_at, created_at FROM notifications
      WHERE user_id = ${userId} ${unread ? sql`AND read_at IS NULL` : sql``}
        ${beforeSeq ? sql`AND seq < ${beforeSeq}::bigint` : sql``}
      ORDER BY seq DESC LIMIT ${limit}`.execute(db)
  ).rows;
}

/** How many unread notifications a user has. */
export async function unreadCount(db: Db, userId: string): Promise<number> {
  const r = await sql<{ n: string }>`SELECT count(*)::text AS n FROM notifications
    WHERE user_id = ${userId} AND read_at IS NULL`.execute(db);
  return Number(r.rows[0]!.n);
}

/** Marks a user's notification (or all of them) read; returns how many changed. */
export async function markRead(db: Db, userId: string, id: string | null): Promise<number> {
  const r = await sql`UPDATE notifications SET read_at = now()
    WHERE user_id = ${userId} AND read_at IS NULL ${id ? sql`AND id = ${id}` : sql``}`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

/** Whether a notification exists and belongs to the user. */
export async function owns(db: Db, userId: string, id: string): Promise<boolean> {
  return (
    (await sql`SELECT 1 FROM notifications WHERE id = ${id} AND user_id = ${userId}`.execute(db)).rows
      .length > 0
  );
}

/** The active users among `ids`. */
export async function activeUsers(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return (
    await sql<{
      id: string;
      email: string;
      name: string;
      role: string;
    }>`SELECT id, email, name, role FROM users
      WHERE active AND id = ANY(${[...ids]}::uuid[]) ORDER BY id`.execute(db)
  ).rows;
}
