/**
 * Restores through agents (issue 22 item 7): files of a device's snapshot restored by an enrolled agent (the
 * device's own, or a replacement's) into a chosen folder, never overwriting unless asked, with progress and a
 * verification; and the portal's "Get my files back", which carries one out for a service request.
 */
import { z } from 'zod';
import { SnapshotId } from './backup-browse.js';

/** What to do with a file that is already at the destination: keep it (default), replace it when older, replace it. */
export const OverwriteMode = z.enum(['never', 'if-newer', 'always']);
export type OverwriteMode = z.infer<typeof OverwriteMode>;

export const RestoreState = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']);
export type RestoreState = z.infer<typeof RestoreState>;

const noNul = (s: string) => !s.includes('\0');

/** A path to restore inside a snapshot: absolute, `/` separated (`/` alone is the whole snapshot). */
export const RestorePath = z
  .string()
  .min(1)
  .max(4096, 'must be at most 4096 characters')
  .refine((s) => s.startsWith('/'), 'must be an absolute path in the snapshot (starting with /)')
  .refine(noNul, 'must not contain NUL')
  .refine((s) => !s.split('/').some((c) => c === '..' || c === '.'), 'must not contain . or .. parts');

/** A folder on the destination machine: absolute (`/home/rita/Restored`, `C:\Users\rita\Restored`). */
export const DestinationFolder = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(4096, 'must be at most 4096 characters')
  .refine(
    (s) => s.startsWith('/') || /^[A-Za-z]:[\\/]/.test(s),
    'must be an absolute folder on the destination machine',
  )
  .refine(noNul, 'must not contain NUL')
  .refine((s) => !s.split(/[\\/]/).some((c) => c === '..'), 'must not contain .. parts');

/** A restore request (IT staff for any device; requesters for their own devices, onto their own devices). */
export const CreateRestore = z.strictObject({
  sourceCiId: z.uuid({ message: 'must be a device id' }),
  snapshotId: SnapshotId,
  /** Files and folders of one folder of the snapshot (or `/`, the whole snapshot with its full paths). */
  paths: z.array(RestorePath).min(1, 'name at least one file or folder').max(200),
  /** The device to restore onto; the source device when absent. */
  destinationCiId: z.uuid({ message: 'must be a device id' }).optional(),
  destinationFolder: DestinationFolder,
  overwrite: OverwriteMode.default('never'),
  ticketId: z.uuid().optional(),
});
export type CreateRestore = z.infer<typeof CreateRestore>;

const Progress = z.object({
  filesDone: z.number().int().min(0),
  filesTotal: z.number().int().min(0),
  bytesDone: z.number().int().min(0),
  bytesTotal: z.number().int().min(0),
});

/** A restore request as Steward shows it. */
export const BackupRestore = z.object({
  id: z.uuid(),
  sourceCiId: z.uuid(),
  sourceName: z.string(),
  snapshotId: z.string(),
  paths: z.array(z.string()),
  destinationCiId: z.uuid(),
  destinationName: z.string(),
  destinationFolder: z.string(),
  overwrite: OverwriteMode,
  state: RestoreState,
  progress: Progress,
  /** Files left as they were because they existed (overwrite `never`, or not older with `if-newer`). */
  skipped: z.array(z.string()),
  /** Every restored file re-read and matched against the snapshot's content hashes; null until finished. */
  verified: z.boolean().nullable(),
  /** Files that could not be restored or did not verify. */
  problems: z.array(z.string()),
  error: z.string().nullable(),
  ticketId: z.uuid().nullable(),
  ticketKey: z.string().nullable(),
  requestedBy: z.string(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  updatedAt: z.string(),
});
export type BackupRestore = z.infer<typeof BackupRestore>;

export const RestoreList = z.object({ items: z.array(BackupRestore) });
export type RestoreList = z.infer<typeof RestoreList>;

export const RestoreListQuery = z.strictObject({
  ciId: z.uuid().optional(),
  ticketId: z.uuid().optional(),
  state: RestoreState.optional(),
});
export type RestoreListQuery = z.infer<typeof RestoreListQuery>;

/** What an agent gets when it claims a restore onto its device: the request and how to read the snapshot. */
export const RestoreClaim = z.object({
  restore: BackupRestore,
  /** The source device's repository on Steward's endpoint (read-only when it is another device's). */
  repositoryPath: z.string(),
  username: z.string(),
  repositoryPassword: z.string(),
  readOnly: z.boolean(),
});
export type RestoreClaim = z.infer<typeof RestoreClaim>;

/** Progress an agent reports while it restores. */
export const RestoreProgress = z.strictObject({
  filesDone: z.number().int().min(0).max(1e9),
  filesTotal: z.number().int().min(0).max(1e9),
  bytesDone: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  bytesTotal: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});
export type RestoreProgress = z.infer<typeof RestoreProgress>;

/** What came of a restore, as its agent reports it. */
export const RestoreOutcome = RestoreProgress.extend({
  state: z.enum(['succeeded', 'failed']),
  skipped: z.array(z.string().max(4096)).max(1000),
  verified: z.boolean(),
  problems: z.array(z.string().max(4096)).max(1000),
  error: z.string().max(4000).nullable(),
});
export type RestoreOutcome = z.infer<typeof RestoreOutcome>;

/** The answer to an agent's progress report: whether it should go on. */
export const RestoreProgressAnswer = z.object({ state: RestoreState });
export type RestoreProgressAnswer = z.infer<typeof RestoreProgressAnswer>;

/** One of my devices, in the portal: whether it has backups to restore from. */
export const MyDevice = z.object({ ciId: z.uuid(), name: z.string(), hasBackups: z.boolean() });
export const MyDevices = z.object({ items: z.array(MyDevice) });
export type MyDevices = z.infer<typeof MyDevices>;
export type MyDevice = z.infer<typeof MyDevice>;

/** "Get my files back": a requester's restore of their own device, carried out for a service request. */
export const SelfServiceRestore = z.strictObject({
  ciId: z.uuid({ message: 'must be a device id' }),
  snapshotId: SnapshotId,
  paths: z.array(RestorePath).min(1, 'pick at least one file or folder').max(200),
  /** Another of my devices to restore onto (a replacement); this device when absent. */
  destinationCiId: z.uuid().optional(),
  /** Where the files go; by default a "Restored files <date>" folder beside them. */
  destinationFolder: DestinationFolder.optional(),
  overwrite: OverwriteMode.default('never'),
  note: z.string().max(2000).default(''),
});
export type SelfServiceRestore = z.infer<typeof SelfServiceRestore>;

export const SelfServiceResult = z.object({
  ticketId: z.uuid(),
  ticketKey: z.string(),
  restore: BackupRestore,
});
export type SelfServiceResult = z.infer<typeof SelfServiceResult>;

/** The folder holding the picked items (their common parent), `/` for the whole snapshot. */
export function parentOf(paths: readonly string[]): string {
  const p = paths[0] ?? '/';
  if (p === '/') return '/';
  const i = p.replace(/\/+$/, '').lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

/** The default destination: a "Restored files <date>" folder in the folder that held the items. */
export function defaultDestination(paths: readonly string[], date: Date): string {
  const parent = parentOf(paths);
  const day = date.toISOString().slice(0, 10);
  return `${parent === '/' ? '' : parent}/Restored files ${day}`;
}
