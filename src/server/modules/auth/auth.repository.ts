import { sql } from 'kysely';
import type { Db } from '../../platform/context.js';

/** Stores a new session. */
export async function insertSession(
  db: Db,
  s: {
    id_hash: string;
    user_id: string;
    csrf_token: string;
    expires_at: Date;
    ip: string | null;
    user_agent: string | null;
  },
): Promise<void> {
  await db.insertInto('sessions').values(s).execute();
}

/** A live session with its (active) user. */
export async function findSession(db: Db, idHash: string, now: Date) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id_hash',
      'sessions.csrf_token',
      'sessions.expires_at',
      'sessions.last_seen_at',
      'users.id as user_id',
      'users.email',
      'users.role',
      'users.active',
    ])
    .where('sessions.id_hash', '=', idHash)
    .where('sessions.expires_at', '>', now)
    .executeTakeFirst();
}

/** Slides a session's expiry. */
export async function touchSession(db: Db, idHash: string, now: Date, expiresAt: Date): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: now, expires_at: expiresAt })
    .where('id_hash', '=', idHash)
    .execute();
}

/** Deletes one session; returns its user id when it existed. */
export async function deleteSession(db: Db, idHash: string): Promise<string | undefined> {
  const r = await db
    .deleteFrom('sessions')
    .where('id_hash', '=', idHash)
    .returning('user_id')
    .executeTakeFirst();
  return r?.user_id;
}

/** Deletes every session of a user, but the one hashed `keep` (when given). */
export async function deleteSessionsOf(db: Db, userId: string, keep?: string): Promise<number> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keep !== undefined) q = q.where('id_hash', '<>', keep);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Deletes expired sessions. */
export async function deleteExpiredSessions(db: Db, now: Date): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
}

/**
 * Reserves one sign-in attempt for `key` in a single statement, before any password is verified: it counts
 * the attempt while the key is under `max` in its window (or starts a new window once the old one or its lock
 * has lapsed), and sets the lock when the count reaches `max`. The upsert takes the key's row lock, so
 * parallel reservations are counted one after another on both databases. Returns the window's start when
 * granted, undefined when the key is locked.
 */
export async function reserveAttempt(
  db: Db,
  key: string,
  max: number,
  now: Date,
  windowMs: number,
): Promise<Date | undefined> {
  const lockEnd = new Date(now.getTime() + windowMs);
  const t = sql.ref('login_throttle');
  const lapsed = sql<boolean>`(${t}.locked_until IS NOT NULL AND ${t}.locked_until <= ${now}::timestamptz)
    OR (${t}.locked_until IS NULL AND ${t}.window_start <= ${new Date(now.getTime() - windowMs)}::timestamptz)`;
  const count = sql<number>`CASE WHEN ${lapsed} THEN 1 ELSE ${t}.failures + 1 END`;
  const row = await db
    .insertInto('login_throttle')
    .values({ key, failures: 1, window_start: now, locked_until: max <= 1 ? lockEnd : null })
    .onConflict((oc) =>
      oc
        .column('key')
        .doUpdateSet({
          failures: count,
          window_start: sql<Date>`CASE WHEN ${lapsed} THEN ${now}::timestamptz ELSE ${t}.window_start END`,
          locked_until: sql<Date | null>`CASE WHEN ${count} >= ${max} THEN ${lockEnd}::timestamptz END`,
        })
        .where(sql<boolean>`${lapsed} OR (${t}.locked_until IS NULL AND ${t}.failures < ${max})`),
    )
    .returning('window_start')
    .executeTakeFirst();
  return row?.window_start;
}

/** Gives back an attempt reserved in the window started at `windowStart` (a successful sign-in). */
export async function refundAttempt(db: Db, key: string, windowStart: Date): Promise<void> {
  await db
    .updateTable('login_throttle')
    .set({ failures: sql`failures - 1`, locked_until: null })
    .where('key', '=', key)
    .where('window_start', '=', windowStart)
    .where('failures', '>', 0)
    .execute();
}

/** When a key's lock ends, if it is locked at `now`. */
export async function lockedUntil(db: Db, key: string, now: Date): Promise<Date | undefined> {
  const r = await db
    .selectFrom('login_throttle')
    .select('locked_until')
    .where('key', '=', key)
    .where('locked_until', '>', now)
    .executeTakeFirst();
  return r?.locked_until ?? undefined;
}

/** Forgets a key's failures. */
export async function clearThrottle(db: Db, key: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', key).execute();
}
