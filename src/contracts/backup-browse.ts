/**
 * Browsing a device's backups (issue 22, item 7): its snapshots, one folder of a snapshot, a search by name
 * across snapshots, what changed between two snapshots, and downloads (a file, or a folder as a zip).
 * Everything under `/api/v1/backup/browse/:ciId/…`; agents, managers and admins reach every device, a requester
 * only the devices assigned to them in the CMDB (404 for any other).
 */
import { z } from 'zod';

/** A device id in the path. */
export const BrowseDeviceParams = z.strictObject({ ciId: z.uuid({ message: 'must be a device id' }) });
export type BrowseDeviceParams = z.infer<typeof BrowseDeviceParams>;

/** A snapshot id: restic's full id, 64 hex digits (lists give it; `shortId` is for people). */
export const SnapshotId = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'must be a snapshot id (64 hex digits, as the snapshot list gives it)');

/** A device and one of its snapshots in the path. */
export const BrowseSnapshotParams = BrowseDeviceParams.extend({ snapshotId: SnapshotId });
export type BrowseSnapshotParams = z.infer<typeof BrowseSnapshotParams>;

/**
 * A path inside a snapshot, `/`-separated from its root (`/home/rita/Documents`); `/` or empty is the root.
 * No `.` or `..` parts, no NUL.
 */
export const SnapshotPath = z
  .string()
  .max(4096, 'must be at most 4096 characters')
  .refine((p) => p === '' || p.startsWith('/'), 'must start with / (the root of the snapshot)')
  .refine(
    (p) => !p.split('/').some((s) => s === '.' || s === '..'),
    'must not contain . or .. parts: give the path from the root',
  );

/** `?path=` of a folder listing or a download. */
export const BrowsePathQuery = z.strictObject({ path: SnapshotPath.default('/') });
export type BrowsePathQuery = z.infer<typeof BrowsePathQuery>;

/** A folder listing's query: the folder and a page of its entries. */
export const BrowseFolderQuery = z.strictObject({
  path: SnapshotPath.default('/'),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});
export type BrowseFolderQuery = z.infer<typeof BrowseFolderQuery>;

/** The device a browse is about, by name. */
export const BrowseDevice = z.object({ id: z.uuid(), name: z.string() });
export type BrowseDevice = z.infer<typeof BrowseDevice>;

/** A device the caller may browse, and whether it has backups at all. */
export const BrowsableDevice = BrowseDevice.extend({ hasRepository: z.boolean() });
export type BrowsableDevice = z.infer<typeof BrowsableDevice>;
export const BrowsableDevices = z.object({ devices: z.array(BrowsableDevice) });
export type BrowsableDevices = z.infer<typeof BrowsableDevices>;

/**
 * One snapshot, as people read it: when, from which machine and folders, how big. `files` and `bytes` are
 * the snapshot's whole contents (from restic's summary, or counted by Steward; null while still counting).
 */
export const BrowseSnapshot = z.object({
  id: z.string(),
  shortId: z.string(),
  time: z.string(),
  hostname: z.string(),
  username: z.string().nullable(),
  paths: z.array(z.string()),
  tags: z.array(z.string()),
  files: z.number().nullable(),
  bytes: z.number().nullable(),
  /** New data this snapshot added to the repository (restic ≥ 0.17 records it), else null. */
  dataAdded: z.number().nullable(),
});
export type BrowseSnapshot = z.infer<typeof BrowseSnapshot>;

/** A device's snapshots, newest first. */
export const BrowseSnapshots = z.object({ device: BrowseDevice, snapshots: z.array(BrowseSnapshot) });
export type BrowseSnapshots = z.infer<typeof BrowseSnapshots>;

/** What an entry is: files and folders, links, anything else (devices, pipes, sockets). */
export const BrowseEntryType = z.enum(['file', 'dir', 'symlink', 'other']);
export type BrowseEntryType = z.infer<typeof BrowseEntryType>;

/** One entry of a folder: its size (files only) and when it was last changed. */
export const BrowseEntry = z.object({
  name: z.string(),
  /** The entry's full path in the snapshot, to list or download it. */
  path: z.string(),
  type: BrowseEntryType,
  size: z.number().nullable(),
  mtime: z.string(),
  /** A link's target. */
  target: z.string().nullable(),
});
export type BrowseEntry = z.infer<typeof BrowseEntry>;

/** One folder of a snapshot: folders first, then files, each by name; a page of at most `limit`. */
export const BrowseFolder = z.object({
  device: BrowseDevice,
  snapshot: BrowseSnapshot,
  path: z.string(),
  entries: z.array(BrowseEntry),
  total: z.number(),
  nextCursor: z.string().nullable(),
});
export type BrowseFolder = z.infer<typeof BrowseFolder>;

/**
 * A search by name across a device's snapshots: `q` is a part of the name (case-insensitive), or a glob with
 * `*`, `?` or `[…]` matched against the whole name.
 */
export const BrowseSearchQuery = z.strictObject({
  q: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  cursor: z.string().max(400).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type BrowseSearchQuery = z.infer<typeof BrowseSearchQuery>;

/** One match of a search: where, in which snapshot. */
export const BrowseMatch = BrowseEntry.extend({
  snapshotId: z.string(),
  shortId: z.string(),
  snapshotTime: z.string(),
});
export type BrowseMatch = z.infer<typeof BrowseMatch>;

/**
 * A page of matches, newest snapshot first. `nextCursor` continues the search (null when every snapshot was
 * searched); a page may hold fewer than `limit` matches when the search stopped after looking at many entries.
 */
export const BrowseSearchResult = z.object({
  device: BrowseDevice,
  matches: z.array(BrowseMatch),
  /** Snapshots searched so far, of `snapshots`. */
  searched: z.number(),
  snapshots: z.number(),
  nextCursor: z.string().nullable(),
});
export type BrowseSearchResult = z.infer<typeof BrowseSearchResult>;

/** Compare two snapshots: `from` (usually the older) against `to`. */
export const BrowseDiffQuery = z.strictObject({
  from: SnapshotId,
  to: SnapshotId,
  limit: z.coerce.number().int().min(1).max(10_000).default(2000),
});
export type BrowseDiffQuery = z.infer<typeof BrowseDiffQuery>;

/** How an entry changed: added, removed, its contents changed, or it became another type of thing. */
export const BrowseChangeKind = z.enum(['added', 'removed', 'changed', 'type']);
export type BrowseChangeKind = z.infer<typeof BrowseChangeKind>;

/**
 * One change. An added or removed folder is one change (with `files` and `sizeAfter`/`sizeBefore` the total
 * of what it holds), not one per file inside it.
 */
export const BrowseChange = z.object({
  kind: BrowseChangeKind,
  path: z.string(),
  type: BrowseEntryType,
  sizeBefore: z.number().nullable(),
  sizeAfter: z.number().nullable(),
  /** Files inside an added or removed folder; null for anything else. */
  files: z.number().nullable(),
});
export type BrowseChange = z.infer<typeof BrowseChange>;

/** Totals of a comparison. */
export const BrowseDiffTotals = z.object({
  filesAdded: z.number(),
  filesRemoved: z.number(),
  filesChanged: z.number(),
  bytesAdded: z.number(),
  bytesRemoved: z.number(),
});
export type BrowseDiffTotals = z.infer<typeof BrowseDiffTotals>;

/** What changed between two snapshots: changes by path, at most `limit` (`truncated` when there were more). */
export const BrowseDiff = z.object({
  device: BrowseDevice,
  from: BrowseSnapshot,
  to: BrowseSnapshot,
  changes: z.array(BrowseChange),
  truncated: z.boolean(),
  totals: BrowseDiffTotals,
});
export type BrowseDiff = z.infer<typeof BrowseDiff>;
