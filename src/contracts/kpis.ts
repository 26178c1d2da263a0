import { z } from 'zod';
import { Line } from './common.js';

/** Every KPI Steward measures (issue 28). */
export const KPI_KEYS = [
  'sla_response',
  'sla_resolution',
  'mttr',
  'fcr',
  'reopen_rate',
  'backlog',
  'backlog_age',
  'csat',
  'change_success',
  'backup_success',
  'rpo_compliance',
  'drill_pass',
  'open_exposure',
] as const;
export const KpiKey = z.enum(KPI_KEYS, { message: `must be one of ${KPI_KEYS.join(', ')}` });
export type KpiKey = z.infer<typeof KpiKey>;

/** How a trend is cut: per day, ISO week (Monday) or calendar month (UTC). */
export const Granularity = z.enum(['day', 'week', 'month']);
export type Granularity = z.infer<typeof Granularity>;

const Day = z.iso.date({ message: 'must be a date (YYYY-MM-DD)' });

/** The filters of a KPI: a period of whole UTC days, its cut, and optionally a team and a business service. */
export const KpiFilter = z.strictObject({
  from: Day,
  to: Day,
  granularity: Granularity.default('month'),
  teamId: z.uuid({ message: 'must be a UUID' }).optional(),
  serviceId: z.uuid({ message: 'must be a UUID' }).optional(),
});
export type KpiFilter = z.infer<typeof KpiFilter>;

/** A KPI's key in a path: an unknown key is a 404, not a 400. */
export const KpiParams = z.strictObject({ key: z.string().max(60) });
/** A dashboard's id: one of the role defaults (`preset-…`) or a saved dashboard's uuid; others are not found. */
export const DashboardParams = z.strictObject({
  id: z.union([z.uuid(), z.string().regex(/^preset-[a-z][a-z_]{0,40}$/, 'a dashboard id or preset-…')]),
});

/** The list behind a figure: every row it counts (`hits`: only those in the numerator). */
export const KpiItemsQuery = KpiFilter.extend({
  hits: z.enum(['true', 'false']).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type KpiItemsQuery = z.infer<typeof KpiItemsQuery>;

/** What a KPI is, as the catalogue lists it. */
export const KpiInfo = z.object({
  key: KpiKey,
  /** ratio: a share 0–1; mean: an average (unit); count: a number of things. */
  kind: z.enum(['ratio', 'mean', 'count']),
  unit: z.enum(['share', 'hours', 'days', 'rating', 'items']),
  /** Which way is good. */
  better: z.enum(['higher', 'lower']),
  target: z.number(),
  /** Which filters it can be cut by. */
  dimensions: z.array(z.enum(['team', 'service'])),
  /** A state at the end of the period (backlog), not a flow within it. */
  snapshot: z.boolean(),
});
export type KpiInfo = z.infer<typeof KpiInfo>;

/** One point of a trend: the bucket's days and its figure. */
export const KpiPoint = z.object({
  from: z.string(),
  to: z.string(),
  value: z.number().nullable(),
  count: z.number().int(),
  hits: z.number().int().nullable(),
});
export type KpiPoint = z.infer<typeof KpiPoint>;

/**
 * A KPI over a period: `value` (null when nothing was counted), `count` = the length of its list, `hits` = the
 * numerator of a ratio (the list with hits=true), and the trend.
 */
export const KpiResult = KpiInfo.extend({
  from: z.string(),
  to: z.string(),
  value: z.number().nullable(),
  count: z.number().int(),
  hits: z.number().int().nullable(),
  met: z.boolean().nullable(),
  trend: z.array(KpiPoint),
});
export type KpiResult = z.infer<typeof KpiResult>;

/** A row of a KPI's list, named as people know it; `restricted` rows are counted but not visible to the caller. */
export const KpiItem = z.object({
  kind: z.enum(['ticket', 'change', 'device', 'drill', 'exposure']),
  id: z.string().nullable(),
  ref: z.string().nullable(),
  title: z.string().nullable(),
  at: z.string().nullable(),
  hit: z.boolean().nullable(),
  /** The row's own measure where the KPI is a mean (hours to resolve, CSAT rating, age in days). */
  measure: z.number().nullable(),
  restricted: z.boolean(),
});
export type KpiItem = z.infer<typeof KpiItem>;

export const KpiCatalogue = z.object({ items: z.array(KpiInfo) });

export const KpiItems = z.object({
  items: z.array(KpiItem),
  nextCursor: z.string().nullable(),
  total: z.number().int(),
});
export type KpiItems = z.infer<typeof KpiItems>;

export const KpiTargetInput = z.strictObject({ target: z.number().finite().min(0).max(1_000_000) });

/** Where a card's period ends and how far back it reaches: relative, so a shared dashboard stays current. */
export const CardPeriod = z.enum([
  'last_7_days',
  'last_30_days',
  'last_90_days',
  'last_12_months',
  'this_year',
]);
export type CardPeriod = z.infer<typeof CardPeriod>;

/** A dashboard card: a KPI figure, its chart, or its list, with the filters it was saved with. */
export const DashboardCard = z.strictObject({
  kind: z.enum(['kpi', 'chart', 'list']),
  kpi: KpiKey,
  period: CardPeriod.default('last_30_days'),
  granularity: Granularity.default('day'),
  /** A team's id, or "mine": the viewer's own first team. */
  teamId: z.union([z.uuid(), z.literal('mine')]).optional(),
  serviceId: z.uuid().optional(),
});
export type DashboardCard = z.infer<typeof DashboardCard>;

export const DashboardInput = z.strictObject({
  name: Line(120),
  shared: z.boolean().default(false),
  cards: z.array(DashboardCard).max(40),
});
export type DashboardInput = z.infer<typeof DashboardInput>;

/** A card as shown: its period as days, and "mine" resolved to the viewer's team (absent: none). */
export const ShownCard = DashboardCard.extend({
  from: z.string(),
  to: z.string(),
  resolvedTeamId: z.string().nullable(),
});
export type ShownCard = z.infer<typeof ShownCard>;

export const Dashboard = z.object({
  id: z.string(),
  name: z.string(),
  shared: z.boolean(),
  /** A built-in default (not stored; copy it to change it). */
  preset: z.enum(['desk_manager', 'it_manager', 'agent']).nullable(),
  owner: z.object({ id: z.string(), name: z.string() }).nullable(),
  mine: z.boolean(),
  cards: z.array(ShownCard),
  version: z.number().int(),
});
export type Dashboard = z.infer<typeof Dashboard>;

export const DashboardList = z.object({ items: z.array(Dashboard) });
