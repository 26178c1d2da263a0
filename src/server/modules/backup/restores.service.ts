/**
 * Restore requests: files of a device's snapshot restored by an enrolled agent (the device's own or another's)
 * into a chosen folder, never overwriting unless asked. The service desk (agents and above) asks for any device;
 * a requester only for their own devices and only back onto their own devices (404 for anything else).
 */
import {
  type BackupRestore,
  type CreateRestore,
  parentOf,
  type RestoreListQuery,
} from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { Conflict, Invalid, NotFound } from '../../platform/errors.js';
import { type Actor, allows } from '../../platform/permissions.js';
import { computerName, computersOwnedBy, itemNames } from '../cmdb/index.js';
import { findVisibleTicket } from '../tickets/index.js';
import * as repo from './backup.repository.js';
import { requireSnapshot } from './restores.source.js';
import * as restores from './restores.repository.js';
import type { TargetDeps } from './targets.service.js';

/** True for the service desk and above, who restore any device. */
export const restoresAny = (actor: Actor) => allows(actor, 'backup:restore');

/** The ticket keys of tickets by id, as `actor` may see them (Steward's own calls see them all). */
async function ticketKeys(db: Db, actor: Actor, ids: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const id of new Set(ids)) {
    const t = await findVisibleTicket(db, actor, id);
    if (t) out.set(id, t.key);
  }
  return out;
}

/** Restore rows as people read them (device names, ticket keys). */
export async function viewsOf(
  ctx: Ctx,
  db: Db,
  actor: Actor,
  rows: readonly restores.RestoreRow[],
): Promise<BackupRestore[]> {
  const names = await itemNames(
    ctx,
    rows.flatMap((r) => [r.source_ci_id, r.dest_ci_id]),
  );
  const keys = await ticketKeys(
    db,
    actor,
    rows.flatMap((r) => (r.ticket_id ? [r.ticket_id] : [])),
  );
  return rows.map((r) => ({
    id: r.id,
    sourceCiId: r.source_ci_id,
    sourceName: names.get(r.source_ci_id) ?? '(removed)',
    snapshotId: r.snapshot_id,
    paths: r.paths,
    destinationCiId: r.dest_ci_id,
    destinationName: names.get(r.dest_ci_id) ?? '(removed)',
    destinationFolder: r.dest_folder,
    overwrite: r.overwrite,
    state: r.state,
    progress: {
      filesDone: r.files_done,
      filesTotal: r.files_total,
      bytesDone: Number(r.bytes_done),
      bytesTotal: Number(r.bytes_total),
    },
    skipped: r.skipped,
    verified: r.verified,
    problems: r.problems,
    error: r.error,
    ticketId: r.ticket_id,
    ticketKey: r.ticket_id ? (keys.get(r.ticket_id) ?? null) : null,
    requestedBy: r.requested_label,
    createdAt: r.created_at.toISOString(),
    startedAt: r.claimed_at?.toISOString() ?? null,
    finishedAt: r.finished_at?.toISOString() ?? null,
    updatedAt: r.updated_at.toISOString(),
  }));
}

export async function viewOf(ctx: Ctx, actor: Actor, row: restores.RestoreRow): Promise<BackupRestore> {
  const [v] = await viewsOf(ctx, ctx.db, actor, [row]);
  return v!;
}

/** The picked items must be one folder's (or `/` alone): they are restored into the destination by name. */
export function checkPaths(paths: readonly string[]): string[] {
  const clean = [...new Set(paths.map((p) => (p === '/' ? p : p.replace(/\/+$/, ''))))];
  if (clean.includes('/') && clean.length > 1)
    throw Invalid('the whole snapshot (/) is restored alone', [{ path: 'body.paths', message: 'only /' }]);
  const parent = parentOf(clean);
  if (clean.some((p) => p !== '/' && parentOf([p]) !== parent))
    throw Invalid('pick files and folders of one folder of the snapshot', [
      { path: 'body.paths', message: `not all in ${parent}` },
    ]);
  return clean;
}

/**
 * Checks who may restore what: the service desk any computer onto any computer; a requester only their own
 * computers onto their own computers. 404 for what the caller may not see; 409 when the source has no backups.
 * Returns the two devices' names.
 */
async function checkDevices(
  deps: TargetDeps,
  actor: Actor,
  source: string,
  dest: string,
): Promise<{ source: string; dest: string }> {
  let names: Map<string, string>;
  if (restoresAny(actor)) {
    names = new Map();
    for (const id of new Set([source, dest])) {
      const name = await computerName(deps.ctx, id);
      if (name === undefined) throw NotFound('computer');
      names.set(id, name);
    }
  } else {
    if (!actor.userId) throw NotFound('computer');
    const mine = await computersOwnedBy(deps.ctx, actor.userId, [source, dest]);
    names = new Map(mine.map((d) => [d.id, d.name]));
    if (!names.has(source) || !names.has(dest)) throw NotFound('computer');
  }
  if (!(await repo.repositoryOf(deps.ctx.db, source)))
    throw Conflict(`${names.get(source)} has no backups to restore from`, 'no_backups');
  return { source: names.get(source)!, dest: names.get(dest)! };
}

/** Writes a new request and its audit entry in the caller's transaction. */
export async function insertRequest(
  db: Db,
  actor: Actor,
  input: CreateRestore,
  names: { source: string; dest: string },
): Promise<restores.RestoreRow> {
  const row = await restores.insertRestore(db, {
    source_ci_id: input.sourceCiId,
    snapshot_id: input.snapshotId,
    paths: JSON.stringify(input.paths),
    dest_ci_id: input.destinationCiId ?? input.sourceCiId,
    dest_folder: input.destinationFolder,
    overwrite: input.overwrite,
    ticket_id: input.ticketId ?? null,
    requested_by: actor.userId,
    requested_label: actor.label,
  });
  await record(db, actor, 'backup.restore_requested', { type: 'backup_restore', id: row.id }, null, {
    from: names.source,
    snapshot: input.snapshotId.slice(0, 8),
    paths: input.paths,
    onto: names.dest,
    folder: input.destinationFolder,
    overwrite: input.overwrite,
  });
  return row;
}

/** Validates a request (see {@link checkDevices}); the devices' names. */
export async function checkRequest(
  deps: TargetDeps,
  actor: Actor,
  input: CreateRestore,
): Promise<{ input: CreateRestore; names: { source: string; dest: string } }> {
  const paths = checkPaths(input.paths);
  const names = await checkDevices(deps, actor, input.sourceCiId, input.destinationCiId ?? input.sourceCiId);
  if (input.ticketId && !(await findVisibleTicket(deps.ctx.db, actor, input.ticketId)))
    throw NotFound('ticket');
  await requireSnapshot(deps, input.sourceCiId, input.snapshotId);
  return { input: { ...input, paths }, names };
}

/** Asks for a restore. */
export async function createRestore(
  deps: TargetDeps,
  actor: Actor,
  body: CreateRestore,
): Promise<BackupRestore> {
  const { input, names } = await checkRequest(deps, actor, body);
  const row = await deps.ctx.tx((db) => insertRequest(db, actor, input, names));
  return viewOf(deps.ctx, actor, row);
}

/** A request the caller may see: the service desk any, a requester those they asked for (404 otherwise). */
async function visible(ctx: Ctx, actor: Actor, id: string, db: Db = ctx.db, lock = false) {
  const row = await restores.findRestore(db, id, lock);
  if (!row || (!restoresAny(actor) && (!actor.userId || row.requested_by !== actor.userId)))
    throw NotFound('restore');
  return row;
}

/** Restore requests, newest first: the service desk sees all, a requester those they asked for. */
export async function listRestores(ctx: Ctx, actor: Actor, q: RestoreListQuery): Promise<BackupRestore[]> {
  if (!restoresAny(actor) && !actor.userId) return [];
  const rows = await restores.listRestores(ctx.db, {
    ...q,
    ...(restoresAny(actor) ? {} : { ownerId: actor.userId! }),
  });
  return viewsOf(ctx, ctx.db, actor, rows);
}

export async function getRestore(ctx: Ctx, actor: Actor, id: string): Promise<BackupRestore> {
  return viewOf(ctx, actor, await visible(ctx, actor, id));
}

/** Cancels a queued or running request (a running one stops at its agent's next progress report). */
export async function cancelRestore(ctx: Ctx, actor: Actor, id: string): Promise<BackupRestore> {
  const row = await ctx.tx(async (db) => {
    const r = await visible(ctx, actor, id, db, true);
    if (r.state !== 'queued' && r.state !== 'running')
      throw Conflict(`the restore has ${r.state}: it can no longer be cancelled`, 'restore_finished');
    const out = await restores.finish(db, id, { state: 'cancelled', finished_at: new Date() });
    await record(
      db,
      actor,
      'backup.restore_cancelled',
      { type: 'backup_restore', id },
      { state: r.state },
      {
        state: 'cancelled',
      },
    );
    return out;
  });
  return viewOf(ctx, actor, row);
}
