/**
 * KPIs read from other modules' records (changes, backup runs, recovery points, drills, exposures), through their
 * read functions. There are few such records, so a KPI reads its rows once and both the figure and the list are
 * counted from those same rows with the same predicate ({@link counts}).
 */
import type { KpiItem, KpiKey } from '../../../contracts/index.js';
import type { Ctx } from '../../platform/context.js';
import { recoveryHistory, recoveryPoints, runOutcomes, type RecoveryHistory } from '../backup/index.js';
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

/**
 * Whether a row counts in [start, end): flows by their moment, spans when open at `end`, or now when `end` is
 * still to come (the current period shows the state now).
 */
export function counts(row: RecordRow, start: Date, end: Date, span: boolean, now = new Date()): boolean {
  if (span) {
    const at = end > now ? now : end;
    return row.at < at && (row.until === null || row.until === undefined || row.until >= at);
  }
  return row.at >= start && row.at < end;
}

/** The moment before any record: what was true "since always". */
const EVER = new Date(0);

/**
 * A device's recovery-point history as spans within (hit) and out of (miss) its target, back to back: out of
 * target until its first good run was known, then within it except during each breach.
 */
function rpoSpans(h: RecoveryHistory, item: Omit<RecordRow['item'], 'hit'>): RecordRow[] {
  const out: RecordRow[] = [];
  const span = (at: Date, until: Date | null, hit: boolean) => {
    if (until === null || until > at) out.push({ item: { ...item, hit }, at, until });
  };
  if (!h.firstGoodAt) {
    span(EVER, null, false);
    return out;
  }
  span(EVER, h.firstGoodAt, false);
  let from: Date | null = h.firstGoodAt;
  for (const b of h.breaches) {
    if (from === null) break;
    span(from, b.from < from ? from : b.from, true);
    span(b.from < from ? from : b.from, b.until, false);
    from = b.until;
  }
  if (from !== null) span(from, null, true);
  return out;
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
      // Every computer with a backup policy, held to its policy's target, at each bucket end.
      const devices = (await recoveryPoints(ctx)).filter(
        (d) => d.state !== 'no_policy' && d.rpoTargetMinutes,
      );
      const history = await recoveryHistory(
        db,
        devices.map((d) => ({ ciId: d.ciId, rpoMinutes: d.rpoTargetMinutes! })),
        start,
        end,
      );
      const byId = new Map(devices.map((d) => [d.ciId, d]));
      return history.flatMap((h) => {
        const d = byId.get(h.ciId)!;
        return rpoSpans(h, { kind: 'device', id: d.ciId, ref: d.name, title: d.policy });
      });
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
