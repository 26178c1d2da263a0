import { z } from 'zod';
import { BackupProgress } from './backup-progress.js';
import { Line } from './common.js';

/** What kind of storage a target is, from its restic location. */
export const TargetKind = z.enum(['local', 's3', 'sftp', 'rest']);
export type TargetKind = z.infer<typeof TargetKind>;

const Secret = (max: number) =>
  z.string().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/**
 * A target's credentials, by kind: S3 needs an access key pair (and perhaps a region), SFTP a private key in
 * OpenSSH or PEM form (and its passphrase), a REST server perhaps a user name and password. Sealed at rest
 * under the master key and never answered back.
 */
export const TargetCredentials = z.strictObject({
  accessKeyId: Secret(256).optional(),
  secretAccessKey: Secret(256).optional(),
  region: z.string().trim().min(1).max(64).optional(),
  privateKey: Secret(16_384).optional(),
  passphrase: Secret(512).optional(),
  /** The SFTP server's host key fingerprint (`SHA256:…`, as `ssh-keygen -lf` prints it): the server is verified. */
  hostKey: z
    .string()
    .regex(/^SHA256:[A-Za-z0-9+/]{43}=?$/, 'must be a SHA256: fingerprint')
    .optional(),
  username: Secret(256).optional(),
  password: Secret(512).optional(),
});
export type TargetCredentials = z.infer<typeof TargetCredentials>;

/**
 * Where backups go: a restic location that holds one repository per device below it. `location` as restic
 * writes it: `/srv/backups`, `s3:https://host/bucket/prefix`, `sftp:user@host:/path`,
 * `rest:https://host:8000/path/`.
 */
export const CreateBackupTarget = z.strictObject({
  name: Line(120),
  location: Line(1000),
  credentials: TargetCredentials.default({}),
});
export type CreateBackupTarget = z.infer<typeof CreateBackupTarget>;

/** A change of name, location or credentials (credentials replace the stored ones whole). */
export const UpdateBackupTarget = z.strictObject({
  name: Line(120).optional(),
  location: Line(1000).optional(),
  credentials: TargetCredentials.optional(),
});
export type UpdateBackupTarget = z.infer<typeof UpdateBackupTarget>;

/** A storage target as the API shows it: which credentials are set, never their values. */
export const BackupTarget = z.object({
  id: z.uuid(),
  name: z.string(),
  kind: TargetKind,
  location: z.string(),
  credentialsSet: z.array(z.string()),
  repositories: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type BackupTarget = z.infer<typeof BackupTarget>;

/** The outcome of testing a target: each step with its time, and the first failure in words. */
export const TargetTestResult = z.object({
  ok: z.boolean(),
  steps: z.array(
    z.object({ step: z.enum(['write', 'read', 'list', 'delete']), ok: z.boolean(), ms: z.number() }),
  ),
  error: z.string().nullable(),
});
export type TargetTestResult = z.infer<typeof TargetTestResult>;

/** Gives a device a repository of its own on a target. */
export const AssignRepository = z.strictObject({ targetId: z.uuid() });
export type AssignRepository = z.infer<typeof AssignRepository>;

/** A device's repository: where it is (for people), never its password. */
export const DeviceRepository = z.object({
  id: z.uuid(),
  ciId: z.uuid(),
  deviceName: z.string(),
  targetId: z.uuid(),
  targetName: z.string(),
  location: z.string(),
  createdAt: z.string(),
});
export type DeviceRepository = z.infer<typeof DeviceRepository>;

/**
 * What an agent needs to back up through Steward: the restic REST URL of its own repository on Steward's
 * endpoint (the agent adds its own token as the password) and the repository password.
 */
export const AgentBackupAccess = z.object({
  /** The repository for restic (`rest:` + Steward's public URL + the path). */
  repository: z.string(),
  /** The same on whatever address the agent reaches Steward at. */
  repositoryPath: z.string(),
  username: z.string(),
  repositoryPassword: z.string(),
  /** The device's backup policy (the most specific assignment), or null when none covers it. */
  policy: z
    .object({
      name: z.string(),
      cron: z.string(),
      timeZone: z.string(),
      paths: z.object({
        linux: z.array(z.string()),
        windows: z.array(z.string()),
        macos: z.array(z.string()),
      }),
      excludes: z.array(z.string()),
      excludeCaches: z.boolean(),
      excludeLargerThan: z.number().nullable(),
      uploadLimitKiB: z.number().nullable(),
      rpoMinutes: z.number(),
    })
    .nullable(),
  /** A "back up now" waiting for this device (a restore point before a change): run at once, name it in the report. */
  snapshotRequestId: z.uuid().nullable().optional(),
});
export type AgentBackupAccess = z.infer<typeof AgentBackupAccess>;

const PathList = z.array(Line(1000)).max(100);

/**
 * When a policy runs: a cron pattern (`0 17 * * 5`: Fridays at 17:00) or every N hours within working hours,
 * each in an IANA time zone. Working hours are stored as the cron pattern they amount to.
 */
export const BackupSchedule = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('cron'), cron: Line(100), timeZone: Line(64) }),
  z.strictObject({
    kind: z.literal('working_hours'),
    everyHours: z.number().int().min(1).max(12),
    /** First and last hour of the working day (0–23), both included. */
    fromHour: z.number().int().min(0).max(23),
    toHour: z.number().int().min(0).max(23),
    days: z.enum(['mon-fri', 'mon-sat', 'every day']),
    timeZone: Line(64),
  }),
]);
export type BackupSchedule = z.infer<typeof BackupSchedule>;

/** restic's forget policy (`--keep-last` …, `--keep-within 30d`); at least one rule. */
export const Retention = z
  .strictObject({
    last: z.number().int().min(1).max(10_000).optional(),
    hourly: z.number().int().min(1).max(10_000).optional(),
    daily: z.number().int().min(1).max(10_000).optional(),
    weekly: z.number().int().min(1).max(10_000).optional(),
    monthly: z.number().int().min(1).max(10_000).optional(),
    yearly: z.number().int().min(1).max(1_000).optional(),
    within: z
      .string()
      .regex(/^(\d+y)?(\d+m)?(\d+d)?(\d+h)?$/, 'a duration such as 30d or 1y6m')
      .min(2)
      .optional(),
  })
  .refine((r) => Object.keys(r).length > 0, 'keep something: give at least one rule');
export type Retention = z.infer<typeof Retention>;

const policyFields = {
  name: Line(120),
  schedule: BackupSchedule,
  /** Folders to back up per operating system; defaults: user profiles and home folders. */
  paths: z
    .strictObject({ linux: PathList.optional(), windows: PathList.optional(), macos: PathList.optional() })
    .optional(),
  excludes: z.array(Line(1000)).max(500).optional(),
  /** Leave out folders marked as caches (CACHEDIR.TAG), as restic's --exclude-caches. */
  excludeCaches: z.boolean().optional(),
  /** Leave out files larger than this many bytes. */
  excludeLargerThan: z.number().int().min(1).nullable().optional(),
  retention: Retention,
  /** The recovery point objective: at most this much work may be lost. */
  rpoMinutes: z
    .number()
    .int()
    .min(5)
    .max(366 * 24 * 60),
  /** Upload bandwidth limit, KiB/s. */
  uploadLimitKiB: z.number().int().min(1).nullable().optional(),
};

export const CreateBackupPolicy = z.strictObject(policyFields);
export type CreateBackupPolicy = z.infer<typeof CreateBackupPolicy>;
export const UpdateBackupPolicy = z.strictObject(policyFields).partial();
export type UpdateBackupPolicy = z.infer<typeof UpdateBackupPolicy>;

/** What a policy is assigned to: an item, a location, a team or a class (by its key). */
export const PolicyScope = z.enum(['item', 'location', 'team', 'class']);
export type PolicyScope = z.infer<typeof PolicyScope>;
export const AssignPolicy = z.strictObject({ scope: PolicyScope, ref: Line(100) });
export type AssignPolicy = z.infer<typeof AssignPolicy>;

export const BackupPolicy = z.object({
  id: z.uuid(),
  name: z.string(),
  schedule: BackupSchedule,
  /** The schedule as a cron pattern in `schedule.timeZone`. */
  cron: z.string(),
  paths: z.object({ linux: z.array(z.string()), windows: z.array(z.string()), macos: z.array(z.string()) }),
  excludes: z.array(z.string()),
  excludeCaches: z.boolean(),
  excludeLargerThan: z.number().nullable(),
  retention: z.record(z.string(), z.union([z.number(), z.string()])),
  rpoMinutes: z.number().int(),
  uploadLimitKiB: z.number().int().nullable(),
  assignments: z.array(z.object({ id: z.uuid(), scope: PolicyScope, ref: z.string(), label: z.string() })),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type BackupPolicy = z.infer<typeof BackupPolicy>;

/** The devices a policy covers, each with why (the assignment that wins for it). */
export const PolicyCoverage = z.object({
  devices: z.array(z.object({ ciId: z.uuid(), name: z.string(), via: PolicyScope, viaLabel: z.string() })),
});
export type PolicyCoverage = z.infer<typeof PolicyCoverage>;

/** What an agent reports after each backup run (the device comes from its token, never from the body). */
export const ReportBackupRun = z.strictObject({
  startedAt: z.iso.datetime({ offset: true }),
  finishedAt: z.iso.datetime({ offset: true }),
  /** succeeded; partial: the snapshot was saved but some files could not be read; failed: no snapshot. */
  status: z.enum(['succeeded', 'partial', 'failed']),
  snapshotId: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'a snapshot id')
    .nullable(),
  filesNew: z.number().int().min(0).max(1e12),
  filesChanged: z.number().int().min(0).max(1e12),
  filesUnmodified: z.number().int().min(0).max(1e12),
  bytesProcessed: z.number().int().min(0).max(1e16),
  bytesAdded: z.number().int().min(0).max(1e16),
  /** The first warnings (files that could not be read), at most 50. */
  warnings: z.array(z.string().max(2000)).max(50),
  error: z.string().max(4000).nullable(),
  /** Files changed under the policy's folders since the last good snapshot, counted as the run began. */
  changedFiles: z.number().int().min(0).max(1e12).nullable().optional(),
  /** The "back up now" request this run answers (from the backup access), if any. */
  snapshotRequestId: z.uuid().optional(),
});
export type ReportBackupRun = z.infer<typeof ReportBackupRun>;

export const BackupRun = ReportBackupRun.extend({ id: z.uuid(), ciId: z.uuid(), reportedAt: z.string() });
export type BackupRun = z.infer<typeof BackupRun>;

/** A device's recovery point now: how much work it would lose, against its policy's target. */
export const DeviceBackupStatus = z.object({
  ciId: z.uuid(),
  name: z.string(),
  policy: z.string().nullable(),
  rpoTargetMinutes: z.number().int().nullable(),
  /** The start of the last run that saved a snapshot: what a restore gets back. */
  lastGoodAt: z.string().nullable(),
  lastRunAt: z.string().nullable(),
  lastRunStatus: z.enum(['succeeded', 'partial', 'failed']).nullable(),
  /** Minutes of work at risk now (since the last good snapshot); null when there never was one. */
  atRiskMinutes: z.number().int().nullable(),
  /** at risk / target: above 1 the RPO is breached. Null without a target or a snapshot. */
  risk: z.number().nullable(),
  state: z.enum(['ok', 'breached', 'never_backed_up', 'no_policy']),
  /** Files changed since the last good snapshot as the agent last counted them, and when (null: unknown). */
  changedFiles: z.number().int().nullable(),
  changedSeenAt: z.string().nullable(),
  /** The open incident about this device's backups (breach or repeated failure), if any. */
  incident: z
    .object({ id: z.uuid(), key: z.string(), reason: z.enum(['rpo_breached', 'failing']) })
    .nullable(),
  /** The backup running now, as its agent last posted it (null when none is). */
  running: BackupProgress.nullable().optional(),
});
export type DeviceBackupStatus = z.infer<typeof DeviceBackupStatus>;
export const FleetBackupStatus = z.object({ devices: z.array(DeviceBackupStatus) });
