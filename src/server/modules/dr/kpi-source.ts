import type { Db } from '../../platform/context.js';

/** A finished drill (passed or failed), as the drill pass rate counts it. */
export interface DrillOutcome {
  id: string;
  plan: string;
  serviceId: string | null;
  at: Date;
  passed: boolean;
}

/** Drills that passed or failed in [start, end) (for the kpis module; read only). */
export async function drillOutcomes(db: Db, start: Date, end: Date): Promise<DrillOutcome[]> {
  const rows = await db
    .selectFrom('dr_drills')
    .select(['id', 'plan_name', 'service_ci_id', 'finished_at', 'status'])
    .where('status', 'in', ['passed', 'failed'])
    .where('finished_at', '>=', start)
    .where('finished_at', '<', end)
    .orderBy('finished_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    plan: r.plan_name,
    serviceId: r.service_ci_id,
    at: r.finished_at ?? start,
    passed: r.status === 'passed',
  }));
}
