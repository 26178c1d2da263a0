import type { Category, CategoryQuery, CreateCategory, UpdateCategory } from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { isUniqueViolation } from '../../platform/db-errors.js';
import { Conflict, Invalid, NotFound, Stale } from '../../platform/errors.js';
import { BY_NAME, decodeCursor, pageFrom } from '../../platform/pagination.js';
import { can, type Actor } from '../../platform/permissions.js';
import * as repo from './categories.repository.js';
import type { CategoryRow } from './categories.repository.js';

function toView(r: CategoryRow): Category {
  return {
    id: r.id,
    parentId: r.parent_id,
    name: r.name,
    description: r.description,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    version: r.version,
  };
}

const nameTaken = () =>
  Conflict('a category with this name already exists under the same parent', 'name_taken', [
    { path: 'body.name', message: 'already in use among its siblings' },
  ]);

async function requireParent(db: Db, parentId: string): Promise<void> {
  if (!(await repo.findById(db, parentId))) {
    throw Invalid('unknown parent', [{ path: 'body.parentId', message: 'no such category' }]);
  }
}

/** Lists categories by name; `parentId=root` lists the top level. Everyone signed in may read the tree. */
export async function listCategories(ctx: Ctx, actor: Actor, q: CategoryQuery) {
  can(actor, 'category:read');
  const after = decodeCursor(q.cursor, BY_NAME);
  const parentId = q.parentId === 'root' ? null : q.parentId;
  const rows = await repo.page(ctx.db, { parentId, after, limit: q.limit + 1 });
  return pageFrom(rows, q.limit, toView, (r) => [r.name.toLowerCase(), r.id]);
}

/** One category. */
export async function getCategory(ctx: Ctx, actor: Actor, id: string): Promise<Category> {
  can(actor, 'category:read');
  const r = await repo.findById(ctx.db, id);
  if (!r) throw NotFound('category');
  return toView(r);
}

/** Creates a category (admins). */
export async function createCategory(ctx: Ctx, actor: Actor, input: CreateCategory): Promise<Category> {
  can(actor, 'category:write');
  try {
    return await ctx.tx(async (db) => {
      await repo.lockTree(db);
      const parentId = input.parentId ?? null;
      if (parentId) await requireParent(db, parentId);
      if (await repo.findSibling(db, parentId, input.name)) throw nameTaken();
      const row = await repo.insert(db, {
        parent_id: parentId,
        name: input.name,
        description: input.description,
      });
      const view = toView(row);
      await record(db, actor, 'category.created', { type: 'category', id: row.id }, null, { ...view });
      return view;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken();
    throw err;
  }
}

/** Renames or moves a category at `version`; a move under itself or a descendant is a 409 `category_cycle`. */
export async function updateCategory(
  ctx: Ctx,
  actor: Actor,
  id: string,
  version: number,
  input: UpdateCategory,
): Promise<Category> {
  can(actor, 'category:write');
  try {
    return await ctx.tx(async (db) => {
      await repo.lockTree(db);
      const current = await repo.findById(db, id);
      if (!current) throw NotFound('category');
      if (current.version !== version) throw Stale();
      const parentId = input.parentId === undefined ? current.parent_id : input.parentId;
      if (parentId !== null && parentId !== current.parent_id) {
        await requireParent(db, parentId);
        if ((await repo.ancestorsOf(db, parentId)).includes(id)) {
          throw Conflict(
            'a category cannot be moved under itself or one of its descendants',
            'category_cycle',
            [{ path: 'body.parentId', message: 'would make a cycle' }],
          );
        }
      }
      const name = input.name ?? current.name;
      const sibling = await repo.findSibling(db, parentId, name);
      if (sibling && sibling.id !== id) throw nameTaken();
      const row = await repo.update(db, id, version, {
        parent_id: parentId,
        name: input.name,
        description: input.description,
      });
      if (!row) throw Stale();
      const after = toView(row);
      await record(
        db,
        actor,
        'category.updated',
        { type: 'category', id },
        { ...toView(current) },
        { ...after },
      );
      return after;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken();
    throw err;
  }
}

/** Deletes a category that has no children and no tickets (409 `in_use` otherwise). */
export async function deleteCategory(ctx: Ctx, actor: Actor, id: string): Promise<void> {
  can(actor, 'category:write');
  await ctx.tx(async (db) => {
    await repo.lockTree(db);
    const current = await repo.findById(db, id);
    if (!current) throw NotFound('category');
    if (await repo.inUse(db, id)) {
      throw Conflict('the category has subcategories or tickets: move them first', 'in_use');
    }
    await repo.remove(db, id);
    await record(db, actor, 'category.deleted', { type: 'category', id }, { ...toView(current) }, null);
  });
}

/** Whether a category exists (for the tickets module). */
export async function categoryExists(db: Db, id: string): Promise<boolean> {
  return (await repo.findById(db, id)) !== undefined;
}
