/** All SQL of repository upkeep: one row per task (forget, prune, check) and repository. */
import { type Selectable, sql } from 'kysely';
import type { BackupUpkeepTable } from '../../db/schema.js';
import type { Db } from '../../platform/context.js';
import { isoMicros } from '../../platform/sql.js';

export type UpkeepRow = Selectable<BackupUpkeepTable>;
type Kind = UpkeepRow['kind'];

/** A pending task older than this never finished (its job was discarded or kept failing): it is closed. */
const ABANDONED_MS = 24 * 3_600_000;

/**
 * Queues a task unless one of the same kind is pending on the repository: the partial unique index decides,
 * so two requests at once (two admins, a schedule and an admin) queue one task. A pending task older than a
 * day is closed as failed first. Returns the new task's id, or undefined when one was pending already.
 */
export async function claim(
  db: Db,
  t: {
    repositoryId: string;
    ciId: string;
    kind: Kind;
    trigger: UpkeepRow['trigger'];
    requestedBy: string | null;
    now: Date;
  },
): Promise<string | undefined> {
  await db
    .updateTable('backup_upkeep')
    .set({
      outcome: 'failed',
      finished_at: t.now,
      error: 'it never finished: its job was stopped or kept failing',
    })
    .where('repository_id', '=', t.repositoryId)
    .where('kind', '=', t.kind)
    .where('finished_at', 'is', null)
    .where('requested_at', '<', new Date(t.now.getTime() - ABANDONED_MS))
    .execute();
  const r = await db
    .insertInto('backup_upkeep')
    .values({
      repository_id: t.repositoryId,
      ci_id: t.ciId,
      kind: t.kind,
      trigger: t.trigger,
      requested_by: t.requestedBy,
      requested_at: t.now,
      details: '{}',
    })
    .onConflict((oc) => oc.columns(['repository_id', 'kind']).where('finished_at', 'is', null).doNothing())
    .returning('id')
    .executeTakeFirst();
  return r?.id;
}

/**
 * Marks a queued task running and returns it; undefined when it is not queued (finished, or another runner
 * has it). With `takeOver` a task left running (its runner died and the job is retried) is taken too.
 */
export async function start(
  db: Db,
  id: string,
  now: Date,
  takeOver: boolean,
): Promise<UpkeepRow | undefined> {
  return db
    .updateTable('backup_upkeep')
    .set({ outcome: 'running', started_at: now })
    .where('id', '=', id)
    .where('outcome', 'in', takeOver ? ['queued', 'running'] : ['queued'])
    .returningAll()
    .executeTakeFirst();
}

/**
 * Puts a task back in the queue, saying why it waits (a restore reads the repository); a task left running by
 * a dead runner goes back too. Undefined when it has finished meanwhile.
 */
export async function wait(db: Db, id: string, why: string): Promise<UpkeepRow | undefined> {
  return db
    .updateTable('backup_upkeep')
    .set({ outcome: 'queued', started_at: null, summary: why })
    .where('id', '=', id)
    .where('finished_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

/** Records how a running task ended. */
export async function finish(
  db: Db,
  id: string,
  r: {
    outcome: 'ok' | 'failed' | 'skipped';
    summary: string;
    details: Record<string, unknown>;
    error: string | null;
    now: Date;
  },
): Promise<void> {
  await db
    .updateTable('backup_upkeep')
    .set({
      outcome: r.outcome,
      summary: r.summary,
      details: JSON.stringify(r.details),
      error: r.error,
      finished_at: r.now,
    })
    .where('id', '=', id)
    .where('finished_at', 'is', null)
    .execute();
}

/** One task. */
export async function find(db: Db, id: string): Promise<UpkeepRow | undefined> {
  return db.selectFrom('backup_upkeep').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A device's tasks, newest first: up to `limit` after the keyset position (requested_at, id). */
export async function page(
  db: Db,
  ciId: string,
  after: readonly [requestedAt: string, id: string] | undefined,
  limit: number,
): Promise<(UpkeepRow & { key: string })[]> {
  let q = db
    .selectFrom('backup_upkeep')
    .selectAll()
    .select(isoMicros(sql`requested_at`).as('key'))
    .where('ci_id', '=', ciId);
  if (after) q = q.where(sql<boolean>`(requested_at, id) < (${after[0]}::timestamptz, ${after[1]}::uuid)`);
  return q.orderBy('requested_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** The last finished task of each kind on a device's repository. */
export async function latest(db: Db, ciId: string): Promise<UpkeepRow[]> {
  const rows = await sql<UpkeepRow>`SELECT DISTINCT ON (kind) * FROM backup_upkeep
      WHERE ci_id = ${ciId} AND finished_at IS NOT NULL
      ORDER BY kind, requested_at DESC, id DESC`.execute(db);
  return rows.rows;
}

/** The last check of a repository that read data (its details name the next group to read). */
export async function lastRead(db: Db, repositoryId: string): Promise<UpkeepRow | undefined> {
  return db
    .selectFrom('backup_upkeep')
    .selectAll()
    .where('repository_id', '=', repositoryId)
    .where('kind', '=', 'check')
    .where('finished_at', 'is not', null)
    .where(sql<boolean>`details->>'nextGroup' IS NOT NULL`)
    .orderBy('requested_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}
