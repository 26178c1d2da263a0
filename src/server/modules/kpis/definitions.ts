/**
 * Every KPI, defined once. A ticket KPI is a pair of counters over the per-ticket facts (kpi_ticket_facts):
 * each counter has an anchor (the fact's moment it belongs to), a condition and a value. The same definition
 * builds the daily aggregates (facts.repository.ts sums `value` where `when` holds, per anchor day) and the list
 * behind a figure (the facts whose anchor lies in the period and whose `when` holds), so they cannot disagree.
 */
import { type RawBuilder, sql } from 'kysely';
import type { KpiInfo, KpiKey } from '../../../contracts/index.js';

/** The moments of a ticket that counters belong to. */
export type Anchor = 'created_at' | 'finished_at' | 'responded_at' | 'resolved_at';

/** A column of kpi_daily: the sum of `value` over the facts whose `when` holds, on their anchor's UTC day. */
export interface Counter {
  anchor: Anchor;
  when: RawBuilder<boolean>;
  value: RawBuilder<number>;
}

const one = sql<number>`1`;
const epoch = (col: string) => sql<number>`floor(extract(epoch FROM ${sql.ref(col)}))::bigint`;
const resolved = sql<boolean>`resolved_at IS NOT NULL`;

/** The counters, by kpi_daily column. */
export const COUNTERS = {
  created: { anchor: 'created_at', when: sql<boolean>`true`, value: one },
  created_epoch: { anchor: 'created_at', when: sql<boolean>`true`, value: epoch('created_at') },
  finished: { anchor: 'finished_at', when: sql<boolean>`finished_at IS NOT NULL`, value: one },
  finished_created_epoch: {
    anchor: 'finished_at',
    when: sql<boolean>`finished_at IS NOT NULL`,
    value: epoch('created_at'),
  },
  response_total: { anchor: 'responded_at', when: sql<boolean>`response_met IS NOT NULL`, value: one },
  response_met: { anchor: 'responded_at', when: sql<boolean>`response_met IS TRUE`, value: one },
  resolved: { anchor: 'resolved_at', when: resolved, value: one },
  resolve_seconds: {
    anchor: 'resolved_at',
    when: resolved,
    value: sql<number>`floor(extract(epoch FROM resolved_at - created_at))::bigint`,
  },
  resolution_total: {
    anchor: 'resolved_at',
    when: sql<boolean>`resolved_at IS NOT NULL AND resolution_met IS NOT NULL`,
    value: one,
  },
  resolution_met: {
    anchor: 'resolved_at',
    when: sql<boolean>`resolved_at IS NOT NULL AND resolution_met IS TRUE`,
    value: one,
  },
  fcr: { anchor: 'resolved_at', when: sql<boolean>`resolved_at IS NOT NULL AND fcr`, value: one },
  reopened: { anchor: 'resolved_at', when: sql<boolean>`resolved_at IS NOT NULL AND reopened`, value: one },
  csat_count: {
    anchor: 'resolved_at',
    when: sql<boolean>`resolved_at IS NOT NULL AND csat IS NOT NULL`,
    value: one,
  },
  csat_sum: {
    anchor: 'resolved_at',
    when: sql<boolean>`resolved_at IS NOT NULL AND csat IS NOT NULL`,
    value: sql<number>`csat`,
  },
} satisfies Record<string, Counter>;
export type CounterName = keyof typeof COUNTERS;
export const COUNTER_NAMES = Object.keys(COUNTERS) as CounterName[];

/** A ticket KPI over a period: the list is the facts counted by `count`; a ratio's hits those of `hits`. */
export interface FlowKpi {
  source: 'tickets';
  snapshot: false;
  count: CounterName;
  /** ratio: hits / count; mean: sum / count. */
  hits?: CounterName;
  sum?: CounterName;
  /** The mean's unit is seconds (shown in hours) when set. */
  scale?: number;
  /** The row's own measure in the list. */
  measure?: RawBuilder<number>;
}

/** A ticket KPI that is a state at a moment (the backlog at the end of each bucket). */
export interface BacklogKpi {
  source: 'tickets';
  snapshot: true;
  mean: boolean;
}

/** A KPI read from another module's records (changes, backups, drills, exposure): few rows, counted as read. */
export interface RecordKpi {
  source: 'records';
  snapshot: boolean;
}

export type KpiDefinition = Omit<KpiInfo, 'target' | 'key' | 'snapshot'> & {
  defaultTarget: number;
} & (FlowKpi | BacklogKpi | RecordKpi);

const TICKET_DIMS: KpiInfo['dimensions'] = ['team', 'service'];
const HOURS = 3600;

/** The catalogue. Targets are defaults until an admin sets one (kpi_targets). */
export const KPIS: Record<KpiKey, KpiDefinition> = {
  sla_response: {
    ...{ kind: 'ratio', unit: 'share', better: 'higher', defaultTarget: 0.95, dimensions: TICKET_DIMS },
    ...{ source: 'tickets', snapshot: false, count: 'response_total', hits: 'response_met' },
  },
  sla_resolution: {
    ...{ kind: 'ratio', unit: 'share', better: 'higher', defaultTarget: 0.9, dimensions: TICKET_DIMS },
    ...{ source: 'tickets', snapshot: false, count: 'resolution_total', hits: 'resolution_met' },
  },
  mttr: {
    ...{ kind: 'mean', unit: 'hours', better: 'lower', defaultTarget: 24, dimensions: TICKET_DIMS },
    ...{ source: 'tickets', snapshot: false, count: 'resolved', sum: 'resolve_seconds', scale: HOURS },
    measure: sql<number>`extract(epoch FROM resolved_at - created_at) / 3600.0`,
  },
  fcr: {
    ...{ kind: 'ratio', unit: 'share', better: 'higher', defaultTarget: 0.7, dimensions: TICKET_DIMS },
    ...{ source: 'tickets', snapshot: false, count: 'resolved', hits: 'fcr' },
  },
  reopen_rate: {
    ...{ kind: 'ratio', unit: 'share', better: 'lower', defaultTarget: 0.05, dimensions: TICKET_DIMS },
    ...{ source: 'tickets', snapshot: false, count: 'resolved', hits: 'reopened' },
  },
  csat: {
    ...{ kind: 'mean', unit: 'rating', better: 'higher', defaultTarget: 4, dimensions: TICKET_DIMS },
    ...{
      source: 'tickets',
      snapshot: false,
      count: 'csat_count',
      sum: 'csat_sum',
      measure: sql<number>`csat`,
    },
  },
  backlog: {
    ...{ kind: 'count', unit: 'items', better: 'lower', defaultTarget: 100, dimensions: TICKET_DIMS },
    ...{ source: 'tickets', snapshot: true, mean: false },
  },
  backlog_age: {
    ...{ kind: 'mean', unit: 'days', better: 'lower', defaultTarget: 7, dimensions: TICKET_DIMS },
    ...{ source: 'tickets', snapshot: true, mean: true },
  },
  change_success: {
    ...{ kind: 'ratio', unit: 'share', better: 'higher', defaultTarget: 0.9, dimensions: ['team'] },
    ...{ source: 'records', snapshot: false },
  },
  backup_success: {
    ...{ kind: 'ratio', unit: 'share', better: 'higher', defaultTarget: 0.98, dimensions: [] },
    ...{ source: 'records', snapshot: false },
  },
  rpo_compliance: {
    ...{ kind: 'ratio', unit: 'share', better: 'higher', defaultTarget: 0.95, dimensions: [] },
    ...{ source: 'records', snapshot: true },
  },
  drill_pass: {
    ...{ kind: 'ratio', unit: 'share', better: 'higher', defaultTarget: 1, dimensions: ['service'] },
    ...{ source: 'records', snapshot: false },
  },
  open_exposure: {
    ...{ kind: 'count', unit: 'items', better: 'lower', defaultTarget: 0, dimensions: [] },
    ...{ source: 'records', snapshot: true },
  },
};

/** The list's condition of a flow KPI (its `count` counter) or of its hits. */
export function flowCondition(def: FlowKpi, hits: boolean): { anchor: Anchor; when: RawBuilder<boolean> } {
  const c = COUNTERS[hits && def.hits ? def.hits : def.count];
  return { anchor: c.anchor, when: c.when };
}
