/** SQL of the catalogue's items, and the one rule of who may request which. */
import { type RawBuilder, type Selectable, sql } from 'kysely';
import type { CatItemsTable } from '../../db/schema.js';
import type { Db } from '../../platform/context.js';
import { allows, type Actor } from '../../platform/permissions.js';

export type ItemRow = Selectable<CatItemsTable>;

const NOBODY = '00000000-0000-0000-0000-000000000000';

/**
 * Who may request an item, as a WHERE clause over `cat_items AS i`: an active item for everyone, for the
 * caller's role, or for one of the caller's teams. What it hides is a 404.
 */
export function requestableBy(actor: Actor): RawBuilder<boolean> {
  const me = actor.userId ?? NOBODY;
  return sql<boolean>`(i.active AND (i.audience = 'everyone'
    OR (i.audience = 'roles' AND ${actor.role} = ANY(i.roles))
    OR (i.audience = 'teams' AND i.team_ids && ARRAY(SELECT tm.team_id FROM team_members tm WHERE tm.user_id = ${me}))))`;
}

/** What the actor may see of items: everything for catalogue admins, else what they may request. */
export function itemsVisibleTo(actor: Actor): RawBuilder<boolean> {
  return allows(actor, 'catalogue:admin') ? sql<boolean>`true` : requestableBy(actor);
}

/** Items `where` lets through, by category and name. */
export async function listItems(db: Db, where: RawBuilder<boolean>): Promise<ItemRow[]> {
  return db
    .selectFrom('cat_items as i')
    .selectAll('i')
    .where(where)
    .orderBy('i.category')
    .orderBy(sql`lower(i.name)`)
    .limit(1000)
    .execute();
}

/** One item `where` lets through (locked with `lock`). */
export async function findItem(
  db: Db,
  id: string,
  where: RawBuilder<boolean>,
  lock = false,
): Promise<ItemRow | undefined> {
  let q = db.selectFrom('cat_items as i').selectAll('i').where('i.id', '=', id).where(where);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** The columns of an item as saved. */
export interface ItemValues {
  name: string;
  category: string;
  description: string;
  active: boolean;
  audience: ItemRow['audience'];
  roles: string[];
  team_ids: string[];
  sla_policy_id: string | null;
  fields: string;
  approvals: string;
  tasks: string;
}

export async function insertItem(db: Db, v: ItemValues): Promise<ItemRow> {
  return db.insertInto('cat_items').values(v).returningAll().executeTakeFirstOrThrow();
}

/** Saves an item if still at `version`; undefined when stale. */
export async function updateItem(db: Db, id: string, version: number, v: ItemValues) {
  return db
    .updateTable('cat_items')
    .set({ ...v, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}
