/**
 * Restore points before a change (issue 25, item 6). Moving a change to implementing first needs a snapshot of
 * every item Steward keeps backups of: the move asks each item's agent for one ("back up now", through the
 * backups module) and waits, answering 202 with the change still scheduled; once every snapshot is taken the
 * same move goes through. An agent out of reach or a failed snapshot does not block a change for ever, but
 * skipping the restore point is a decision: a reason, the override permission, and an audit entry. A change
 * being backed out (implementing, in review, or closed as backed out) can put an item back as its restore
 * point had it, through the backups module's restore requests.
 */
import {
  type ChangeRestorePoint,
  type ChangeTransition,
  RestoreChangePoint,
} from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { Conflict, NotFound } from '../../platform/errors.js';
import { type Actor, can } from '../../platform/permissions.js';
import type { RestorePoints } from '../backup/index.js';
import { type ChangeRow, findChange } from './changes.repository.js';
import { changeKey } from './conflicts.js';
import * as repo from './restore-points.repository.js';

/** Whether a move to implementing goes on now, or waits for snapshots. */
export type Gate = 'go' | 'wait';

/**
 * Checks the restore points of a change about to be implemented (in the move's transaction, the change locked):
 * with a waiver, records it; otherwise asks for a snapshot of each backed-up item without one (again after a
 * failure) and answers `wait` until all are taken.
 */
export async function restorePointGate(
  db: Db,
  rp: RestorePoints,
  actor: Actor,
  r: ChangeRow,
  items: readonly string[],
  t: ChangeTransition,
  by: string,
): Promise<Gate> {
  const backed = await rp.backedUp(db, items);
  if (backed.size === 0) return 'go';
  const points = new Map((await repo.pointsOf(db, r.id)).map((p) => [p.ci_id, p]));
  const asked = await rp.snapshotRequests(
    db,
    [...points.values()].map((p) => p.request_id),
  );
  const missing = [...backed].filter((ci) => asked.get(points.get(ci)?.request_id ?? '')?.state !== 'taken');
  if (missing.length === 0) return 'go';
  if (t.withoutRestorePoint) {
    can(actor, 'change:override');
    await repo.waive(db, r.id, t.withoutRestorePoint.reason, by);
    await record(db, actor, 'change.restore_point_waived', { type: 'change', id: r.id }, null, {
      reason: t.withoutRestorePoint.reason,
      items: missing,
    });
    return 'go';
  }
  for (const ci of missing) {
    if (asked.get(points.get(ci)?.request_id ?? '')?.state === 'queued') continue;
    const reason = `Restore point before ${changeKey(r.number)} “${r.title}”`;
    const request = await rp.requestSnapshot(db, actor, ci, reason);
    await repo.putPoint(db, r.id, ci, request);
    await record(db, actor, 'change.restore_point_requested', { type: 'change', id: r.id }, null, {
      item: ci,
      request,
    });
  }
  return 'wait';
}

/** A change's restore points as its page shows them. */
export async function restorePointsView(
  db: Db,
  rp: RestorePoints,
  changeId: string,
  names: Map<string, string>,
): Promise<ChangeRestorePoint[]> {
  const points = await repo.pointsOf(db, changeId);
  const [asked, restores] = await Promise.all([
    rp.snapshotRequests(
      db,
      points.map((p) => p.request_id),
    ),
    rp.restoreStates(
      db,
      points.flatMap((p) => (p.restore_id ? [p.restore_id] : [])),
    ),
  ]);
  return points.map((p) => {
    const s = asked.get(p.request_id);
    return {
      ciId: p.ci_id,
      ciName: names.get(p.ci_id) ?? 'a removed item',
      state: s?.state === 'taken' ? 'taken' : s?.state === 'failed' ? 'failed' : 'requested',
      snapshotId: s?.snapshotId ?? null,
      error: s?.error ?? null,
      requestedAt: (s?.requestedAt ?? p.created_at).toISOString(),
      takenAt: s?.state === 'taken' ? (s.finishedAt?.toISOString() ?? null) : null,
      restoreId: p.restore_id,
      restoreState: p.restore_id ? (restores.get(p.restore_id) ?? null) : null,
    };
  });
}

/** True while a change may be backed out from its page. */
const backingOut = (r: ChangeRow) =>
  r.status === 'implementing' ||
  r.status === 'review' ||
  (r.status === 'closed' && r.outcome === 'backed_out');

/** A restore already asked for and not given up on blocks another one of the same restore point. */
const LIVE_RESTORE = ['queued', 'running', 'succeeded'];

/**
 * Asks for item `ciId` to be put back as the change's restore point had it (the whole snapshot, by default
 * into `/` overwriting). Decided under the change's row lock: one restore per restore point at a time.
 */
export async function restoreFromPoint(
  ctx: Ctx,
  rp: RestorePoints,
  actor: Actor,
  id: string,
  ciId: string,
  raw: RestoreChangePoint,
): Promise<void> {
  can(actor, 'change:write');
  const body = RestoreChangePoint.parse(raw);
  const r = await findChange(ctx.db, id);
  if (!r) throw NotFound('change');
  const point = (await repo.pointsOf(ctx.db, id)).find((p) => p.ci_id === ciId);
  if (!point) throw NotFound('restore point');
  const snap = (await rp.snapshotRequests(ctx.db, [point.request_id])).get(point.request_id);
  if (snap?.state !== 'taken' || !snap.snapshotId)
    throw Conflict('the restore point was never taken: there is no snapshot to restore', 'no_snapshot');
  const checked = await rp.checkRestore(actor, { ciId, snapshotId: snap.snapshotId, ...body });
  await ctx.tx(async (db) => {
    const cur = await findChange(db, id, true);
    if (!cur) throw NotFound('change');
    if (!backingOut(cur))
      throw Conflict(
        'only a change being implemented, in review or closed as backed out restores its restore point',
        'not_backing_out',
      );
    const p = (await repo.pointsOf(db, id)).find((x) => x.ci_id === ciId);
    if (p?.request_id !== point.request_id) throw Conflict('the restore point changed: reload', 'stale');
    if (p.restore_id) {
      const state = (await rp.restoreStates(db, [p.restore_id])).get(p.restore_id);
      if (state && LIVE_RESTORE.includes(state))
        throw Conflict(`a restore of this restore point is already ${state}`, 'restore_exists');
    }
    const restoreId = await rp.insertRestore(db, actor, checked);
    await repo.setRestore(db, id, ciId, restoreId);
    await record(db, actor, 'change.restore_requested', { type: 'change', id }, null, {
      item: checked.names.source,
      snapshot: snap.snapshotId!.slice(0, 8),
      restore: restoreId,
      folder: body.destinationFolder,
      overwrite: body.overwrite,
    });
  });
}
