/**
 * "Back up now" for a device: another module (change management's restore point) asks for a snapshot of a
 * device that has a backup repository; the device's agent sees the request in its backup access, runs a backup
 * at once and names the request in its run's report, which answers it (a good run taken since answers every
 * request queued before it). Steward never writes the repository itself: only the agent can read the device.
 */
import type { ReportBackupRun } from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Db } from '../../platform/context.js';
import { Conflict } from '../../platform/errors.js';
import type { Actor } from '../../platform/permissions.js';
import * as repo from './snapshots.repository.js';

/** A "back up now" request as other modules read it. */
export interface SnapshotRequest {
  id: string;
  ciId: string;
  state: 'queued' | 'taken' | 'failed';
  snapshotId: string | null;
  error: string | null;
  requestedAt: Date;
  finishedAt: Date | null;
}

/** Of `ciIds`, the devices Steward keeps backups of (a repository, hence an agent backing them up). */
export function backedUp(db: Db, ciIds: readonly string[]): Promise<Set<string>> {
  return repo.withRepository(db, ciIds);
}

/**
 * Queues a snapshot of device `ciId` for `reason`, in the caller's transaction, audited; 409 `no_backups` when
 * the device has no backup repository. The caller checks its own permission (a change's writer).
 */
export async function requestSnapshot(db: Db, actor: Actor, ciId: string, reason: string): Promise<string> {
  if (!(await repo.withRepository(db, [ciId])).has(ciId))
    throw Conflict('the device has no backups: Steward cannot ask for a snapshot', 'no_backups');
  const row = await repo.insertRequest(db, {
    ci_id: ciId,
    reason: reason.slice(0, 500),
    requested_by: actor.userId,
    requested_label: actor.label,
  });
  await record(db, actor, 'backup.snapshot_requested', { type: 'ci', id: ciId }, null, {
    request: row.id,
    reason: row.reason,
  });
  return row.id;
}

/** Requests by id. */
export async function snapshotRequests(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, SnapshotRequest>> {
  const rows = await repo.requestsById(db, ids);
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        ciId: r.ci_id,
        state: r.state,
        snapshotId: r.snapshot_id,
        error: r.error,
        requestedAt: r.created_at,
        finishedAt: r.finished_at,
      },
    ]),
  );
}

/** The oldest request waiting for the device's agent (what its backup access names). */
export async function queuedFor(db: Db, ciId: string): Promise<string | null> {
  return (await repo.nextQueued(db, ciId))?.id ?? null;
}

/** Answers requests with a run the device's agent reported, in the report's transaction; audits each. */
export async function answerRequests(db: Db, actor: Actor, ciId: string, r: ReportBackupRun): Promise<void> {
  const answered =
    r.status === 'failed'
      ? r.snapshotRequestId
        ? await repo.fail(db, ciId, r.snapshotRequestId, r.error ?? 'the backup failed')
        : []
      : await repo.fulfil(db, ciId, new Date(r.startedAt), r.snapshotId!, r.snapshotRequestId);
  for (const a of answered)
    await record(db, actor, 'backup.snapshot_answered', { type: 'ci', id: ciId }, null, {
      request: a.id,
      reason: a.reason,
      state: r.status === 'failed' ? 'failed' : 'taken',
      snapshot: r.snapshotId?.slice(0, 8) ?? null,
    });
}

export { restoreStates } from './snapshots.repository.js';
