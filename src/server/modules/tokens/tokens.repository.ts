import { sql } from 'kysely';
import type { Db } from '../../platform/context.js';

const COLUMNS = [
  'id',
  'user_id',
  'name',
  'prefix',
  'created_at',
  'expires_at',
  'last_used_at',
  'revoked_at',
] as const;

/** A token row, without its hash. */
export type TokenRow = NonNullable<Awaited<ReturnType<typeof findById>>>;

/** One token by id. */
export async function findById(db: Db, id: string) {
  return db.selectFrom('api_tokens').select(COLUMNS).where('id', '=', id).executeTakeFirst();
}

/** A user's tokens, newest first. */
export async function listOf(db: Db, userId: string) {
  return db
    .selectFrom('api_tokens')
    .select(COLUMNS)
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
}

/** Inserts a token. */
export async function insert(
  db: Db,
  t: { user_id: string; name: string; prefix: string; token_hash: string; expires_at: Date | null },
) {
  return db.insertInto('api_tokens').values(t).returning(COLUMNS).executeTakeFirstOrThrow();
}

/** Marks unrevoked tokens revoked: one by id, or every one of a user. Returns the tokens revoked. */
export async function revoke(db: Db, by: { id: string } | { userId: string }, at: Date) {
  return db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('id' in by ? 'id' : 'user_id', '=', 'id' in by ? by.id : by.userId)
    .where('revoked_at', 'is', null)
    .returning(COLUMNS)
    .execute();
}

/** A usable token with its user. */
export type UsableToken = NonNullable<Awaited<ReturnType<typeof findUsable>>>;

/** A usable token by hash, with its active user. */
export async function findUsable(db: Db, tokenHash: string, now: Date) {
  return db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select([
      'api_tokens.id',
      'api_tokens.last_used_at',
      'api_tokens.expires_at',
      'users.id as user_id',
      'users.email',
      'users.role',
      'users.active',
    ])
    .where('api_tokens.token_hash', '=', tokenHash)
    .where('api_tokens.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('api_tokens.expires_at', 'is', null), eb('api_tokens.expires_at', '>', now)]))
    .executeTakeFirst();
}

/** Records a token's use. */
export async function touch(db: Db, id: string, at: Date): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
}

/** Sends a notification on `channel` when the caller's transaction commits. */
export async function notify(db: Db, channel: string): Promise<void> {
  await sql`SELECT pg_notify(${channel}, '')`.execute(db);
}
