/**
 * Backup progress: counters the archiver updates, and two renderings of them, a one-line terminal
 * status (files, bytes, rate, ETA) and JSON lines shaped like restic's `backup --json` messages, so
 * tools that parse restic's output can parse Steward's.
 */
import { localTime } from './gojson.js';
import type { SnapshotSummary } from './snapshot.js';

/** Live counters of a running backup. */
export interface BackupCounters {
  /** Totals found so far by the scanner (it runs ahead of the archiver). */
  totalFiles: number;
  totalBytes: number;
  scanDone: boolean;
  filesDone: number;
  bytesDone: number;
  errors: number;
  currentFiles: Set<string>;
}

/** Creates zeroed counters. */
export function newCounters(): BackupCounters {
  return {
    totalFiles: 0,
    totalBytes: 0,
    scanDone: false,
    filesDone: 0,
    bytesDone: 0,
    errors: 0,
    currentFiles: new Set(),
  };
}

/** The statistics restic prints at the end and stores in the snapshot's `summary`. */
export interface BackupSummary {
  files_new: number;
  files_changed: number;
  files_unmodified: number;
  dirs_new: number;
  dirs_changed: number;
  dirs_unmodified: number;
  data_blobs: number;
  tree_blobs: number;
  data_added: number;
  data_added_packed: number;
  total_files_processed: number;
  total_bytes_processed: number;
}

/** Zeroed summary. */
export function newSummary(): BackupSummary {
  return {
    files_new: 0,
    files_changed: 0,
    files_unmodified: 0,
    dirs_new: 0,
    dirs_changed: 0,
    dirs_unmodified: 0,
    data_blobs: 0,
    tree_blobs: 0,
    data_added: 0,
    data_added_packed: 0,
    total_files_processed: 0,
    total_bytes_processed: 0,
  };
}

/** The summary as a snapshot stores it (restic >= 0.17), for a backup that ran from `startNs` to `endNs`. */
export function snapshotSummary(s: BackupSummary, startNs: bigint, endNs: bigint): SnapshotSummary {
  return {
    backupStart: localTime(startNs),
    backupEnd: localTime(endNs),
    filesNew: s.files_new,
    filesChanged: s.files_changed,
    filesUnmodified: s.files_unmodified,
    dirsNew: s.dirs_new,
    dirsChanged: s.dirs_changed,
    dirsUnmodified: s.dirs_unmodified,
    dataBlobs: s.data_blobs,
    treeBlobs: s.tree_blobs,
    dataAdded: s.data_added,
    dataAddedPacked: s.data_added_packed,
    totalFilesProcessed: s.total_files_processed,
    totalBytesProcessed: s.total_bytes_processed,
  };
}

/** A non-fatal problem with one item (unreadable, vanished, changed while read). */
export interface BackupWarning {
  item: string;
  during: 'scan' | 'archival';
  message: string;
}

/** A file or folder the backup finished with (restic's `-vv` lines and `verbose_status` messages). */
export interface ItemDone {
  /** Its path in the snapshot (a folder's ends with `/`). */
  item: string;
  type: 'file' | 'dir';
  /** Against the parent snapshot. */
  action: 'new' | 'unchanged' | 'modified';
  seconds: number;
  /** Bytes of new data blobs, and what they take stored. */
  dataSize: number;
  dataSizeInRepo: number;
  /** A folder's new tree blob, and what it takes stored (0 when the tree was already stored). */
  metadataSize: number;
  metadataSizeInRepo: number;
}

/** Where the archiver reports; the CLI picks a renderer, the agent may forward to the server. */
export interface ProgressSink {
  status(c: BackupCounters, elapsedMs: number): void;
  warning(w: BackupWarning): void;
  /** Each finished file and folder, when given. */
  item?(e: ItemDone): void;
}

/** restic 0.14's `-vv` line for a finished item. */
export function itemLine(e: ItemDone): string {
  if (e.action === 'unchanged') return `unchanged ${e.item}`;
  const head = `${e.action === 'new' ? 'new      ' : 'modified '} ${e.item}, saved in ${e.seconds.toFixed(3)}s`;
  const added = `${formatBytes(e.dataSize)} added`;
  if (e.type === 'dir')
    return `${head} (${added}, ${formatBytes(e.dataSizeInRepo)} stored, ${formatBytes(e.metadataSizeInRepo)} metadata)`;
  if (e.action === 'new') return `${head} (${added})`;
  return `${head} (${added}, ${formatBytes(e.dataSizeInRepo)} stored)`;
}

/** restic 0.14's `verbose_status` message for a finished item (`--json` with -v or more). */
export function itemMessage(e: ItemDone): Record<string, unknown> {
  const done = e.action === 'unchanged';
  return {
    message_type: 'verbose_status',
    action: e.action,
    item: e.item,
    duration: done ? 0 : e.seconds,
    data_size: done ? 0 : e.dataSize,
    data_size_in_repo: done ? 0 : e.dataSizeInRepo,
    metadata_size: done || e.type === 'file' ? 0 : e.metadataSize,
    metadata_size_in_repo: done || e.type === 'file' ? 0 : e.metadataSizeInRepo,
    total_files: 0,
  };
}

/** A sink that ignores everything (library default). */
export const silentProgress: ProgressSink = { status() {}, warning() {} };

function eta(c: BackupCounters, elapsedMs: number): number | undefined {
  if (!c.scanDone || c.bytesDone === 0 || c.totalBytes === 0) return undefined;
  const rate = c.bytesDone / elapsedMs;
  return Math.max(0, Math.round((c.totalBytes - c.bytesDone) / rate / 1000));
}

function percent(c: BackupCounters): number {
  if (c.totalBytes > 0) return Math.min(1, c.bytesDone / c.totalBytes);
  return c.totalFiles > 0 ? Math.min(1, c.filesDone / c.totalFiles) : 0;
}

/** restic's `status` message. */
export function statusMessage(c: BackupCounters, elapsedMs: number): Record<string, unknown> {
  const remaining = eta(c, elapsedMs);
  return {
    message_type: 'status',
    seconds_elapsed: Math.floor(elapsedMs / 1000),
    ...(remaining !== undefined ? { seconds_remaining: remaining } : {}),
    percent_done: percent(c),
    total_files: c.totalFiles,
    files_done: c.filesDone,
    total_bytes: c.totalBytes,
    bytes_done: c.bytesDone,
    ...(c.errors > 0 ? { error_count: c.errors } : {}),
    ...(c.currentFiles.size > 0 ? { current_files: [...c.currentFiles].slice(0, 2) } : {}),
  };
}

/** restic's `summary` message (printed after the snapshot is saved). */
export function summaryMessage(
  s: BackupSummary,
  extra: { durationMs: number; snapshotId?: string; dryRun?: boolean },
): Record<string, unknown> {
  return {
    message_type: 'summary',
    ...(extra.dryRun ? { dry_run: true } : {}),
    files_new: s.files_new,
    files_changed: s.files_changed,
    files_unmodified: s.files_unmodified,
    dirs_new: s.dirs_new,
    dirs_changed: s.dirs_changed,
    dirs_unmodified: s.dirs_unmodified,
    data_blobs: s.data_blobs,
    tree_blobs: s.tree_blobs,
    data_added: s.data_added,
    data_added_packed: s.data_added_packed,
    total_files_processed: s.total_files_processed,
    total_bytes_processed: s.total_bytes_processed,
    total_duration: extra.durationMs / 1000,
    ...(extra.snapshotId ? { snapshot_id: extra.snapshotId } : {}),
  };
}

/** Human-readable byte count with binary units, as restic prints them (a unit from just above it: 1024 B, 1.001 KiB). */
export function formatBytes(n: number): string {
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  for (let i = units.length; i >= 1; i--)
    if (n > 1024 ** i) return `${(n / 1024 ** i).toFixed(3)} ${units[i - 1]}`;
  return `${n} B`;
}

function clock(sec: number): string {
  const h = Math.floor(sec / 3600);
  const m = Math.floor((sec % 3600) / 60);
  const s = sec % 60;
  const mm = String(m).padStart(h > 0 ? 2 : 1, '0');
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

/** The one-line terminal status: `[0:12] 45.10%  123 files 1.2 GiB, total 400 files 2.6 GiB, 0 errors, 98 MiB/s ETA 0:14`. */
export function statusLine(c: BackupCounters, elapsedMs: number): string {
  const sec = Math.floor(elapsedMs / 1000);
  const rate = elapsedMs > 0 ? (c.bytesDone / elapsedMs) * 1000 : 0;
  const remaining = eta(c, elapsedMs);
  return (
    `[${clock(sec)}] ${(percent(c) * 100).toFixed(2)}%  ${c.filesDone} files ${formatBytes(c.bytesDone)}, ` +
    `total ${c.totalFiles} files ${formatBytes(c.totalBytes)}, ${c.errors} errors, ${formatBytes(Math.round(rate))}/s` +
    (remaining !== undefined ? ` ETA ${clock(remaining)}` : '')
  );
}

/** JSON-lines sink: one restic-shaped message per line (`verbose_status` per item with `items`). */
export function jsonProgress(write: (line: string) => void, items = false): ProgressSink {
  return {
    ...(items ? { item: (e: ItemDone) => write(`${JSON.stringify(itemMessage(e))}\n`) } : {}),
    status: (c, ms) => write(`${JSON.stringify(statusMessage(c, ms))}\n`),
    warning: (w) =>
      write(
        `${JSON.stringify({ message_type: 'error', error: { message: w.message }, during: w.during, item: w.item })}\n`,
      ),
  };
}

/** Terminal sink: rewrites one status line in place (on a TTY) and prints warnings (and with `items`, -vv lines) above it. */
export function terminalProgress(
  writeOut: (s: string) => void,
  writeErr: (s: string) => void,
  tty: boolean,
  items = false,
): ProgressSink {
  return {
    ...(items ? { item: (e: ItemDone) => writeOut(`${tty ? '\r\x1b[2K' : ''}${itemLine(e)}\n`) } : {}),
    status: (c, ms) => {
      if (tty) writeOut(`\r\x1b[2K${statusLine(c, ms)}`);
    },
    warning: (w) => writeErr(`${tty ? '\r\x1b[2K' : ''}error: ${w.item}: ${w.message}\n`),
  };
}
