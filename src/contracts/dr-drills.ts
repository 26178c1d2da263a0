import { z } from 'zod';
import { Line } from './common.js';

export const DrillStatus = z.enum(['running', 'passed', 'failed', 'cancelled']);
export type DrillStatus = z.infer<typeof DrillStatus>;
export const DrillStepStatus = z.enum(['pending', 'running', 'passed', 'failed']);
export type DrillStepStatus = z.infer<typeof DrillStepStatus>;

/** A file whose restored contents did not match the snapshot, or could not be restored. */
export const DrillMismatch = z.object({ path: z.string(), message: z.string() });
export type DrillMismatch = z.infer<typeof DrillMismatch>;

/** One step of a drill: a device's test restore, or a manual runbook step ticked off by a person. */
export const DrillStep = z.object({
  position: z.number().int(),
  kind: z.enum(['restore', 'manual']),
  title: z.string(),
  ciId: z.uuid().nullable(),
  deviceName: z.string().nullable(),
  status: DrillStepStatus,
  snapshotId: z.string().nullable(),
  snapshotTime: z.string().nullable(),
  /** Age of the snapshot when the drill started: the recovery point this device achieved. */
  snapshotAgeSeconds: z.number().int().nullable(),
  files: z.number().int(),
  bytes: z.number(),
  verifiedFiles: z.number().int(),
  mismatches: z.number().int(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  seconds: z.number().nullable(),
  tickedBy: z.string().nullable(),
  tickedAt: z.string().nullable(),
  /** SHA-256 over every restored file's path and SHA-256 (restores). */
  manifestSha256: z.string().nullable(),
  /** The first files that did not match. */
  problems: z.array(DrillMismatch),
  error: z.string().nullable(),
});
export type DrillStep = z.infer<typeof DrillStep>;

/** A drill as listed: outcome, times, measured RTO and achieved RPO against the plan's targets. */
export const DrillSummary = z.object({
  id: z.uuid(),
  planId: z.uuid().nullable(),
  planName: z.string(),
  serviceName: z.string().nullable(),
  trigger: z.enum(['schedule', 'manual']),
  status: DrillStatus,
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  startedBy: z.string(),
  measuredRtoSeconds: z.number().int().nullable(),
  achievedRpoSeconds: z.number().int().nullable(),
  rtoTargetSeconds: z.number().int().nullable(),
  rpoTargetSeconds: z.number().int().nullable(),
  failure: z.string().nullable(),
  /** The problem opened when the drill failed ("PRB-3"). */
  problemKey: z.string().nullable(),
  problemId: z.uuid().nullable(),
  evidenceSha256: z.string().nullable(),
});
export type DrillSummary = z.infer<typeof DrillSummary>;

/** A drill with its steps and, once finished, its frozen evidence. */
export const Drill = DrillSummary.extend({
  steps: z.array(DrillStep),
  evidence: z.record(z.string(), z.unknown()).nullable(),
});
export type Drill = z.infer<typeof Drill>;

/** A plan's drills, newest first, and the trend: how many of the last ones passed, and met the targets. */
export const DrillHistory = z.object({
  items: z.array(DrillSummary),
  nextCursor: z.string().nullable(),
  trend: z.object({
    drills: z.number().int(),
    passed: z.number().int(),
    failed: z.number().int(),
    /** Of the passed drills, how many restored within the RTO target and with snapshots within the RPO target. */
    withinRto: z.number().int(),
    withinRpo: z.number().int(),
    lastPassedAt: z.string().nullable(),
  }),
});
export type DrillHistory = z.infer<typeof DrillHistory>;

/** Ticking off a manual step: an optional note. */
export const TickDrillStep = z.strictObject({ note: Line(500).optional() });
export type TickDrillStep = z.infer<typeof TickDrillStep>;

export const DrillStepParams = z.strictObject({
  id: z.uuid({ message: 'must be a UUID' }),
  position: z.coerce.number().int().min(1).max(10_000),
});

/** Whether a drill's evidence is the one in the audit chain. */
export const DrillEvidenceCheck = z.object({
  ok: z.boolean(),
  /** SHA-256 of the stored evidence, recomputed now. */
  sha256: z.string().nullable(),
  /** The SHA-256 the audit entry holds. */
  auditSha256: z.string().nullable(),
  auditEntryId: z.string().nullable(),
  /** The audit entry is sealed into the hash chain (verify the chain with `steward audit verify`). */
  sealed: z.boolean(),
  detail: z.string(),
});
export type DrillEvidenceCheck = z.infer<typeof DrillEvidenceCheck>;

/** A plan's drill schedule. */
export const DrillSchedule = z.object({
  cron: z.string().nullable(),
  timeZone: z.string(),
  /** The schedule as a person reads it ("Every first Monday at 09:00 Europe/Berlin"); null without one. */
  description: z.string().nullable(),
  enabled: z.boolean(),
  nextRunAt: z.string().nullable(),
  version: z.number().int(),
});
export type DrillSchedule = z.infer<typeof DrillSchedule>;

export const UpdateDrillSchedule = z.strictObject({
  cron: Line(100),
  timeZone: Line(64).default('UTC'),
  enabled: z.boolean().default(true),
});
export type UpdateDrillSchedule = z.infer<typeof UpdateDrillSchedule>;
