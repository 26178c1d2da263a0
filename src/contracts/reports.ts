import { z } from 'zod';
import { Line } from './common.js';
import { KpiKey } from './kpis.js';

/** The period a report covers, relative to when it is sent: the previous ISO week or calendar month (UTC days). */
export const ReportPeriod = z.enum(['last_week', 'last_month']);
export type ReportPeriod = z.infer<typeof ReportPeriod>;

/** A report's schedule: weekly on a weekday (1 = Monday … 7 = Sunday) or monthly on a day (1–28), at an hour. */
export const ReportSchedule = z.strictObject({
  frequency: z.enum(['weekly', 'monthly']),
  day: z.number().int().min(1).max(28),
  hour: z.number().int().min(0).max(23),
  timeZone: z.string().min(1).max(64).default('UTC'),
});
export type ReportSchedule = z.infer<typeof ReportSchedule>;

/** What a report holds: a dashboard's KPIs, or a list of KPIs, cut by a team and/or a business service. */
export const ReportInput = z.strictObject({
  name: Line(120),
  /** A dashboard (its uuid or preset-…): its cards' KPIs with their filters. */
  dashboardId: z
    .union([z.uuid(), z.string().regex(/^preset-[a-z][a-z_]{0,40}$/, 'a dashboard id or preset-…')])
    .nullable()
    .default(null),
  /** KPIs (when no dashboard), each once. */
  kpis: z.array(KpiKey).max(20).default([]),
  teamId: z.uuid({ message: 'must be a UUID' }).nullable().default(null),
  serviceId: z.uuid({ message: 'must be a UUID' }).nullable().default(null),
  period: ReportPeriod,
  formats: z
    .array(z.enum(['pdf', 'csv']))
    .min(1, 'choose PDF, CSV or both')
    .max(2),
  /** People who receive it; only those who may see KPIs get it. */
  userIds: z
    .array(z.uuid({ message: 'must be a UUID' }))
    .max(100)
    .default([]),
  /** Teams: their members when it is sent. */
  teamIds: z
    .array(z.uuid({ message: 'must be a UUID' }))
    .max(50)
    .default([]),
  schedule: ReportSchedule,
  enabled: z.boolean().default(true),
});
export type ReportInput = z.infer<typeof ReportInput>;

const Named = z.object({ id: z.string(), name: z.string() });

/** One sending of a report. */
export const ReportRun = z.object({
  id: z.string(),
  trigger: z.enum(['schedule', 'manual']),
  /** Who pressed "send now" (manual runs). */
  requestedBy: Named.nullable(),
  periodFrom: z.string(),
  periodTo: z.string(),
  status: z.enum(['queued', 'sending', 'sent', 'failed']),
  attempts: z.number().int(),
  recipients: z.array(z.object({ id: z.string(), name: z.string(), sent: z.boolean() })),
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type ReportRun = z.infer<typeof ReportRun>;

export const Report = z.object({
  id: z.string(),
  name: z.string(),
  owner: Named,
  dashboard: Named.nullable(),
  kpis: z.array(KpiKey),
  team: Named.nullable(),
  service: Named.nullable(),
  period: ReportPeriod,
  formats: z.array(z.enum(['pdf', 'csv'])),
  users: z.array(Named),
  teams: z.array(Named),
  schedule: ReportSchedule,
  enabled: z.boolean(),
  nextRunAt: z.string().nullable(),
  lastSentAt: z.string().nullable(),
  lastFailedAt: z.string().nullable(),
  lastError: z.string().nullable(),
  version: z.number().int(),
});
export type Report = z.infer<typeof Report>;

export const ReportList = z.object({ items: z.array(Report) });
export const ReportRunList = z.object({ items: z.array(ReportRun) });
