/**
 * KPI figures and trends. Ticket KPIs read the daily aggregates (one query per KPI, plus the opening balance for
 * the backlog); record KPIs count the rows their owners' read functions return. The lists are in items.service.ts.
 */
import type { KpiFilter, KpiInfo, KpiKey, KpiPoint, KpiResult } from '../../../contracts/index.js';
import type { Ctx } from '../../platform/context.js';
import { Invalid } from '../../platform/errors.js';
import { type Actor, can } from '../../platform/permissions.js';
import { record } from '../../platform/audit/index.js';
import { type BacklogKpi, type CounterName, type FlowKpi, KPIS } from './definitions.js';
import { catchUpBatch, dailySums, pendingCount, type Slice, sumsBefore } from './facts.repository.js';
import { bucketsOf, type Days, endOf, startOf } from './period.js';
import { counts, type RecordKey, recordRows } from './records.js';
import * as repo from './kpis.repository.js';

/** The catalogue with each KPI's target (an admin's, else the default). */
export async function kpiCatalogue(ctx: Ctx, actor: Actor): Promise<KpiInfo[]> {
  can(actor, 'kpi:read');
  const set = await repo.targets(ctx.db);
  return (Object.keys(KPIS) as KpiKey[]).map((key) => infoOf(key, set));
}

function infoOf(key: KpiKey, set: Map<string, number>): KpiInfo {
  const d = KPIS[key];
  return {
    key,
    kind: d.kind,
    unit: d.unit,
    better: d.better,
    target: set.get(key) ?? d.defaultTarget,
    dimensions: d.dimensions,
    snapshot: d.snapshot,
  };
}

/** Sets a KPI's target (admins); audited. */
export async function setTarget(ctx: Ctx, actor: Actor, key: KpiKey, target: number): Promise<KpiInfo> {
  can(actor, 'kpi:admin');
  if (KPIS[key].unit === 'share' && target > 1) {
    throw Invalid('a share is a target between 0 and 1', [{ path: 'body.target', message: 'at most 1' }]);
  }
  await ctx.tx(async (db) => {
    const before = await repo.upsertTarget(db, key, target, actor.userId);
    await record(db, actor, 'kpi.target_set', { type: 'kpi', id: key }, { target: before }, { target });
  });
  return infoOf(key, await repo.targets(ctx.db));
}

/** Brings the ticket facts up to date with what was written (bounded: the job does the rest). */
export async function catchUp(ctx: Ctx, maxBatches = 20, batch = 2000): Promise<number> {
  let done = 0;
  // Most reads find nothing to do: asking first spares them a write transaction.
  if ((await pendingCount(ctx.db)) === 0) return 0;
  for (let i = 0; i < maxBatches; i++) {
    const n = await ctx.tx((db) => catchUpBatch(db, batch));
    done += n;
    if (n < batch) break;
  }
  return done;
}

/** 400 when the KPI cannot be cut by a team or a service filter that is set. */
export function checkDimensions(key: KpiKey, team: boolean, service: boolean): void {
  const dims = KPIS[key].dimensions;
  for (const [dim, set] of [
    ['team', team],
    ['service', service],
  ] as const) {
    if (set && !dims.includes(dim)) {
      throw Invalid(`${key} is not measured per ${dim}`, [
        { path: `querystring.${dim}Id`, message: `not a dimension of ${key}` },
      ]);
    }
  }
}

/** Checks a filter against the KPI (dimensions, period) and returns its buckets and slice. */
export function checkFilter(key: KpiKey, f: KpiFilter): { buckets: Days[]; slice: Slice } {
  checkDimensions(key, f.teamId !== undefined, f.serviceId !== undefined);
  return { buckets: bucketsOf(f, f.granularity), slice: { teamId: f.teamId, serviceId: f.serviceId } };
}

/** A KPI over a period, with its trend. */
export async function computeKpi(ctx: Ctx, actor: Actor, key: KpiKey, f: KpiFilter): Promise<KpiResult> {
  can(actor, 'kpi:read');
  const { buckets, slice } = checkFilter(key, f);
  const def = KPIS[key];
  const whole: Days = { from: f.from, to: f.to };
  let points: KpiPoint[];
  let total: Omit<KpiPoint, 'from' | 'to'>;
  if (def.source === 'tickets') {
    await catchUp(ctx);
    // A flow's whole-period figure sums its days; a state's is the last bucket's.
    if (def.snapshot) {
      points = await backlogPoints(ctx, def, buckets, slice);
      total = lastOf(points);
    } else {
      ({ points, total } = await flowPoints(ctx, def, buckets, slice));
    }
  } else {
    const rows = await recordRows(ctx, key as RecordKey, startOf(f.from), endOf(f.to), slice);
    const figure = (d: Days): KpiPoint => {
      const counted = rows.filter((r) => counts(r, startOf(d.from), endOf(d.to), def.snapshot));
      const hits = def.kind === 'ratio' ? counted.filter((r) => r.item.hit === true).length : null;
      const value = def.kind === 'ratio' ? (counted.length ? hits! / counted.length : null) : counted.length;
      return { ...d, value, count: counted.length, hits };
    };
    points = buckets.map(figure);
    total = def.snapshot ? lastOf(points) : figure(whole);
  }
  const target = (await repo.targets(ctx.db)).get(key) ?? def.defaultTarget;
  const met =
    total.value === null ? null : def.better === 'higher' ? total.value >= target : total.value <= target;
  return {
    ...infoOf(key, new Map([[key, target]])),
    from: f.from,
    to: f.to,
    ...total,
    met,
    trend: points,
  };
}

function lastOf(points: KpiPoint[]): Omit<KpiPoint, 'from' | 'to'> {
  const p = points.at(-1);
  return p ? { value: p.value, count: p.count, hits: p.hits } : { value: null, count: 0, hits: null };
}

function flowValue(def: FlowKpi, s: Record<string, number>): Omit<KpiPoint, 'from' | 'to'> {
  const count = s[def.count] ?? 0;
  const hits = def.hits ? (s[def.hits] ?? 0) : null;
  const sum = def.sum ? (s[def.sum] ?? 0) : 0;
  const value = count === 0 ? null : hits !== null ? hits / count : sum / count / (def.scale ?? 1);
  return { value, count, hits };
}

const flowNames = (def: FlowKpi): CounterName[] =>
  [def.count, def.hits, def.sum].filter((n): n is CounterName => n !== undefined);

/** A flow's buckets and its whole period (the buckets cover it exactly), from one read of the days. */
async function flowPoints(ctx: Ctx, def: FlowKpi, buckets: Days[], slice: Slice) {
  const days = await dailySums(ctx.db, flowNames(def), buckets[0]!.from, buckets.at(-1)!.to, slice);
  const all: Record<string, number> = {};
  let i = 0;
  const points = buckets.map((b) => {
    const acc: Record<string, number> = {};
    while (i < days.length && days[i]!.day <= b.to) {
      for (const [k, v] of Object.entries(days[i]!.sums)) {
        acc[k] = (acc[k] ?? 0) + v;
        all[k] = (all[k] ?? 0) + v;
      }
      i++;
    }
    return { ...b, ...flowValue(def, acc) };
  });
  return { points, total: flowValue(def, all) };
}

const BACKLOG: CounterName[] = ['created', 'finished', 'created_epoch', 'finished_created_epoch'];

/** The backlog at each bucket's end: created minus finished so far; its mean age from the creation times. */
async function backlogPoints(ctx: Ctx, def: BacklogKpi, buckets: Days[], slice: Slice): Promise<KpiPoint[]> {
  const first = buckets[0]!.from;
  const [opening, days] = await Promise.all([
    sumsBefore(ctx.db, BACKLOG, first, slice),
    dailySums(ctx.db, BACKLOG, first, buckets.at(-1)!.to, slice),
  ]);
  const acc: Record<string, number> = { ...opening };
  let i = 0;
  return buckets.map((b) => {
    while (i < days.length && days[i]!.day <= b.to) {
      for (const [k, v] of Object.entries(days[i]!.sums)) acc[k] = (acc[k] ?? 0) + v;
      i++;
    }
    const open = (acc.created ?? 0) - (acc.finished ?? 0);
    const epochs = (acc.created_epoch ?? 0) - (acc.finished_created_epoch ?? 0);
    const end = endOf(b.to).getTime() / 1000;
    const value = def.mean ? (open === 0 ? null : (open * end - epochs) / open / 86_400) : open;
    return { ...b, value, count: open, hits: null };
  });
}
