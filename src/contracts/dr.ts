import { z } from 'zod';
import { Line } from './common.js';

/** Where and when Steward backs itself up (its database, configuration and audit checkpoints). */
export const ServerBackupSettings = z.object({
  enabled: z.boolean(),
  /** The storage target holding the repository; null until an admin picks one. */
  targetId: z.uuid().nullable(),
  targetName: z.string().nullable(),
  /** The repository's folder below the target. */
  folder: z.string(),
  cron: z.string(),
  timeZone: z.string(),
  keepDaily: z.number().int(),
  keepWeekly: z.number().int(),
  keepMonthly: z.number().int(),
  /** When a run is going on, since when. */
  runningSince: z.string().nullable(),
  /** The next scheduled run, when enabled. */
  nextRunAt: z.string().nullable(),
  version: z.number().int(),
});
export type ServerBackupSettings = z.infer<typeof ServerBackupSettings>;

export const UpdateServerBackupSettings = z.strictObject({
  enabled: z.boolean().optional(),
  targetId: z.uuid({ message: 'must be a storage target id' }).nullable().optional(),
  folder: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'letters, digits, dot, dash and underscore; no slashes')
    .optional(),
  cron: Line(100).optional(),
  timeZone: Line(64).optional(),
  keepDaily: z.number().int().min(0).max(3650).optional(),
  keepWeekly: z.number().int().min(0).max(520).optional(),
  keepMonthly: z.number().int().min(0).max(1200).optional(),
});
export type UpdateServerBackupSettings = z.infer<typeof UpdateServerBackupSettings>;

/** One run of Steward's own backup. */
export const ServerBackupRun = z.object({
  id: z.uuid(),
  trigger: z.enum(['schedule', 'manual']),
  status: z.enum(['running', 'succeeded', 'failed']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  targetName: z.string().nullable(),
  snapshotId: z.string().nullable(),
  database: z.enum(['pglite', 'postgres']).nullable(),
  bytesTotal: z.number(),
  bytesAdded: z.number(),
  /** Snapshots removed by the retention rules after this run. */
  forgotten: z.number().int(),
  error: z.string().nullable(),
});
export type ServerBackupRun = z.infer<typeof ServerBackupRun>;
