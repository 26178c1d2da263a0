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

/** Kinds of upkeep that remove what a restore reads (snapshots, packs): they and restores exclude each other. */
export const REMOVES_DATA = ['forget', 'prune'] as const;

/** A running task older than this was left by a dead runner (the job's own time limit is a day). */
const UPKEEP_STALE_HOURS = 24;

/** True when a forget or prune of device `ciId`'s repository is running. */
export async function removingData(db: Db, ciId: string): Promise<boolean> {
  const r = await db
    .selectFrom('backup_upkeep')
    .select('id')
    .where('ci_id', '=', ciId)
    .where('outcome', '=', 'running')
    .where('kind', 'in', REMOVES_DATA)
    .where(sql<boolean>`started_at > now() - make_interval(hours => ${UPKEEP_STALE_HOURS})`)
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}

/**
 * Claims the oldest queued restore onto device `ciId` for agent `agentId` (or one whose agent stopped
 * reporting). Call in a transaction. `FOR UPDATE SKIP LOCKED` lets two agents or loops asking at once never take
 * the same one. A restore whose source repository is being forgotten or pruned waits: the source repository's
 * row is locked shared before the check, and a forget or prune locks it exclusively before checking for running
 * restores (upkeep.service.ts), so of a claim and a prune at once exactly one goes ahead.
 */
export async function claimNext(db: Db, ciId: string, agentId: string): Promise<RestoreRow | undefined> {
  const next = await db
    .selectFrom('backup_restores as r')
    .select(['r.id', 'r.source_ci_id'])
    .where('r.dest_ci_id', '=', ciId)
    .where((eb) =>
      eb.or([
        eb('r.state', '=', 'queued'),
        eb.and([
          eb('r.state', '=', 'running'),
          eb('r.heartbeat_at', '<', sql<Date>`now() - make_interval(secs => ${STALE_CLAIM_SECONDS})`),
        ]),
      ]),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('backup_upkeep as u')
            .select('u.id')
            .whereRef('u.ci_id', '=', 'r.source_ci_id')
            .where('u.outcome', '=', 'running')
            .where('u.kind', 'in', REMOVES_DATA)
            .where(sql<boolean>`u.started_at > now() - make_interval(hours => ${UPKEEP_STALE_HOURS})`),
        ),
      ),
    )
    .orderBy('r.created_at')
    .limit(1)
    .forUpdate('r')
    .skipLocked()
    .executeTakeFirst();
  if (!next) return undefined;
  await db
    .selectFrom('backup_repositories')
    .select('id')
    .where('ci_id', '=', next.source_ci_id)
    .forShare()
    .execute();
  // Read after the lock: a prune that took the repository first is committed and seen here.
  if (await removingData(db, next.source_ci_id)) return undefined;
  return db
    .updateTable('backup_restores')
    .set({
      state: 'running',
      claimed_by: agentId,
      claimed_at: sql<Date>`now()`,
      heartbeat_at: sql<Date>`now()`,
      updated_at: sql<Date>`now()`,
      files_done: 0,
      bytes_done: 0,
    })
    .where('id', '=', next.id)
    .returningAll()
    .executeTakeFirst();
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

/**
 * True when a restore from device `ciId` is running: a forget or prune of its repository waits. A restore whose
 * agent has not reported for {@link STALE_CLAIM_SECONDS} no longer counts (its agent is gone; it may be claimed
 * again, and then counts again).
 */
export async function restoreRunning(db: Db, ciId: string): Promise<boolean> {
  const r = await db
    .selectFrom('backup_restores')
    .select('id')
    .where('source_ci_id', '=', ciId)
    .where('state', '=', 'running')
    .where('heartbeat_at', '>=', sql<Date>`now() - make_interval(secs => ${STALE_CLAIM_SECONDS})`)
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
