/**
 * Upkeep of the devices' backup repositories on the server: forget by policy, prune, and a rotating check that
 * reads every pack at least monthly. One record per task and repository.
 */
import { z } from 'zod';
import { pageOf } from './common.js';

/** What an upkeep task does: forget snapshots by the policy's retention, prune unused data, check the repository. */
export const UpkeepKind = z.enum(['forget', 'prune', 'check']);
export type UpkeepKind = z.infer<typeof UpkeepKind>;

/** queued and running are pending; skipped: the repository was in use (or there was nothing to do). */
export const UpkeepOutcome = z.enum(['queued', 'running', 'ok', 'failed', 'skipped']);
export type UpkeepOutcome = z.infer<typeof UpkeepOutcome>;

/** Run one upkeep task on a device's repository now. */
export const RunUpkeep = z.strictObject({ kind: UpkeepKind });
export type RunUpkeep = z.infer<typeof RunUpkeep>;

/** The figures of a task, as far as its kind has them. */
export const UpkeepDetails = z
  .object({
    /** forget: the retention applied (restic's keep rules). */
    retention: z.record(z.string(), z.union([z.number(), z.string()])),
    snapshotsKept: z.number().int(),
    snapshotsRemoved: z.number().int(),
    /** prune */
    packsRemoved: z.number().int(),
    packsRepacked: z.number().int(),
    bytesFreed: z.number(),
    bytesUsed: z.number(),
    /** check: packs read this time out of all, the groups (n of 30) read, and the next one to read. */
    packsRead: z.number().int(),
    packsTotal: z.number().int(),
    groups: z.array(z.number().int()),
    groupsOf: z.number().int(),
    nextGroup: z.number().int(),
    snapshots: z.number().int(),
    /** check: what it found (the first ones), and how many in all. */
    errors: z.array(z.string()),
    errorCount: z.number().int(),
    warningCount: z.number().int(),
  })
  .partial();
export type UpkeepDetails = z.infer<typeof UpkeepDetails>;

export const BackupUpkeep = z.object({
  id: z.uuid(),
  ciId: z.uuid(),
  deviceName: z.string(),
  kind: UpkeepKind,
  trigger: z.enum(['schedule', 'manual']),
  /** Who asked for it (a manual run), by name. */
  requestedBy: z.string().nullable(),
  requestedAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  outcome: UpkeepOutcome,
  /** What it did, readable: "kept 3 snapshots, removed 2", "freed 12.0 MiB in 4 packs", "read 3 of 90 packs". */
  summary: z.string().nullable(),
  details: UpkeepDetails,
  error: z.string().nullable(),
});
export type BackupUpkeep = z.infer<typeof BackupUpkeep>;

export const UpkeepPage = pageOf(BackupUpkeep);
export type UpkeepPage = z.infer<typeof UpkeepPage>;
