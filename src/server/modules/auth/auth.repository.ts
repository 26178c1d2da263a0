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

/** Deletes every session of a user. */
export async function deleteSessionsOf(db: Db, userId: string): Promise<number> {
  const r = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Deletes expired sessions. */
export async function deleteExpiredSessions(db: Db, now: Date): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
}

/** The throttle state of a key. */
export async function throttleOf(db: Db, key: string) {
  return db
    .selectFrom('login_throttle')
    .select(['failures', 'window_start', 'locked_until'])
    .where('key', '=', key)
    .executeTakeFirst();
}

/** Writes the throttle state of a key. */
export async function setThrottle(
  db: Db,
  key: string,
  v: { failures: number; window_start: Date; locked_until: Date | null },
): Promise<void> {
  await db
    .insertInto('login_throttle')
    .values({ key, ...v })
    .onConflict((oc) => oc.column('key').doUpdateSet(v))
    .execute();
}

/** Forgets a key's failures. */
export async function clearThrottle(db: Db, key: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', key).execute();
}
