/**
 * `backup --stdin`: one file read from a stream (a database dump piped in), stored as restic stores it. The
 * snapshot's path is `/<filename>`; the file node has mode 0644, uid/gid 0 and the snapshot time as its times,
 * and each folder above it mode 0755 with the current time, as restic's stdin file system reports them, so
 * restic restores and dumps the file and both tools read each other's stdin snapshots the same way.
 */
import { posix } from 'node:path';
import { hostname as osHostname, userInfo } from 'node:os';
import { PROGRAM_VERSION } from './archiver.js';
import type { BackupResult } from './archiver.js';
import { chunkStream } from './chunker.js';
import { localTime } from './gojson.js';
import type { Lock } from './lock.js';
import type { CompressionMode } from './packer.js';
import { BlobSaver } from './packer.js';
import { newSummary, snapshotSummary } from './progress.js';
import { packerTarget } from './repo-adapters.js';
import type { Repository } from './repository.js';
import type { Snapshot, StoredSnapshot } from './snapshot.js';
import { encodeSnapshot } from './snapshot.js';
import { encodeTree, MODE } from './tree.js';
import type { Node } from './tree.js';

/** Options of {@link backupStdin}. */
export interface StdinBackupOptions {
  /** The bytes to store (process.stdin for the CLI). */
  source: AsyncIterable<Buffer>;
  /** `--stdin-filename` (default `stdin`); may hold folders (`db/dump.sql`). */
  filename?: string;
  tags?: string[];
  hostname?: string;
  /** Snapshot time, also the file's times (default now). */
  time?: Date;
  /** Recorded as the snapshot's parent (restic picks the latest of the same host and path). */
  parent?: StoredSnapshot | null;
  compression?: CompressionMode;
  packSize?: number;
  dryRun?: boolean;
  /** The lock held; a failed refresh stops the snapshot from being saved. */
  lock?: Lock;
}

/** The snapshot path of a stdin backup: `/` joined with the file name, cleaned. */
export function stdinPath(filename = 'stdin'): string {
  return posix.join('/', filename);
}

/** Stores the stream as one file and saves the snapshot. Take a shared lock around it. */
export async function backupStdin(repo: Repository, opts: StdinBackupOptions): Promise<BackupResult> {
  const started = Date.now();
  const startNs = BigInt(started) * 1_000_000n;
  const path = stdinPath(opts.filename);
  const parts = path.split('/').filter((p) => p !== '');
  if (parts.length === 0) throw new Error(`invalid --stdin-filename ${JSON.stringify(opts.filename)}`);
  const time = localTime(opts.time ? BigInt(opts.time.getTime()) * 1_000_000n : startNs);
  const saver = new BlobSaver(packerTarget(repo), {
    compression: opts.compression,
    packSize: opts.packSize,
    dryRun: opts.dryRun,
  });
  const summary = newSummary();
  const content: string[] = [];
  let size = 0;
  for await (const chunk of chunkStream(opts.source, repo.config.chunkerPolynomial)) {
    size += chunk.length;
    content.push((await saver.save('data', chunk)).id);
  }
  const file: Node = {
    name: Buffer.from(parts[parts.length - 1]!),
    type: 'file',
    mode: 0o644,
    mtime: time,
    atime: time,
    ctime: time,
    uid: 0,
    gid: 0,
    content,
  };
  if (size > 0) file.size = size;
  let tree = (await saver.save('tree', encodeTree([file]))).id;
  for (let i = parts.length - 2; i >= 0; i--) {
    const now = localTime(BigInt(Date.now()) * 1_000_000n);
    const dir: Node = {
      name: Buffer.from(parts[i]!),
      type: 'dir',
      mode: MODE.dir | 0o755,
      mtime: now,
      atime: now,
      ctime: now,
      uid: 0,
      gid: 0,
      content: null,
      subtree: tree,
    };
    tree = (await saver.save('tree', encodeTree([dir]))).id;
  }
  await saver.flush();
  Object.assign(summary, {
    files_new: 1,
    dirs_new: parts.length - 1,
    data_blobs: saver.stats.dataBlobs,
    tree_blobs: saver.stats.treeBlobs,
    data_added: saver.stats.dataAdded,
    data_added_packed: saver.stats.dataAddedPacked,
    total_files_processed: 1,
    total_bytes_processed: size,
  });
  const u = userInfo();
  const snapshot: Snapshot = {
    time,
    tree,
    paths: [path],
    hostname: opts.hostname ?? osHostname(),
    username: u.username,
    uid: u.uid,
    gid: u.gid,
    programVersion: PROGRAM_VERSION,
    summary: snapshotSummary(summary, startNs, BigInt(Date.now()) * 1_000_000n),
  };
  if (opts.parent) snapshot.parent = opts.parent.id;
  if (opts.tags?.length) snapshot.tags = opts.tags;
  if (opts.lock?.refreshError) throw new Error(`lost the repository lock: ${opts.lock.refreshError.message}`);
  const snapshotId = opts.dryRun ? '' : await repo.saveUnpacked('snapshot', encodeSnapshot(snapshot));
  return {
    snapshotId,
    snapshot,
    summary,
    warnings: [],
    durationMs: Date.now() - started,
    skippedLarge: { files: 0, bytes: 0 },
  };
}
