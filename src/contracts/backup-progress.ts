import { z } from 'zod';

const Count = z.number().int().min(0).max(1e16);

/**
 * How far a running backup is, as its agent posts it every few seconds (the device comes from the agent's
 * token, never from the body). Totals grow while the agent is still counting what there is to back up.
 */
export const ReportBackupProgress = z.strictObject({
  /** When this run started: the same instant the run's report will carry. */
  startedAt: z.iso.datetime({ offset: true }),
  percent: z.number().min(0).max(100),
  filesDone: Count,
  filesTotal: Count,
  bytesDone: Count,
  bytesTotal: Count,
  /** A file being read now, if any. */
  currentFile: z.string().max(1000).nullable(),
  /** Seconds left at the rate so far; null until it can be told. */
  etaSeconds: z
    .number()
    .int()
    .min(0)
    .max(366 * 24 * 3600)
    .nullable(),
});
export type ReportBackupProgress = z.infer<typeof ReportBackupProgress>;

/** A device's running backup as Steward shows it: running since, percent, ETA. */
export const BackupProgress = ReportBackupProgress.extend({
  /** When the agent last posted: a run whose agent went quiet for minutes is no longer shown as running. */
  updatedAt: z.string(),
});
export type BackupProgress = z.infer<typeof BackupProgress>;
