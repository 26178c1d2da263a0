import { sql } from 'kysely';
import type { Db } from '../../platform/context.js';

const COLUMNS = ['id', 'owner_id', 'name', 'filters', 'created_at', 'updated_at', 'version'] as const;

/** A saved view row. */
export type ViewRow = NonNullable<Awaited<ReturnType<typeof findOwned>>>;

/** One view of `ownerId`: someone else's view is simply not found. */
export async function findOwned(db: Db, ownerId: string, id: string) {
  return db
    .selectFrom('saved_views')
    .select(COLUMNS)
    .where('id', '=', id)
    .where('owner_id', '=', ownerId)
    .executeTakeFirst();
}

/** Another view of the owner with this name (case-insensitive). */
export async function findByName(db: Db, ownerId: string, name: string) {
  return db
    .selectFrom('saved_views')
    .select(COLUMNS)
    .where('owner_id', '=', ownerId)
    .where(sql<string>`lower(name)`, '=', name.toLowerCase())
    .executeTakeFirst();
}

/** A page of the owner's views by name. */
export async function page(
  db: Db,
  ownerId: string,
  opts: { after?: [string, string] | undefined; limit: number },
) {
  let q = db.selectFrom('saved_views').select(COLUMNS).where('owner_id', '=', ownerId);
  if (opts.after) {
    const [name, id] = opts.after;
    q = q.where(sql<boolean>`(lower(name), id) > (${name}, ${id}::uuid)`);
  }
  return q
    .orderBy(sql`lower(name)`)
    .orderBy('id')
    .limit(opts.limit)
    .execute();
}

/** Inserts a view. */
export async function insert(
  db: Db,
  v: { owner_id: string; name: string; filters: Record<string, unknown> },
) {
  return db
    .insertInto('saved_views')
    .values({ ...v, filters: JSON.stringify(v.filters) })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
}

/** Updates an owned view if it is still at `version`. */
export async function update(
  db: Db,
  ownerId: string,
  id: string,
  version: number,
  patch: { name?: string | undefined; filters?: Record<string, unknown> | undefined },
) {
  return db
    .updateTable('saved_views')
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.filters !== undefined ? { filters: JSON.stringify(patch.filters) } : {}),
      updated_at: new Date(),
      version: sql`version + 1`,
    })
    .where('id', '=', id)
    .where('owner_id', '=', ownerId)
    .where('version', '=', version)
    .returning(COLUMNS)
    .executeTakeFirst();
}

/** Deletes an owned view. */
export async function remove(db: Db, ownerId: string, id: string): Promise<void> {
  await db.deleteFrom('saved_views').where('id', '=', id).where('owner_id', '=', ownerId).execute();
}

/** A person's queue layout, if they saved one. */
export async function findQueuePrefs(db: Db, userId: string) {
  return db
    .selectFrom('queue_prefs')
    .select(['columns', 'density'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/** Saves a person's queue layout (one row per person, replaced). */
export async function saveQueuePrefs(
  db: Db,
  userId: string,
  prefs: { columns: readonly string[]; density: 'comfortable' | 'compact' },
): Promise<void> {
  const columns = JSON.stringify(prefs.columns);
  await db
    .insertInto('queue_prefs')
    .values({ user_id: userId, columns, density: prefs.density })
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet({ columns, density: prefs.density, updated_at: sql`now()` }),
    )
    .execute();
}
