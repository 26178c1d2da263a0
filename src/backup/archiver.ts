/**
 * `backup`: walks the targets, stores file contents and trees through the {@link BlobSaver}, and
 * saves a snapshot restic reads as its own. Trees are built byte-identically to restic's (same node
 * fields, same shape above the targets: for `/a/b` the root tree holds `a`, whose subtree holds `b`;
 * a relative `docs` is `/docs`, see archiver-targets.ts), so both tools can use each other's snapshots as parents and dedup each other's trees.
 *
 * Files that a parent snapshot holds unchanged (type, size, mtime, ctime, inode equal) keep the
 * parent's content without being read. Per-item problems (unreadable, vanished, changed while read)
 * are warnings; the backup goes on and the caller decides the exit code (restic uses 3).
 */
import { availableParallelism, hostname as osHostname, userInfo } from 'node:os';
import { ChunkPool } from './chunk-pool.js';
import { lstat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { buildVirtualTree, expandRelativeTargets } from './archiver-targets.js';
import type { VDir } from './archiver-targets.js';
import type { BackupWarning, BackupSummary, ProgressSink } from './progress.js';
import { newCounters, newSummary, silentProgress, snapshotSummary } from './progress.js';
import type { ExcludeOptions } from './excludes.js';
import { DirReader } from './dir-read.js';
import { ExcludeFilter } from './excludes.js';
import type { Lock } from './lock.js';
import { localTime } from './gojson.js';
import type { CompressionMode } from './packer.js';
import { BlobSaver } from './packer.js';
import { packerTarget } from './repo-adapters.js';
import type { Repository } from './repository.js';
import { SealPool } from './seal-pool.js';
import type { Snapshot, StoredSnapshot } from './snapshot.js';
import { encodeSnapshot } from './snapshot.js';
import { ItemReporter, noStats } from './archiver-report.js';
import type { ItemStats } from './archiver-report.js';
import { Walker } from './archiver-walk.js';
import type { ChangeIgnore } from './archiver-walk.js';
import type { Node } from './tree.js';
import { encodeTree, sortNodes } from './tree.js';

/** Program version written into snapshots. */
export const PROGRAM_VERSION = 'steward 0.1.0';

/** Raised when none of the targets exists (restic: "all target directories/files do not exist"). */
export class NoTargetsError extends Error {
  override readonly name = 'NoTargetsError';
}

/**
 * The backup stopped without saving a snapshot: a pack, index or the snapshot could not be stored, or the
 * lock was lost. Nothing written names a missing pack, so the repository stays valid (restic's
 * "unable to save snapshot"); the cause is kept.
 */
export class BackupAbortedError extends Error {
  override readonly name = 'BackupAbortedError';
  constructor(cause: unknown) {
    super(`unable to save snapshot: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** Options of {@link backup}. */
export interface BackupOptions {
  /** Files and directories to back up (made absolute). */
  targets: string[];
  tags?: string[];
  /** `--host` (default: this machine's hostname). */
  hostname?: string;
  /** Parent snapshot for change detection; null for none. Use {@link findParent} for restic's default. */
  parent?: StoredSnapshot | null;
  /** `--ignore-inode` / `--ignore-ctime`: a file whose inode / ctime alone changed counts as unchanged. */
  changeIgnore?: ChangeIgnore;
  exclude?: ExcludeOptions;
  /** Leave out files larger than this many bytes (restic's `--exclude-larger-than`); they are counted in the result. */
  excludeLargerThan?: number;
  compression?: CompressionMode;
  /** Pack size target in bytes. */
  packSize?: number;
  progress?: ProgressSink;
  /** Count files and bytes ahead of the backup for percent and ETA (default: when `progress` is given). */
  scan?: boolean;
  /** How often `progress.status` is called (default 1000 ms). */
  progressIntervalMs?: number;
  /**
   * Interval for intermediate index files (restic: 10 min), so an interrupted long backup can be
   * resumed: the next run finds the already uploaded blobs in the index.
   */
  checkpointMs?: number;
  /**
   * The lock held for this backup. If refreshing it failed, another process may have taken the
   * repository as stale, so the snapshot is not saved (restic aborts likewise).
   */
  lock?: Lock;
  /** Snapshot time (default now). */
  time?: Date;
  /** Chunk and hash large files on worker threads (default: when there is more than one core). */
  workers?: boolean;
  /**
   * Also encrypt on a worker thread (default: with `workers`). Measured on 2 cores under load: as
   * fast or faster than encrypting on the main thread, with a fraction of the buffered memory.
   */
  sealWorkers?: boolean;
  /** `--dry-run`: read, chunk and count everything, write nothing (no pack, index or snapshot). */
  dryRun?: boolean;
}

/** Outcome of {@link backup}. */
export interface BackupResult {
  /** The saved snapshot's id; empty after a dry run, which saves none. */
  snapshotId: string;
  snapshot: Snapshot;
  summary: BackupSummary;
  warnings: BackupWarning[];
  durationMs: number;
  /** Files left out by `excludeLargerThan`, and their bytes. */
  skippedLarge: { files: number; bytes: number };
}

/**
 * restic 0.14's default parent (FindLatestSnapshot): the newest snapshot of the same hostname whose paths include
 * every target (a snapshot of `/a /b` is the parent of a backup of `/a`), not newer than now.
 */
export async function findParent(
  repo: Repository,
  hostname: string,
  targets: string[],
): Promise<StoredSnapshot | null> {
  const paths = normaliseTargets(targets);
  const now = BigInt(Date.now()) * 1_000_000n;
  const all = await repo.listSnapshots({ hosts: [hostname] });
  const covering = all.filter((s) => s.time.ns <= now && paths.every((p) => s.paths.includes(p)));
  return covering[covering.length - 1] ?? null;
}

/** A snapshot's `paths` as restic 0.14 records them: each target made absolute and cleaned, in the order given. */
export function snapshotPaths(targets: string[]): string[] {
  return targets.map((t) => resolve(t));
}

/** Absolute, cleaned, de-duplicated and sorted targets: what the walk reads and the parent must cover. */
export function normaliseTargets(targets: string[]): string[] {
  if (targets.length === 0) throw new Error('backup needs at least one target');
  return [...new Set(targets.map((t) => resolve(t)))].sort();
}

/**
 * Runs a backup and saves the snapshot. Take a shared lock around it (the CLI does). Throws
 * {@link BackupAbortedError} when anything could not be stored: a snapshot is saved only after every
 * pack and index it needs.
 */
export async function backup(repo: Repository, opts: BackupOptions): Promise<BackupResult> {
  const started = Date.now();
  const startNs = BigInt(started) * 1_000_000n;
  const paths = normaliseTargets(opts.targets);
  if (opts.excludeLargerThan !== undefined && !(opts.excludeLargerThan >= 0))
    throw new RangeError('excludeLargerThan must be a number of bytes');
  // Like restic: nothing to back up at all is an error, some missing targets only warnings.
  const present = await Promise.all(
    paths.map((p) =>
      lstat(p).then(
        () => true,
        () => false,
      ),
    ),
  );
  if (!present.some((x) => x)) throw new NoTargetsError('all target directories/files do not exist');
  // Temp files of an earlier writer that was killed (best effort; they only take space).
  if (!opts.dryRun) await repo.backend.removeStaleTemp?.().catch(() => 0);
  const useWorkers = opts.workers ?? availableParallelism() > 1;
  // Worker modules missing (single-file bundle): fall back to the calling thread rather than fail.
  const pool =
    useWorkers && (opts.sealWorkers ?? true) && SealPool.available() ? new SealPool(repo.key) : undefined;
  const chunkPool = useWorkers && ChunkPool.available() ? new ChunkPool() : undefined;
  const dirs = new DirReader(opts.exclude ?? {}, useWorkers);
  const saver = new BlobSaver(packerTarget(repo), {
    compression: opts.compression,
    packSize: opts.packSize,
    pool,
    dryRun: opts.dryRun,
  });
  const counters = newCounters();
  const summary = newSummary();
  const warnings: BackupWarning[] = [];
  const progress = opts.progress ?? silentProgress;
  const skippedLarge = { files: 0, bytes: 0 };
  const items = progress.item ? new ItemReporter({ item: progress.item.bind(progress) }) : undefined;
  const walker = new Walker({
    items,
    repo,
    saver,
    filter: new ExcludeFilter(opts.exclude ?? {}),
    dirs,
    counters,
    summary,
    chunkPool,
    changeIgnore: opts.changeIgnore ?? {},
    excludeLargerThan: opts.excludeLargerThan,
    skippedLarge,
    warn: (w) => {
      warnings.push(w);
      counters.errors++;
      progress.warning(w);
    },
  });
  const timer = setInterval(
    () => progress.status(counters, Date.now() - started),
    opts.progressIntervalMs ?? 1000,
  );
  timer.unref();
  let checkpointError: Error | null = null;
  const checkpoint = setInterval(
    () => {
      saver.checkpoint().catch((e: unknown) => {
        checkpointError ??= e instanceof Error ? e : new Error(String(e));
      });
    },
    opts.checkpointMs ?? 10 * 60_000,
  );
  checkpoint.unref();
  // The scan (a second lstat of everything) only feeds percent/ETA: skip it when nobody shows them.
  const scan =
    (opts.scan ?? opts.progress !== undefined)
      ? dirs.scan(paths, counters, opts.excludeLargerThan).catch(() => undefined)
      : Promise.resolve();
  try {
    const parentRoot = opts.parent ? await repo.loadTree(opts.parent.tree) : null;
    const vroot = buildVirtualTree(await expandRelativeTargets(opts.targets));
    const tree = vroot.target
      ? await walker.saveDirContents(Buffer.from('/'), parentRoot)
      : await saveVirtual(walker, vroot, parentRoot?.nodes ?? null, items);
    if (tree === null) throw new Error('cannot read /');
    await scan;
    clearInterval(checkpoint);
    await saver.flush();
    const cpFailed = checkpointError as Error | null;
    if (cpFailed) throw cpFailed;
    summary.data_blobs = saver.stats.dataBlobs;
    summary.tree_blobs = saver.stats.treeBlobs;
    summary.data_added = saver.stats.dataAdded;
    summary.data_added_packed = saver.stats.dataAddedPacked;
    const endNs = BigInt(Date.now()) * 1_000_000n;
    const u = userInfo();
    const snapshot: Snapshot = {
      time: localTime(
        opts.time
          ? BigInt(opts.time.getTime()) * 1_000_000n
          : startNs + (process.hrtime.bigint() % 1_000_000n),
      ),
      tree,
      paths: snapshotPaths(opts.targets),
      hostname: opts.hostname ?? osHostname(),
      username: u.username,
      uid: u.uid,
      gid: u.gid,
      programVersion: PROGRAM_VERSION,
      summary: snapshotSummary(summary, startNs, endNs),
    };
    if (opts.parent) snapshot.parent = opts.parent.id;
    const excludes = ExcludeFilter.describe(opts.exclude ?? {});
    if (excludes.length) snapshot.excludes = excludes;
    if (opts.tags?.length) snapshot.tags = opts.tags;
    if (opts.lock?.refreshError)
      throw new Error(`lost the repository lock: ${opts.lock.refreshError.message}`);
    const snapshotId = opts.dryRun ? '' : await repo.saveUnpacked('snapshot', encodeSnapshot(snapshot));
    progress.status(counters, Date.now() - started);
    return { snapshotId, snapshot, summary, warnings, durationMs: Date.now() - started, skippedLarge };
  } catch (e) {
    // Let uploads in flight end before the caller releases its lock; nothing more is written.
    await saver.abort();
    throw e instanceof BackupAbortedError ? e : new BackupAbortedError(e);
  } finally {
    clearInterval(timer);
    clearInterval(checkpoint);
    await pool?.close();
    await chunkPool?.close();
    await dirs.close();
  }
}

/**
 * Saves the tree of a virtual directory (above the targets) and returns its id; `at` is its path in the
 * snapshot (empty for the root), `stats` gets its tree's bytes when new.
 */
async function saveVirtual(
  walker: Walker,
  dir: VDir,
  parentNodes: Node[] | null,
  items: ItemReporter | undefined,
  at = '',
  stats?: ItemStats,
): Promise<string> {
  const nodes: Node[] = [];
  for (const [name, child] of dir.children) {
    const childPath = child.real;
    const shown = `${at}/${name}`;
    const prev = parentNodes?.find((n) => n.name.equals(Buffer.from(name))) ?? null;
    if (child.target) {
      items?.mapTarget(childPath, shown);
      const n = await walker.saveItem(Buffer.from(childPath), Buffer.from(name), prev);
      if (n) nodes.push(n);
      continue;
    }
    const started = performance.now();
    const node = await walker.statDirNode(Buffer.from(childPath), Buffer.from(name));
    if (!node) continue;
    const prevTree = prev?.type === 'dir' && prev.subtree ? await walker.loadParentTree(prev.subtree) : null;
    const childStats = noStats();
    items?.mapTarget(childPath, shown);
    node.subtree = await saveVirtual(walker, child, prevTree, items, shown, childStats);
    walker.finishDir(Buffer.from(childPath), node, prev, started, childStats);
    nodes.push(node);
  }
  const bytes = encodeTree(sortNodes(nodes));
  return (await walker.saveTree(bytes, stats)).id;
}
