import { type CreateView, type SavedView, TicketFilter, type UpdateView } from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context.js';
import { isUniqueViolation } from '../../platform/db-errors.js';
import { Conflict, NotFound, Stale, Unauthenticated } from '../../platform/errors.js';
import { BY_NAME, decodeCursor, pageFrom } from '../../platform/pagination.js';
import { can, type Actor } from '../../platform/permissions.js';
import * as repo from './views.repository.js';
import type { ViewRow } from './views.repository.js';

function toView(r: ViewRow): SavedView {
  // Stored filters were validated on write; parse again so an older shape never reaches a client unchecked.
  const filters = TicketFilter.safeParse(r.filters);
  return {
    id: r.id,
    name: r.name,
    filters: filters.success ? filters.data : {},
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    version: r.version,
  };
}

const nameTaken = () =>
  Conflict('you already have a view with this name', 'name_taken', [
    { path: 'body.name', message: 'already in use' },
  ]);

function ownerOf(actor: Actor): string {
  can(actor, 'view:own');
  if (!actor.userId) throw Unauthenticated('saved views belong to a signed-in user');
  return actor.userId;
}

/** The caller's own views, by name. */
export async function listViews(ctx: Ctx, actor: Actor, q: { cursor?: string | undefined; limit: number }) {
  const owner = ownerOf(actor);
  const after = decodeCursor(q.cursor, BY_NAME);
  const rows = await repo.page(ctx.db, owner, { after, limit: q.limit + 1 });
  return pageFrom(rows, q.limit, toView, (r) => [r.name.toLowerCase(), r.id]);
}

/** One of the caller's views; anyone else's is not found. */
export async function getView(ctx: Ctx, actor: Actor, id: string): Promise<SavedView> {
  const r = await repo.findOwned(ctx.db, ownerOf(actor), id);
  if (!r) throw NotFound('view');
  return toView(r);
}

/** Saves a filter under a name. */
export async function createView(ctx: Ctx, actor: Actor, input: CreateView): Promise<SavedView> {
  const owner = ownerOf(actor);
  try {
    return await ctx.tx(async (db) => {
      if (await repo.findByName(db, owner, input.name)) throw nameTaken();
      const row = await repo.insert(db, { owner_id: owner, name: input.name, filters: input.filters });
      const view = toView(row);
      await record(db, actor, 'view.created', { type: 'view', id: row.id }, null, { ...view });
      return view;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken();
    throw err;
  }
}

/** Renames a view or replaces its filter, at `version`. */
export async function updateView(
  ctx: Ctx,
  actor: Actor,
  id: string,
  version: number,
  input: UpdateView,
): Promise<SavedView> {
  const owner = ownerOf(actor);
  try {
    return await ctx.tx(async (db) => {
      const current = await repo.findOwned(db, owner, id);
      if (!current) throw NotFound('view');
      if (current.version !== version) throw Stale();
      if (input.name) {
        const other = await repo.findByName(db, owner, input.name);
        if (other && other.id !== id) throw nameTaken();
      }
      const row = await repo.update(db, owner, id, version, input);
      if (!row) throw Stale();
      const after = toView(row);
      await record(db, actor, 'view.updated', { type: 'view', id }, { ...toView(current) }, { ...after });
      return after;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken();
    throw err;
  }
}

/** Deletes one of the caller's views. */
export async function deleteView(ctx: Ctx, actor: Actor, id: string): Promise<void> {
  const owner = ownerOf(actor);
  await ctx.tx(async (db) => {
    const current = await repo.findOwned(db, owner, id);
    if (!current) throw NotFound('view');
    await repo.remove(db, owner, id);
    await record(db, actor, 'view.deleted', { type: 'view', id }, { ...toView(current) }, null);
  });
}
