/** SQL of backup runs. */
import { type Insertable, type Selectable, sql } from 'kysely';
import type { BackupRunsTable } from '../../db/schema.js';
import type { Db } from '../../platform/context.js';

export type RunRow = Selectable<BackupRunsTable>;

/** Stores a run; returns its id and when it was recorded. */
export async function insertRun(db: Db, r: Insertable<BackupRunsTable>) {
  return db.insertInto('backup_runs').values(r).returning(['id', 'reported_at']).executeTakeFirstOrThrow();
}

/** The last run of a device, and its last good run. */
export interface LastRuns {
  ci_id: string;
  last_at: Date | null;
  last_status: RunRow['status'] | null;
  good_at: Date | null;
}

/** The last run and the last good run of each device (one indexed lookup each). */
export async function lastRuns(db: Db, ids: readonly string[]): Promise<Map<string, LastRuns>> {
  if (ids.length === 0) return new Map();
  const rows = await sql<LastRuns>`SELECT d.id AS ci_id, l.started_at AS last_at, l.status AS last_status,
        g.started_at AS good_at
      FROM unnest(string_to_array(${ids.join(',')}, ',')::uuid[]) AS d(id)
      LEFT JOIN LATERAL (SELECT started_at, status FROM backup_runs r WHERE r.ci_id = d.id
        ORDER BY started_at DESC LIMIT 1) l ON true
      LEFT JOIN LATERAL (SELECT started_at FROM backup_runs r WHERE r.ci_id = d.id AND r.status <> 'failed'
        ORDER BY started_at DESC LIMIT 1) g ON true`.execute(db);
  return new Map(rows.rows.map((r) => [r.ci_id, r]));
}

/** A device's last good snapshot: the start of the last run that saved one, and the snapshot's id. */
export interface LastSnapshot {
  ci_id: string;
  started_at: Date;
  snapshot_id: string | null;
}

/** The last good snapshot of each of `ids` that has one (one indexed lookup each). */
export async function lastSnapshots(db: Db, ids: readonly string[]): Promise<LastSnapshot[]> {
  if (ids.length === 0) return [];
  return (
    await sql<LastSnapshot>`SELECT d.id AS ci_id, g.started_at, g.snapshot_id
      FROM unnest(${[...ids]}::uuid[]) AS d(id)
      JOIN LATERAL (SELECT started_at, snapshot_id FROM backup_runs r WHERE r.ci_id = d.id AND r.status <> 'failed'
        ORDER BY started_at DESC LIMIT 1) g ON true`.execute(db)
  ).rows;
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
