import { z } from 'zod';
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
  repository: z.string(),
  username: z.string(),
  repositoryPassword: z.string(),
});
export type AgentBackupAccess = z.infer<typeof AgentBackupAccess>;
