import { sql } from 'kysely';
import type { Db } from '../../platform/context.js';

const COLUMNS = ['id', 'parent_id', 'name', 'description', 'created_at', 'updated_at', 'version'] as const;
/** Arbitrary constant: serialises category writes so two concurrent moves cannot make a cycle together. */
const TREE_LOCK = 7_301_954_301;

/** A category row. */
export type CategoryRow = NonNullable<Awaited<ReturnType<typeof findById>>>;

/** One category by id. */
export async function findById(db: Db, id: string) {
  return db.selectFrom('categories').select(COLUMNS).where('id', '=', id).executeTakeFirst();
}

/** Takes the tree lock for the rest of the transaction. */
export async function lockTree(db: Db): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${TREE_LOCK})`.execute(db);
}

/** A sibling (same parent) with this name, case-insensitively. */
export async function findSibling(db: Db, parentId: string | null, name: string) {
  let q = db
    .selectFrom('categories')
    .select(COLUMNS)
    .where(sql<string>`lower(name)`, '=', name.toLowerCase());
  q = parentId === null ? q.where('parent_id', 'is', null) : q.where('parent_id', '=', parentId);
  return q.executeTakeFirst();
}

/** Ids of `id` and all its ancestors, walking up from it (nearest first). */
export async function ancestorsOf(db: Db, id: string): Promise<string[]> {
  const r = await sql<{ id: string }>`
    WITH RECURSIVE up(id, parent_id, depth) AS (
      SELECT id, parent_id, 0 FROM categories WHERE id = ${id}
      UNION ALL
      SELECT c.id, c.parent_id, up.depth + 1 FROM categories c JOIN up ON c.id = up.parent_id WHERE up.depth < 1000
    )
    SELECT id FROM up ORDER BY depth`.execute(db);
  return r.rows.map((x) => x.id);
}

/** A page of categories ordered by name, after the keyset position `after`. */
export async function page(
  db: Db,
  opts: { parentId?: string | null | undefined; after?: [string, string] | undefined; limit: number },
) {
  let q = db.selectFrom('categories').select(COLUMNS);
  if (opts.parentId === null) q = q.where('parent_id', 'is', null);
  else if (opts.parentId !== undefined) q = q.where('parent_id', '=', opts.parentId);
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

/** Inserts a category. */
export async function insert(db: Db, c: { parent_id: string | null; name: string; description: string }) {
  return db.insertInto('categories').values(c).returning(COLUMNS).executeTakeFirstOrThrow();
}

/** Updates a category if it is still at `version`. */
export async function update(
  db: Db,
  id: string,
  version: number,
  patch: { parent_id?: string | null; name?: string; description?: string },
) {
  return db
    .updateTable('categories')
    .set({ ...patch, updated_at: new Date(), version: sql`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning(COLUMNS)
    .executeTakeFirst();
}

/** Whether anything still refers to the category (children or tickets). */
export async function inUse(db: Db, id: string): Promise<boolean> {
  const r = await sql<{ used: boolean }>`
    SELECT EXISTS (SELECT 1 FROM categories WHERE parent_id = ${id})
        OR EXISTS (SELECT 1 FROM tickets WHERE category_id = ${id}) AS used`.execute(db);
  return r.rows[0]?.used === true;
}

/** Deletes a category. */
export async function remove(db: Db, id: string): Promise<void> {
  await db.deleteFrom('categories').where('id', '=', id).execute();
}
