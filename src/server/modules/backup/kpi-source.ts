import { sql } from 'kysely';
import type { Db } from '../../platform/context.js';

/** A finished backup run, as the backup success rate counts it. */
export interface RunOutcome {
  id: string;
  ciId: string;
  at: Date;
  succeeded: boolean;
}

/** Backup runs that finished in [start, end) (for the kpis module; read only). */
export async function runOutcomes(db: Db, start: Date, end: Date): Promise<RunOutcome[]> {
  const rows = await db
    .selectFrom('backup_runs')
    .select(['id', 'ci_id', 'finished_at', 'status'])
    .where('finished_at', '>=', start)
    .where('finished_at', '<', end)
    .orderBy('finished_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    ciId: r.ci_id,
    at: r.finished_at,
    succeeded: r.status === 'succeeded',
  }));
}

/** When a device's recovery point was out of its target: from `from` until a later good run was known. */
export interface RecoveryBreach {
  from: Date;
  /** null: still out of target, or (when `from` is in the future) will be unless a run comes first. */
  until: Date | null;
}

/** A device's recovery point over time, for the RPO compliance trend. */
export interface RecoveryHistory {
  ciId: string;
  /** When its first good run (in the window, or the last one before it) was known; null: none yet. */
  firstGoodAt: Date | null;
  breaches: RecoveryBreach[];
}

interface HistoryRow {
  ci_id: string;
  first_known: Date;
  breach_from: Date;
  next_known: Date | null;
}

/**
 * The recovery-point history of `devices` (each with the target it is held to) over [start, end): a device is
 * within its target at a moment T when a good run (succeeded or partial) was known by T (its `finished_at`) and
 * the newest such run began at most `rpoMinutes` before T, the same rule as the recovery point shown now. Read
 * from the good runs in the window and the last one before it, folded in SQL to the moments a device fell out of
 * its target (a window function over each device's runs), so a year of hourly runs returns a few rows a device.
 */
export async function recoveryHistory(
  db: Db,
  devices: readonly { ciId: string; rpoMinutes: number }[],
  start: Date,
  end: Date,
): Promise<RecoveryHistory[]> {
  if (devices.length === 0) return [];
  const ids = devices.map((d) => d.ciId);
  const mins = devices.map((d) => d.rpoMinutes);
  const { rows } = await sql<HistoryRow>`
    WITH t AS (SELECT * FROM unnest(${ids}::uuid[], ${mins}::int[]) AS t(ci_id, rpo)),
    runs AS (
      SELECT r.ci_id, r.started_at, r.finished_at FROM backup_runs r JOIN t ON t.ci_id = r.ci_id
       WHERE r.status <> 'failed' AND r.started_at >= ${start} AND r.finished_at < ${end}
      UNION ALL
      SELECT b.ci_id, b.started_at, b.finished_at FROM t CROSS JOIN LATERAL (
        SELECT r.ci_id, r.started_at, r.finished_at FROM backup_runs r
         WHERE r.ci_id = t.ci_id AND r.status <> 'failed' AND r.started_at < ${start} AND r.finished_at < ${end}
         ORDER BY r.started_at DESC LIMIT 1) b
    ),
    g AS (
      SELECT ci_id, finished_at AS known,
             max(started_at) OVER w AS rp,
             lead(finished_at) OVER w AS next_known,
             min(finished_at) OVER (PARTITION BY ci_id) AS first_known
        FROM runs WINDOW w AS (PARTITION BY ci_id ORDER BY finished_at, started_at)
    )
    SELECT g.ci_id, g.first_known, greatest(g.known, g.rp + make_interval(mins => t.rpo)) AS breach_from,
           g.next_known
      FROM g JOIN t ON t.ci_id = g.ci_id
     WHERE g.next_known IS NULL OR g.next_known > g.rp + make_interval(mins => t.rpo)
     ORDER BY g.ci_id, breach_from`.execute(db);
  const out = new Map<string, RecoveryHistory>(
    ids.map((ciId) => [ciId, { ciId, firstGoodAt: null, breaches: [] }]),
  );
  for (const r of rows) {
    const h = out.get(r.ci_id)!;
    h.firstGoodAt = new Date(r.first_known);
    h.breaches.push({ from: new Date(r.breach_from), until: r.next_known ? new Date(r.next_known) : null });
  }
  return [...out.values()];
}
