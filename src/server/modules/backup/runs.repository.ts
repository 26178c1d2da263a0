/** SQL of backup runs. */
import { type Insertable, type Selectable, sql } from 'kysely';
import type { BackupRunsTable } from '../../db/schema.js';
import type { Db } from '../../platform/context.js';

export type RunRow = Selectable<BackupRunsTable>;

/** Stores a run; returns its id and when it began and was recorded. */
export async function insertRun(db: Db, r: Insertable<BackupRunsTable>) {
  return db
    .insertInto('backup_runs')
    .values(r)
    .returning(['id', 'reported_at', 'started_at'])
    .executeTakeFirstOrThrow();
}

/**
 * Brings a device's last-run summary up to date with a run just stored, in the report's transaction: one
 * upsert that keeps the later of what the row holds and this run. The row lock of `ON CONFLICT DO UPDATE`
 * serialises parallel reports of a device, each comparing against the row as the previous one left it; call it
 * last in the transaction, so that the lock is held briefly.
 */
export async function noteRun(
  db: Db,
  r: { ci_id: string; started_at: Date; status: RunRow['status']; snapshot_id: string | null },
): Promise<void> {
  const good = r.status !== 'failed';
  const later = (col: 'last_at' | 'good_at') =>
    sql<boolean>`excluded.${sql.ref(col)} IS NOT NULL AND (backup_last_runs.${sql.ref(col)} IS NULL
      OR excluded.${sql.ref(col)} >= backup_last_runs.${sql.ref(col)})`;
  // `never`: the CASE yields the column's own type, which the builder cannot infer from raw SQL.
  const pick = (when: 'last_at' | 'good_at', col: string) =>
    sql<never>`CASE WHEN ${later(when)} THEN excluded.${sql.ref(col)} ELSE backup_last_runs.${sql.ref(col)} END`;
  await db
    .insertInto('backup_last_runs')
    .values({
      ci_id: r.ci_id,
      last_at: r.started_at,
      last_status: r.status,
      good_at: good ? r.started_at : null,
      good_snapshot_id: good ? r.snapshot_id : null,
    })
    .onConflict((oc) =>
      oc.column('ci_id').doUpdateSet({
        last_at: pick('last_at', 'last_at'),
        last_status: pick('last_at', 'last_status'),
        good_at: pick('good_at', 'good_at'),
        good_snapshot_id: pick('good_at', 'good_snapshot_id'),
      }),
    )
    .execute();
}

/** The last run of a device, and its last good run. */
export interface LastRuns {
  ci_id: string;
  last_at: Date | null;
  last_status: RunRow['status'] | null;
  good_at: Date | null;
}

/** The last run and the last good run of each of `ids` that reported one (of every device when undefined). */
export async function lastRuns(db: Db, ids?: readonly string[]): Promise<Map<string, LastRuns>> {
  if (ids?.length === 0) return new Map();
  let q = db.selectFrom('backup_last_runs').select(['ci_id', 'last_at', 'last_status', 'good_at']);
  if (ids) q = q.where('ci_id', '=', (eb) => eb.fn.any(eb.val([...ids])));
  return new Map((await q.execute()).map((r) => [r.ci_id, r]));
}

/** A device's last good snapshot: the start of the last run that saved one, and the snapshot's id. */
export interface LastSnapshot {
  ci_id: string;
  started_at: Date;
  snapshot_id: string | null;
}

/** The last good snapshot of each of `ids` that has one. */
export async function lastSnapshots(db: Db, ids: readonly string[]): Promise<LastSnapshot[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('backup_last_runs')
    .select(['ci_id', 'good_at', 'good_snapshot_id'])
    .where('ci_id', '=', (eb) => eb.fn.any(eb.val([...ids])))
    .where('good_at', 'is not', null)
    .execute();
  return rows.map((r) => ({ ci_id: r.ci_id, started_at: r.good_at!, snapshot_id: r.good_snapshot_id }));
}

/** A device's runs, newest first. */
export async function runsOf(db: Db, ciId: string, limit: number): Promise<RunRow[]> {
  return db
    .selectFrom('backup_runs')
    .selectAll()
    .where('ci_id', '=', ciId)
    .orderBy('started_at', 'desc')
    .limit(limit)
    .execute();
}

/**
 * Backup runs started since `since` (compliance evidence): how many succeeded, partly succeeded and failed,
 * and up to 100 of the failed ones (newest first) with their device's name.
 */
export async function runOutcomesSince(db: Db, since: Date) {
  const counts = await db
    .selectFrom('backup_runs')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('started_at', '>=', since)
    .groupBy('status')
    .execute();
  const failed = await db
    .selectFrom('backup_runs as r')
    .innerJoin('cis as c', 'c.id', 'r.ci_id')
    .select(['c.name as device', 'r.started_at', 'r.error'])
    .where('r.started_at', '>=', since)
    .where('r.status', '=', 'failed')
    .orderBy('r.started_at', 'desc')
    .limit(100)
    .execute();
  const n = (s: string) => Number(counts.find((c) => c.status === s)?.n ?? 0);
  return {
    succeeded: n('succeeded'),
    partial: n('partial'),
    failed: n('failed'),
    failures: failed.map((f) => ({ device: f.device, at: f.started_at.toISOString(), error: f.error })),
  };
}
