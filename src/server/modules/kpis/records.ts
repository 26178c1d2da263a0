/**
 * KPIs read from other modules' records (changes, backup runs, recovery points, drills, exposures), through their
 * read functions. There are few such records, so a KPI reads its rows once and both the figure and the list are
 * counted from those same rows with the same predicate ({@link counts}).
 */
import type { KpiItem, KpiKey } from '../../../contracts/index.js';
import type { Ctx } from '../../platform/context.js';
import { recoveryPoints, runOutcomes } from '../backup/index.js';
import { changeOutcomes } from '../changes/index.js';
import { itemNames } from '../cmdb/index.js';
import { drillOutcomes } from '../dr/index.js';
import { exposureSpans } from '../exposure/index.js';
import type { Slice } from './facts.repository.js';

/** A counted record: a flow record counts in the bucket its `at` falls in; a span at each bucket end it covers. */
export interface RecordRow {
  item: Omit<KpiItem, 'at' | 'measure' | 'restricted'>;
  at: Date;
  /** Spans only: when it stopped counting (null: still open). */
  until?: Date | null;
  teamId?: string | null;
  serviceId?: string | null;
}

/** Whether a row counts in [start, end): flows by their moment, spans when open at `end`. */
export function counts(row: RecordRow, start: Date, end: Date, span: boolean): boolean {
  if (span) return row.at < end && (row.until === null || row.until === undefined || row.until >= end);
  return row.at >= start && row.at < end;
}

/** Keeps the rows of the slice's team and service. */
function sliced(rows: RecordRow[], slice: Slice): RecordRow[] {
  return rows.filter(
    (r) =>
      (!slice.teamId || r.teamId === slice.teamId) && (!slice.serviceId || r.serviceId === slice.serviceId),
  );
}

/** The KPIs counted from other modules' records. */
export type RecordKey = Extract<
  KpiKey,
  'change_success' | 'backup_success' | 'rpo_compliance' | 'drill_pass' | 'open_exposure'
>;

/** The records a KPI counts anywhere in [start, end), with the slice applied. */
export async function recordRows(
  ctx: Ctx,
  key: RecordKey,
  start: Date,
  end: Date,
  slice: Slice,
): Promise<RecordRow[]> {
  const db = ctx.db;
  switch (key) {
    case 'change_success':
      return sliced(
        (await changeOutcomes(db, start, end)).map((c) => ({
          item: { kind: 'change', id: c.id, ref: c.key, title: c.title, hit: c.successful },
          at: c.at,
          teamId: c.teamId,
        })),
        slice,
      );
    case 'backup_success': {
      const runs = await runOutcomes(db, start, end);
      const names = await itemNames(ctx, [...new Set(runs.map((r) => r.ciId))]);
      return runs.map((r) => ({
        item: { kind: 'device', id: r.ciId, ref: names.get(r.ciId) ?? null, title: null, hit: r.succeeded },
        at: r.at,
      }));
    }
    case 'rpo_compliance': {
      // A state now: every computer with a backup policy, counted at every bucket end from now on.
      const now = new Date();
      return (await recoveryPoints(ctx))
        .filter((d) => d.state !== 'no_policy')
        .map((d) => ({
          item: { kind: 'device', id: d.ciId, ref: d.name, title: d.policy, hit: d.state === 'ok' },
          at: now,
          until: null,
        }));
    }
    case 'drill_pass':
      return sliced(
        (await drillOutcomes(db, start, end)).map((d) => ({
          item: { kind: 'drill', id: d.id, ref: d.plan, title: null, hit: d.passed },
          at: d.at,
          serviceId: d.serviceId,
        })),
        slice,
      );
    case 'open_exposure': {
      const spans = await exposureSpans(db, start, end);
      const names = await itemNames(ctx, [...new Set(spans.map((s) => s.computerId))]);
      return spans.map((s) => ({
        item: {
          kind: 'exposure',
          id: s.id,
          ref: s.advisoryId,
          title: `${s.package} (${s.severity}) · ${names.get(s.computerId) ?? ''}`,
          hit: null,
        },
        at: s.openedAt,
        until: s.closedAt,
      }));
    }
  }
}
