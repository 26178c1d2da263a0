/**
 * File contents for restore, read pack by pack (as restic's restorer does): each pack is fetched with as few range
 * requests as possible and every blob goes to every file (and offset) that needs it. Per-blob requests would cost
 * one round trip per blob on remote backends (REST, S3, SFTP).
 */
import { constants, promises as fs } from 'node:fs';
import type { BlobLocation } from './index.js';
import type { Repository } from './repository.js';
import { HandleCache } from './restore-handles.js';
import { isZero, type WholeBlob, type WholeFile, type WholeJob } from './restore-whole.js';
import type { Node } from './tree.js';

/** A file to fill: where it goes and what the snapshot says it holds. */
export interface FileJob {
  path: Buffer;
  node: Node;
}

interface Target {
  file: number;
  offset: number;
}

interface PlannedBlob {
  id: string;
  loc: BlobLocation;
  targets: Target[];
}

// Blobs of one pack closer than this are fetched in one request (the gap is read and dropped).
const MAX_GAP = 1024 * 1024;
// A range is cut at this span (a single larger blob still comes whole): fewer bytes held per pack in flight.
const MAX_RANGE = 4 * 1024 * 1024;
const BLOBS_IN_FLIGHT = 8;
// Idle target files kept open between their blobs (see restore-handles.ts): well under the usual fd limit.
const MAX_OPEN_FILES = 64;

/** Options of {@link writeFileContents}. */
export interface WriteOptions {
  /** Leave holes for all-zero blobs. */
  sparse: boolean;
  /** Packs processed at once. */
  concurrency: number;
  /** Called once per failed file (the file may be incomplete). */
  fail: (path: Buffer, e: unknown) => void;
  /**
   * The metadata of file `i` when it may be restored whole, metadata included, on a worker (restore-whole.ts);
   * undefined to leave its metadata to the caller. Asked only of files of one blob.
   */
  whole?: (i: number) => WholeFile | undefined;
  /** Called as contents are written: files completed and bytes written since the last call. */
  progress?: ((files: number, bytes: number) => void) | undefined;
  /** Stops between pack ranges and files; the caller sees the abort in the signal (RestoreOptions.signal). */
  signal?: AbortSignal | undefined;
}

/** What {@link writeFileContents} did: files written completely, and those of them whose metadata is set too. */
export interface WriteOutcome {
  written: Set<number>;
  finished: Set<number>;
}

/**
 * Creates every file (exclusive, never through a symlink), sized with holes, then fills in the blobs pack by pack.
 * Files of one blob that `opts.whole` allows are restored whole, metadata included, from their pack range.
 * Returns the indexes of the files written completely, and of those finished (metadata set too); the caller sets
 * the metadata of the others.
 */
export async function writeFileContents(
  repo: Repository,
  files: FileJob[],
  opts: WriteOptions,
): Promise<WriteOutcome> {
  const failed = new Set<number>();
  const finished = new Set<number>();
  const whole = files.map((f, i) => ((f.node.content ?? []).length === 1 ? opts.whole?.(i) : undefined));
  const isWhole = (b: PlannedBlob): boolean =>
    b.targets.every((t) => whole[t.file] !== undefined && !failed.has(t.file));
  const sizes: number[] = [];
  // A file of several blobs is created, sized with holes, by the first open of its handle; the handle stays open
  // (bounded) until its last blob is written, instead of an open and a close per blob.
  const created = new Set<number>();
  const handles = new HandleCache(
    MAX_OPEN_FILES,
    async (i) => {
      const path = files[i]!.path;
      if (created.has(i)) return fs.open(path, constants.O_WRONLY | constants.O_NOFOLLOW);
      created.add(i);
      const fh = await openNew(path);
      try {
        if (sizes[i]! > 0) await fh.truncate(sizes[i]);
      } catch (e) {
        await fh.close().catch(() => undefined);
        throw e;
      }
      return fh;
    },
    (i, e) => fail(i, e),
  );
  const fail = (i: number, e: unknown): void => {
    if (failed.has(i)) return;
    failed.add(i);
    opts.fail(files[i]!.path, e);
    handles.retire(i).catch(() => undefined); // its remaining writes are skipped; the error is already reported
  };
  const byPack = new Map<string, Map<string, PlannedBlob>>();
  for (const [i, f] of files.entries()) {
    let pos = 0;
    try {
      for (const id of f.node.content ?? []) {
        const loc = repo.index.lookup('data', id)[0];
        if (!loc) throw new Error(`data blob ${id} not found in index`);
        let blobs = byPack.get(loc.packId);
        if (!blobs) byPack.set(loc.packId, (blobs = new Map<string, PlannedBlob>()));
        let b = blobs.get(id);
        if (!b) blobs.set(id, (b = { id, loc, targets: [] }));
        b.targets.push({ file: i, offset: pos });
        pos += loc.uncompressedLength ?? loc.length - 32;
      }
      if (f.node.size !== undefined && f.node.size !== pos) {
        throw new Error(`blobs hold ${pos} bytes, snapshot says ${f.node.size}`);
      }
      sizes[i] = pos;
    } catch (e) {
      fail(i, e);
    }
  }
  // Files without data are created now (many at once: each step is a thread-pool round trip). A file of one blob
  // is created by its only write; a file of several blobs is created, sized with holes, before its first write.
  await runPool(files.length, 16, async (i) => {
    if (failed.has(i) || opts.signal?.aborted || (files[i]!.node.content ?? []).length > 0) return;
    try {
      await createFile(files[i]!.path, 0);
      opts.progress?.(1, 0);
    } catch (e) {
      fail(i, e);
    }
  });
  const remaining = files.map((f) => (f.node.content ?? []).length);
  const write = async (t: Target, data: Buffer): Promise<void> => {
    if (failed.has(t.file)) return;
    const path = files[t.file]!.path;
    const skip = opts.sparse && isZero(data);
    if ((files[t.file]!.node.content ?? []).length === 1) {
      const fh = await openNew(path);
      try {
        if (skip) await fh.truncate(sizes[t.file]);
        else await writeAll(fh, data, 0);
      } finally {
        await fh.close();
      }
      opts.progress?.(1, data.length);
      return;
    }
    // A hole needs no write once the file exists (created sized with holes).
    if (!skip || !created.has(t.file)) {
      await handles.use(t.file, (fh) => (skip ? Promise.resolve() : writeAll(fh, data, t.offset)));
    }
    const last = --remaining[t.file]! === 0;
    if (last) await handles.retire(t.file);
    opts.progress?.(last ? 1 : 0, data.length);
  };

  const deliver = async (b: PlannedBlob, data: Buffer): Promise<void> => {
    for (const t of b.targets) {
      try {
        await write(t, data);
      } catch (e) {
        fail(t.file, e);
      }
    }
  };

  // A blob read again through the index (every stored copy), then written; its files fail when no copy reads.
  const deliverStored = async (b: PlannedBlob): Promise<void> => {
    let data: Buffer;
    try {
      data = await repo.loadBlob('data', b.id);
    } catch (e) {
      for (const t of b.targets) fail(t.file, e);
      return;
    }
    await deliver(b, data);
  };

  const doPack = async (packId: string, blobs: PlannedBlob[]): Promise<void> => {
    blobs.sort((a, b) => a.loc.offset - b.loc.offset);
    // Group neighbouring blobs into ranges.
    const ranges: PlannedBlob[][] = [];
    for (const b of blobs) {
      const cur = ranges[ranges.length - 1];
      const last = cur?.[cur.length - 1];
      const near =
        cur &&
        last &&
        b.loc.offset - (last.loc.offset + last.loc.length) <= MAX_GAP &&
        b.loc.offset + b.loc.length - cur[0]!.loc.offset <= MAX_RANGE;
      if (near) cur.push(b);
      else ranges.push([b]);
    }
    for (const r of ranges) {
      if (opts.signal?.aborted) return;
      const start = r[0]!.loc.offset;
      const end = Math.max(...r.map((b) => b.loc.offset + b.loc.length));
      let buf: Buffer | undefined;
      try {
        buf = await repo.backend.load({ type: 'pack', name: packId }, start, end - start);
      } catch {
        buf = undefined; // fall back to per-blob loads, which try every stored copy
      }
      // Whole small files go to a worker in one job per range; the others are decoded and written a few blobs
      // at a time: enough to keep the workers busy, few enough not to flood the thread pool with file operations.
      const wholeBlobs: PlannedBlob[] = [];
      const rest: PlannedBlob[] = [];
      for (const b of r) (buf && isWhole(b) ? wholeBlobs : rest).push(b);
      const wholeDone = buf && wholeBlobs.length ? writeWhole(wholeBlobs, r.length, buf, start) : undefined;
      await runPool(rest.length, BLOBS_IN_FLIGHT, async (k) => {
        const b = rest[k]!;
        let data: Buffer;
        try {
          if (!buf) throw new Error('pack range unreadable');
          const raw = buf.subarray(b.loc.offset - start, b.loc.offset - start + b.loc.length);
          data = await repo.decodeBlobAsync(b.id, b.loc, raw);
        } catch {
          return deliverStored(b);
        }
        await deliver(b, data);
      });
      await wholeDone;
    }
  };

  // Blobs that fail to decode in a whole job take the usual path from their stored copies.
  const writeWhole = async (blobs: PlannedBlob[], all: number, buf: Buffer, start: number): Promise<void> => {
    // The range itself goes to the worker when nothing else needs it and it owns its memory; else a copy of the
    // part the blobs span (a view would carry the whole buffer, or be unusable once transferred).
    const alone = blobs.length === all && buf.byteOffset === 0 && buf.byteLength === buf.buffer.byteLength;
    const from = alone ? 0 : Math.min(...blobs.map((b) => b.loc.offset)) - start;
    const to = Math.max(...blobs.map((b) => b.loc.offset + b.loc.length)) - start;
    let data = buf;
    if (!alone) {
      data = Buffer.allocUnsafeSlow(to - from);
      buf.copy(data, 0, from, to);
    }
    const job: WholeJob = { data, blobs: [], files: [], sparse: opts.sparse };
    // The job's files, in order: which file of the restore each is, and which blob of `blobs` fills it.
    const fileOf: number[] = [];
    const blobOf: number[] = [];
    for (const [bi, b] of blobs.entries()) {
      const w: WholeBlob = { id: b.id, at: b.loc.offset - start - from, length: b.loc.length, files: [] };
      if (b.loc.uncompressedLength !== undefined) w.ulen = b.loc.uncompressedLength;
      for (const t of b.targets) {
        w.files.push(job.files.length);
        job.files.push(whole[t.file]!);
        fileOf.push(t.file);
        blobOf.push(bi);
      }
      job.blobs.push(w);
    }
    let res;
    try {
      res = await repo.writeWhole(job);
    } catch (e) {
      res = { badBlobs: blobs.map((_, blob) => ({ blob, message: String(e) })), failed: [] };
    }
    const unfinished = new Set<number>();
    for (const f of res.failed) {
      unfinished.add(f.file);
      if (f.stage === 'content') fail(fileOf[f.file]!, new Error(f.message));
    }
    const again = new Set(res.badBlobs.map((x) => x.blob));
    for (const [j, file] of fileOf.entries()) {
      if (unfinished.has(j) || again.has(blobOf[j]!)) continue;
      finished.add(file);
      opts.progress?.(1, sizes[file] ?? 0);
    }
    for (const bi of again) await deliverStored(blobs[bi]!);
  };

  const packs = [...byPack.entries()];
  await runPool(packs.length, opts.concurrency, async (k) => {
    const [packId, blobs] = packs[k]!;
    await doPack(packId, [...blobs.values()]);
  });
  await handles.closeAll();
  const written = new Set<number>();
  for (let i = 0; i < files.length; i++) if (!failed.has(i)) written.add(i);
  for (const i of failed) finished.delete(i);
  return { written, finished };
}

/** Runs fn(0..n-1) with at most `limit` calls in flight. fn must not throw. */
async function runPool(n: number, limit: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < n) await fn(next++);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, n)) }, worker));
}

async function writeAll(fh: fs.FileHandle, data: Buffer, at: number): Promise<void> {
  let off = 0;
  while (off < data.length) off += (await fh.write(data, off, data.length - off, at + off)).bytesWritten;
}

/** Opens a new file for writing, replacing what is there, never following a symlink. */
async function openNew(path: Buffer): Promise<fs.FileHandle> {
  // O_EXCL|O_NOFOLLOW: never write through something that appeared under this name.
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
  try {
    return await fs.open(path, flags, 0o600);
  } catch (e) {
    if ((e as { code?: string }).code !== 'EEXIST') throw e;
    await fs.rm(path, { force: true });
    return await fs.open(path, flags, 0o600);
  }
}

/** Creates a file of `size` bytes that are all a hole. */
async function createFile(path: Buffer, size: number): Promise<void> {
  const fh = await openNew(path);
  try {
    if (size > 0) await fh.truncate(size);
  } finally {
    await fh.close();
  }
}
