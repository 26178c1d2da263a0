/** SQL of running backups' progress: one row per device, upserted by its agent's posts. */
import { sql } from 'kysely';
import type { ReportBackupProgress } from '../../../contracts/index.js';
import type { BackupProgressTable } from '../../db/schema.js';
import type { Db } from '../../platform/context.js';
import type { Selectable } from 'kysely';

export type ProgressRow = Selectable<BackupProgressTable>;

/**
 * Stores a device's progress, unless a run that started at or after it was already reported (a post that
 * arrives after its run's report is dropped). `new_run` tells whether this post began another run than the
 * row held; undefined when dropped. One statement: parallel posts cannot both insert.
 */
export async function upsertProgress(
  db: Db,
  ciId: string,
  p: ReportBackupProgress,
): Promise<{ new_run: boolean } | undefined> {
  const r = await sql<{ new_run: boolean }>`INSERT INTO backup_progress AS b
      (ci_id, started_at, percent, files_done, files_total, bytes_done, bytes_total, current_file, eta_seconds)
    SELECT ${ciId}::uuid, ${p.startedAt}::timestamptz, ${p.percent}, ${p.filesDone}, ${p.filesTotal},
      ${p.bytesDone}, ${p.bytesTotal}, ${p.currentFile}, ${p.etaSeconds}
    WHERE NOT EXISTS (SELECT 1 FROM backup_runs r WHERE r.ci_id = ${ciId}::uuid
      AND r.started_at >= ${p.startedAt}::timestamptz)
    ON CONFLICT (ci_id) DO UPDATE SET
      new_run = b.started_at IS DISTINCT FROM EXCLUDED.started_at,
      started_at = EXCLUDED.started_at, percent = EXCLUDED.percent,
      files_done = EXCLUDED.files_done, files_total = EXCLUDED.files_total,
      bytes_done = EXCLUDED.bytes_done, bytes_total = EXCLUDED.bytes_total,
      current_file = EXCLUDED.current_file, eta_seconds = EXCLUDED.eta_seconds, updated_at = now()
    RETURNING new_run`.execute(db);
  return r.rows[0];
}

/**
 * Forgets a device's progress of runs that started no later than `startedAt` (its run was reported); true when
 * the run that started at `startedAt` itself had posted progress (so its start is audited already).
 */
export async function clearProgress(db: Db, ciId: string, startedAt: string): Promise<boolean> {
  const gone = await db
    .deleteFrom('backup_progress')
    .where('ci_id', '=', ciId)
    .where('started_at', '<=', new Date(startedAt))
    .returning('started_at')
    .execute();
  return gone.some((r) => r.started_at.getTime() === Date.parse(startedAt));
}

/** The progress rows of these devices posted since `since`. */
export async function progressOf(
  db: Db,
  ids: readonly string[],
  since: Date,
): Promise<Map<string, ProgressRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('backup_progress')
    .selectAll()
    .where('ci_id', '=', (eb) => eb.fn.any(eb.val([...ids])))
    .where('updated_at', '>=', since)
    .execute();
  return new Map(rows.map((r) => [r.ci_id, r]));
}
