import type { Db } from '../../platform/context.js';

/** An exposure (an advisory on a computer) with when it opened and closed, as open exposure counts it. */
export interface ExposureSpan {
  id: string;
  advisoryId: string;
  computerId: string;
  package: string;
  severity: string;
  openedAt: Date;
  closedAt: Date | null;
}

/** Exposures open at some moment in [start, end) (for the kpis module; read only). */
export async function exposureSpans(db: Db, start: Date, end: Date): Promise<ExposureSpan[]> {
  const rows = await db
    .selectFrom('exposures')
    .select(['id', 'advisory_id', 'computer_id', 'package', 'severity', 'opened_at', 'closed_at'])
    .where('opened_at', '<', end)
    .where((eb) => eb.or([eb('closed_at', 'is', null), eb('closed_at', '>=', start)]))
    .orderBy('opened_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    advisoryId: r.advisory_id,
    computerId: r.computer_id,
    package: r.package,
    severity: r.severity,
    openedAt: r.opened_at,
    closedAt: r.closed_at,
  }));
}
