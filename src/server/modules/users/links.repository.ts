import { sql } from 'kysely';
import type { Db } from '../../platform/context.js';

/** What a password link is for: an invitation (first password) or "forgot password". */
export type LinkPurpose = 'invite' | 'reset';

/** Stores a new link and retires the user's earlier unused ones (only the newest link works). */
export async function insertLink(
  db: Db,
  l: { token_hash: string; user_id: string; purpose: LinkPurpose; expires_at: Date },
  now: Date,
): Promise<void> {
  await db
    .updateTable('password_links')
    .set({ used_at: now })
    .where('user_id', '=', l.user_id)
    .where('used_at', 'is', null)
    .execute();
  await db.insertInto('password_links').values(l).execute();
}

/**
 * Marks a link used in one statement, only while it is unused and unexpired: of parallel redemptions exactly
 * one gets the row back (the others wait for its row lock, then see `used_at` set). Undefined when the link is
 * unknown, used or expired.
 */
export async function consumeLink(db: Db, tokenHash: string, now: Date) {
  return db
    .updateTable('password_links')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['user_id', 'purpose'])
    .executeTakeFirst();
}

/** An unused, unexpired link with its user's e-mail and name (to check the new password against them). */
export async function findLink(db: Db, tokenHash: string, now: Date) {
  return db
    .selectFrom('password_links')
    .innerJoin('users', 'users.id', 'password_links.user_id')
    .select(['users.email', 'users.name'])
    .where('password_links.token_hash', '=', tokenHash)
    .where('password_links.used_at', 'is', null)
    .where('password_links.expires_at', '>', now)
    .executeTakeFirst();
}

/** Retires every unused link of a user (after a password was set). */
export async function retireLinksOf(db: Db, userId: string, now: Date): Promise<void> {
  await db
    .updateTable('password_links')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .execute();
}

/** Deletes links that expired more than a day ago. */
export async function deleteOldLinks(db: Db, now: Date): Promise<void> {
  await db
    .deleteFrom('password_links')
    .where('expires_at', '<', new Date(now.getTime() - 86_400_000))
    .execute();
}

/** Stores a set-up token's hash. */
export async function insertSetupToken(db: Db, tokenHash: string, expiresAt: Date): Promise<void> {
  await db.insertInto('setup_tokens').values({ token_hash: tokenHash, expires_at: expiresAt }).execute();
}

/** Removes one set-up token (a server stopping). */
export async function deleteSetupToken(db: Db, tokenHash: string): Promise<void> {
  await db.deleteFrom('setup_tokens').where('token_hash', '=', tokenHash).execute();
}

/**
 * Serialises first-admin creation across requests and processes for the rest of the transaction (an advisory
 * lock: there is no row to lock while no admin exists).
 */
export async function lockSetup(db: Db): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext('steward:first-admin'))`.execute(db);
}

/** Whether a set-up token with this hash exists and is unexpired. */
export async function setupTokenValid(db: Db, tokenHash: string, now: Date): Promise<boolean> {
  const r = await db
    .selectFrom('setup_tokens')
    .select('token_hash')
    .where('token_hash', '=', tokenHash)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return r !== undefined;
}

/** Removes every set-up token (the first admin exists). */
export async function deleteSetupTokens(db: Db): Promise<void> {
  await db.deleteFrom('setup_tokens').execute();
}

/** Whether an active admin exists. */
export async function activeAdminExists(db: Db): Promise<boolean> {
  const r = await db
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'admin')
    .where('active', '=', true)
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}

/** Sets a user's password hash (a redeemed link), bumping the version. */
export async function setPasswordHash(db: Db, userId: string, hash: string) {
  return db
    .updateTable('users')
    .set({ password_hash: hash, updated_at: new Date(), version: sql`version + 1` })
    .where('id', '=', userId)
    .returning(['id', 'email', 'name', 'role', 'active'])
    .executeTakeFirst();
}
