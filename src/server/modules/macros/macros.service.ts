import {
  type CreateMacro,
  type Macro,
  type MacroApplied,
  MacroChanges,
  type UpdateMacro,
} from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context.js';
import { isUniqueViolation } from '../../platform/db-errors.js';
import { Conflict, Forbidden, Invalid, NotFound, Stale, Unauthenticated } from '../../platform/errors.js';
import { allows, can, type Actor } from '../../platform/permissions.js';
import { replyAndChangeIn } from '../tickets/index.js';
import * as repo from './macros.repository.js';
import type { MacroRow, Reach } from './macros.repository.js';

function toView(r: MacroRow): Macro {
  // Stored changes were validated on write; parse again so an older shape never reaches a client or a ticket.
  const changes = MacroChanges.safeParse(r.changes);
  return {
    id: r.id,
    name: r.name,
    body: r.body,
    internal: r.internal,
    changes: changes.success ? changes.data : {},
    scope: r.team_id ? 'team' : 'personal',
    teamId: r.team_id,
    teamName: r.team_name ?? null,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    version: r.version,
  };
}

function reachOf(actor: Actor): Reach {
  can(actor, 'macro:use');
  if (!actor.userId) throw Unauthenticated('macros belong to signed-in people');
  return { userId: actor.userId, allTeams: allows(actor, 'macro:team') };
}

const nameTaken = () =>
  Conflict('a macro with this name already exists here', 'name_taken', [
    { path: 'body.name', message: 'already in use' },
  ]);

/** A macro the caller may change: their own, or (managers, admins) a team's; 404 for what they cannot see. */
async function editable(ctx: Ctx, actor: Actor, id: string): Promise<MacroRow> {
  const row = await repo.findReachable(ctx.db, reachOf(actor), id);
  if (!row) throw NotFound('macro');
  if (row.team_id && !allows(actor, 'macro:team')) {
    throw Forbidden('only managers and admins change a team’s macros');
  }
  return row;
}

/** The macros the caller may use: personal, then their teams'. */
export async function listMacros(ctx: Ctx, actor: Actor): Promise<{ items: Macro[] }> {
  return { items: (await repo.listReachable(ctx.db, reachOf(actor))).map(toView) };
}

/** One macro the caller may use. */
export async function getMacro(ctx: Ctx, actor: Actor, id: string): Promise<Macro> {
  const row = await repo.findReachable(ctx.db, reachOf(actor), id);
  if (!row) throw NotFound('macro');
  return toView(row);
}

/** Saves a personal macro, or (managers, admins) a team's. */
export async function createMacro(ctx: Ctx, actor: Actor, input: CreateMacro): Promise<Macro> {
  const reach = reachOf(actor);
  if (input.teamId) can(actor, 'macro:team');
  try {
    return await ctx.tx(async (db) => {
      if (input.teamId && !(await repo.teamExists(db, input.teamId))) {
        throw Invalid('unknown team', [{ path: 'body.teamId', message: 'no such team' }]);
      }
      const id = await repo.insert(db, {
        owner_id: input.teamId ? null : reach.userId,
        team_id: input.teamId,
        name: input.name,
        body: input.body,
        internal: input.internal,
        changes: input.changes,
        created_by: reach.userId,
      });
      const row = await repo.findReachable(db, reach, id);
      if (!row) throw NotFound('macro');
      const view = toView(row);
      await record(db, actor, 'macro.created', { type: 'macro', id }, null, { ...view });
      return view;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken();
    throw err;
  }
}

/** Changes a macro at `version` (412 when stale). */
export async function updateMacro(
  ctx: Ctx,
  actor: Actor,
  id: string,
  version: number,
  input: UpdateMacro,
): Promise<Macro> {
  const before = await editable(ctx, actor, id);
  const body = input.body ?? before.body;
  const changes = input.changes ?? toView(before).changes;
  if (body.trim().length === 0 && Object.keys(changes).length === 0) {
    throw Invalid('a macro needs a reply or at least one change', [
      { path: 'body.body', message: 'a reply or a change is needed' },
    ]);
  }
  try {
    return await ctx.tx(async (db) => {
      if (!(await repo.update(db, id, version, input))) throw Stale();
      const row = await repo.findReachable(db, reachOf(actor), id);
      if (!row) throw NotFound('macro');
      const view = toView(row);
      await record(db, actor, 'macro.updated', { type: 'macro', id }, { ...toView(before) }, { ...view });
      return view;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken();
    throw err;
  }
}

/** Removes a macro. */
export async function deleteMacro(ctx: Ctx, actor: Actor, id: string): Promise<void> {
  const before = await editable(ctx, actor, id);
  await ctx.tx(async (db) => {
    if (!(await repo.remove(db, id))) throw NotFound('macro');
    await record(db, actor, 'macro.deleted', { type: 'macro', id }, { ...toView(before) }, null);
  });
}

/**
 * Applies a macro to a ticket in one transaction: its reply and its changes through the tickets service's
 * rules. If any part is refused (an illegal move, an unknown assignee), nothing is posted or changed.
 */
export async function applyMacro(
  ctx: Ctx,
  actor: Actor,
  id: string,
  ticketId: string,
): Promise<MacroApplied> {
  const reach = reachOf(actor);
  return ctx.tx(async (db) => {
    const row = await repo.findReachable(db, reach, id);
    if (!row) throw NotFound('macro');
    const macro = toView(row);
    const done = await replyAndChangeIn(db, actor, ticketId, {
      body: macro.body,
      internal: macro.internal,
      change: macro.changes,
      action: 'ticket.macro_applied',
    });
    await record(db, actor, 'macro.applied', { type: 'macro', id }, null, {
      ticketId,
      ticket: done.ticket.key,
      commentId: done.comment?.id ?? null,
    });
    return done;
  });
}
