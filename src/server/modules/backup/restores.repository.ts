/** SQL of restore requests: the queue agents claim from, their progress and outcome. */
import { type Insertable, type Selectable, sql } from 'kysely';
import type { BackupRestoresTable } from '../../db/schema.js';
import type { Db } from '../../platform/context.js';

export type RestoreRow = Selectable<BackupRestoresTable>;

/** A running restore whose agent has not reported for this long may be claimed again (the agent died). */
export const STALE_CLAIM_SECONDS = 600;

/** Stores a new request. */
export async function insertRestore(db: Db, r: Insertable<BackupRestoresTable>): Promise<RestoreRow> {
  return db.insertInto('backup_restores').values(r).returningAll().executeTakeFirstOrThrow();
}

/** One request (locked for update when `lock`). */
export async function findRestore(db: Db, id: string, lock = false): Promise<RestoreRow | undefined> {
  let q = db.selectFrom('backup_restores').selectAll().where('id', '=', id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** Requests by filter, newest first (at most 200). */
export async function listRestores(
  db: Db,
  f: { ciId?: string; ticketId?: string; state?: RestoreRow['state']; ownerId?: string },
): Promise<RestoreRow[]> {
  let q = db.selectFrom('backup_restores').selectAll().orderBy('created_at', 'desc').limit(200);
  if (f.ciId) {
    const ci = f.ciId;
    q = q.where((eb) => eb.or([eb('source_ci_id', '=', ci), eb('dest_ci_id', '=', ci)]));
  }
  if (f.ticketId) q = q.where('ticket_id', '=', f.ticketId);
  if (f.state) q = q.where('state', '=', f.state);
  if (f.ownerId) {
    // A requester's: those they asked for.
    q = q.where('requested_by', '=', f.ownerId);
  }
  return q.execute();
}

/**
 * Claims the oldest queued restore onto device `ciId` for agent `agentId` (or one whose agent stopped
 * reporting), in one statement: `FOR UPDATE SKIP LOCKED` lets two agents or loops asking at once never take the
 * same one.
 */
export async function claimNext(db: Db, ciId: string, agentId: string): Promise<RestoreRow | undefined> {
  const r = await sql<RestoreRow>`UPDATE backup_restores SET state = 'running', claimed_by = ${agentId},
      claimed_at = now(), heartbeat_at = now(), updated_at = now(), files_done = 0, bytes_done = 0
    WHERE id = (SELECT id FROM backup_restores
      WHERE dest_ci_id = ${ciId} AND (state = 'queued' OR (state = 'running'
        AND heartbeat_at < now() - make_interval(secs => ${STALE_CLAIM_SECONDS})))
      ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING *`.execute(db);
  return r.rows[0];
}

/** True when agent `agentId` holds a running claim on a restore from device `sourceCiId`. */
export async function holdsClaimOn(db: Db, agentId: string, sourceCiId: string): Promise<boolean> {
  const r = await db
    .selectFrom('backup_restores')
    .select('id')
    .where('source_ci_id', '=', sourceCiId)
    .where('state', '=', 'running')
    .where('claimed_by', '=', agentId)
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}

/** True when a restore from device `ciId` is running (server upkeep should leave its repository alone). */
export async function restoreRunning(db: Db, ciId: string): Promise<boolean> {
  const r = await db
    .selectFrom('backup_restores')
    .select('id')
    .where('source_ci_id', '=', ciId)
    .where('state', '=', 'running')
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}

/** Records progress of a running restore held by `agentId`; the row as it is after (undefined if not held). */
export async function updateProgress(
  db: Db,
  id: string,
  agentId: string,
  p: { files_done: number; files_total: number; bytes_done: number; bytes_total: number },
): Promise<RestoreRow | undefined> {
  return db
    .updateTable('backup_restores')
    .set({ ...p, heartbeat_at: new Date(), updated_at: new Date() })
    .where('id', '=', id)
    .where('claimed_by', '=', agentId)
    .where('state', '=', 'running')
    .returningAll()
    .executeTakeFirst();
}

/** Writes a request's new state and outcome. */
export async function finish(
  db: Db,
  id: string,
  patch: Partial<{
    state: RestoreRow['state'];
    files_done: number;
    files_total: number;
    bytes_done: number;
    bytes_total: number;
    skipped: string;
    verified: boolean | null;
    problems: string;
    error: string | null;
    finished_at: Date;
  }>,
): Promise<RestoreRow> {
  return db
    .updateTable('backup_restores')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
