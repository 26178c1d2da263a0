/** SQL of "back up now" requests: queued for a device's agent, answered by the run it reports. */
import type { Selectable } from 'kysely';
import type { BackupSnapshotRequestsTable } from '../../db/schema.js';
import type { Db } from '../../platform/context.js';

export type SnapshotRequestRow = Selectable<BackupSnapshotRequestsTable>;

/** Queues a request; returns it. */
export async function insertRequest(
  db: Db,
  v: { ci_id: string; reason: string; requested_by: string | null; requested_label: string },
): Promise<SnapshotRequestRow> {
  return db.insertInto('backup_snapshot_requests').values(v).returningAll().executeTakeFirstOrThrow();
}

/** The oldest request still waiting for device `ciId`'s agent. */
export async function nextQueued(db: Db, ciId: string): Promise<SnapshotRequestRow | undefined> {
  return db
    .selectFrom('backup_snapshot_requests')
    .selectAll()
    .where('ci_id', '=', ciId)
    .where('state', '=', 'queued')
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst();
}

/** Requests by id. */
export async function requestsById(db: Db, ids: readonly string[]): Promise<SnapshotRequestRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('backup_snapshot_requests').selectAll().where('id', 'in', ids).execute();
}

/**
 * A good run of device `ciId` that began at `startedAt` answers the request it names and every request of the
 * device queued by then (the snapshot is at least as fresh as each asked for); returns the requests answered.
 */
export async function fulfil(db: Db, ciId: string, startedAt: Date, snapshotId: string, named?: string) {
  return db
    .updateTable('backup_snapshot_requests')
    .set({ state: 'taken', snapshot_id: snapshotId, finished_at: new Date() })
    .where('ci_id', '=', ciId)
    .where('state', '=', 'queued')
    .where((eb) =>
      named
        ? eb.or([eb('created_at', '<=', startedAt), eb('id', '=', named)])
        : eb('created_at', '<=', startedAt),
    )
    .returning(['id', 'reason'])
    .execute();
}

/** Of `ciIds`, the devices that have a backup repository. */
export async function withRepository(db: Db, ciIds: readonly string[]): Promise<Set<string>> {
  if (ciIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('backup_repositories')
    .select('ci_id')
    .where('ci_id', 'in', ciIds)
    .execute();
  return new Set(rows.map((r) => r.ci_id));
}

/** The states of restore requests by id. */
export async function restoreStates(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return new Map<string, string>();
  const rows = await db
    .selectFrom('backup_restores')
    .select(['id', 'state'])
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, r.state]));
}

/** A failed run named request `id` of device `ciId`: the request failed with the run's error. */
export async function fail(db: Db, ciId: string, id: string, error: string) {
  return db
    .updateTable('backup_snapshot_requests')
    .set({ state: 'failed', error: error.slice(0, 4000), finished_at: new Date() })
    .where('id', '=', id)
    .where('ci_id', '=', ciId)
    .where('state', '=', 'queued')
    .returning(['id', 'reason'])
    .execute();
}
