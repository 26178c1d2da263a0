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
