/**
 * Folder listings for the backup walk, read on a worker thread: the names of a folder (raw bytes, sorted,
 * excludes applied), the lstat of each and its extended attributes, in one message per folder. The calls are
 * synchronous on the worker: an unchanged re-backup is mostly these calls, and made one by one through the
 * thread pool each cost the walking thread a promise, a callback and a Stats object (about 30 µs a file
 * measured, where the calls themselves take under 10 µs). The worker also counts the files and bytes ahead of
 * the walk for percent and ETA (the scan), in slices, so folder requests are answered while it runs.
 * Without workers the same functions run on the calling thread.
 */
import * as fs from 'node:fs';
import { availableParallelism } from 'node:os';
import type { ExcludeOptions } from './excludes.js';
import { ExcludeFilter } from './excludes.js';
import type { FileStat } from './fsmeta.js';
import { nodeTypeOf } from './fsmeta.js';
import type { BackupCounters } from './progress.js';
import type { Reply } from './worker-pool.js';
import { asBuffer, WorkerPool } from './worker-pool.js';
import type { ExtendedAttribute } from './tree.js';
import type { XattrRead } from './xattr.js';
import { XattrReader } from './xattr.js';
import { errorMessage } from './errors.js';

/** One entry of a folder: its stat, or why it could not be read; its extended attributes. */
export interface DirEntry {
  name: Buffer;
  stat?: FileStat;
  error?: string;
  xattrs?: XattrRead;
}

/** A folder's entries in byte order of their names, or why the folder could not be read. */
export type DirListing = { entries: DirEntry[] } | { error: string };

/** The fields of a packed stat, in order (unsigned 64-bit, but the times, which are signed). */
const FIELDS = ['dev', 'ino', 'mode', 'nlink', 'uid', 'gid', 'rdev', 'size', 'mtimeNs', 'ctimeNs'] as const;
const N = FIELDS.length;
const MTIME = FIELDS.indexOf('mtimeNs');
const CTIME = FIELDS.indexOf('ctimeNs');

/** A listing as it travels from the worker: names and stats packed in typed arrays. */
export interface WireListing {
  /** The names, back to back, and where each ends. */
  names?: Uint8Array;
  ends?: Uint32Array;
  /** N fields per entry (zero for an entry that has an error). */
  stats?: ArrayBuffer;
  errors?: [number, string][];
  xattrs?: [number, XattrRead][];
  /** The folder itself could not be read. */
  dirError?: string;
}

const SLASH = 0x2f;

/** `dir/name` as raw bytes (names need not be UTF-8). */
export function childPath(dir: Buffer, name: Buffer): Buffer {
  if (dir.length === 1 && dir[0] === SLASH) return Buffer.concat([dir, name]);
  const out = Buffer.allocUnsafe(dir.length + 1 + name.length);
  dir.copy(out, 0);
  out[dir.length] = SLASH;
  name.copy(out, dir.length + 1);
  return out;
}

/** What lists folders: the exclude patterns and the attribute reader (which remembers unsupported devices). */
export class Lister {
  readonly filter: ExcludeFilter;
  private readonly xattrs = new XattrReader();

  constructor(excludes: ExcludeOptions) {
    this.filter = new ExcludeFilter(excludes);
  }

  /** The folder at `dir`, packed: see {@link WireListing}. Never throws. */
  list(dir: Buffer): WireListing {
    let all: Buffer[];
    try {
      all = fs.readdirSync(dir, { encoding: 'buffer' });
    } catch (e) {
      return { dirError: errorMessage(e) };
    }
    all.sort((a, b) => Buffer.compare(a, b));
    // Excludes first (a pure test on the name): excluded entries are never stat'ed.
    const kept: Buffer[] = [];
    const paths: Buffer[] = [];
    let bytes = 0;
    for (const name of all) {
      const p = childPath(dir, name);
      if (this.filter.excludedByName(p.toString('utf8'))) continue;
      kept.push(name);
      paths.push(p);
      bytes += name.length;
    }
    const names = new Uint8Array(bytes);
    const ends = new Uint32Array(kept.length);
    const stats = new ArrayBuffer(kept.length * N * 8);
    const u = new BigUint64Array(stats);
    const s = new BigInt64Array(stats);
    const errors: [number, string][] = [];
    const xattrs: [number, XattrRead][] = [];
    let at = 0;
    for (let i = 0; i < kept.length; i++) {
      names.set(kept[i]!, at);
      at += kept[i]!.length;
      ends[i] = at;
      let st: fs.BigIntStats;
      try {
        st = fs.lstatSync(paths[i]!, { bigint: true });
      } catch (e) {
        errors.push([i, errorMessage(e)]);
        continue;
      }
      const o = i * N;
      for (let f = 0; f < N; f++) {
        if (f === MTIME || f === CTIME) s[o + f] = st[FIELDS[f]!];
        else u[o + f] = st[FIELDS[f]!];
      }
      const type = nodeTypeOf(st);
      if (type) {
        const x = this.xattrs.read(paths[i]!, type, st.dev);
        if (x.attrs || x.problems) xattrs.push([i, x]);
      }
    }
    const w: WireListing = { names, ends, stats };
    if (errors.length) w.errors = errors;
    if (xattrs.length) w.xattrs = xattrs;
    return w;
  }

  /**
   * Counts the files (everything but folders) and the bytes of regular files under `paths`, reporting the
   * totals so far to `progress`; unreadable items, and regular files larger than `maxSize`, are skipped. Works in slices of about `slice` items so other
   * work (folder requests on the worker) runs in between.
   */
  async scan(
    paths: readonly string[],
    progress: (files: number, bytes: number) => void,
    slice = 2_000,
    maxSize?: number,
  ): Promise<{ files: number; bytes: number }> {
    const stack: Buffer[] = paths.map((p) => Buffer.from(p)).reverse();
    let files = 0;
    let bytes = 0;
    let n = 0;
    while (stack.length) {
      const p = stack.pop()!;
      if (this.filter.excludedByName(p.toString('utf8'))) continue;
      let st: fs.BigIntStats;
      try {
        st = fs.lstatSync(p, { bigint: true });
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        let names: Buffer[] = [];
        try {
          names = fs.readdirSync(p, { encoding: 'buffer' });
        } catch {
          continue;
        }
        for (let i = names.length - 1; i >= 0; i--) stack.push(childPath(p, names[i]!));
      } else if (!(st.isFile() && maxSize !== undefined && st.size > BigInt(maxSize))) {
        files++;
        if (st.isFile()) bytes += Number(st.size);
      }
      if (++n % slice === 0) {
        progress(files, bytes);
        await new Promise<void>((r) => setImmediate(r));
      }
    }
    return { files, bytes };
  }
}

/** A stat unpacked from a listing. */
function statAt(u: BigUint64Array, s: BigInt64Array, i: number): FileStat {
  const o = i * N;
  return {
    dev: u[o]!,
    ino: u[o + 1]!,
    mode: u[o + 2]!,
    nlink: u[o + 3]!,
    uid: u[o + 4]!,
    gid: u[o + 5]!,
    rdev: u[o + 6]!,
    size: u[o + 7]!,
    mtimeNs: s[o + MTIME]!,
    ctimeNs: s[o + CTIME]!,
  };
}

/** An attribute whose value came through structured clone (a plain Uint8Array) as a Buffer again. */
const cloned = (a: ExtendedAttribute): ExtendedAttribute =>
  Buffer.isBuffer(a.value) ? a : { name: a.name, value: asBuffer(a.value) };

/** Unpacks a listing. */
export function unpack(w: WireListing): DirListing {
  if (w.dirError !== undefined) return { error: w.dirError };
  const names = asBuffer(w.names!);
  const ends = w.ends!;
  const u = new BigUint64Array(w.stats!);
  const s = new BigInt64Array(w.stats!);
  const errors = new Map(w.errors ?? []);
  const xattrs = new Map(w.xattrs ?? []);
  const entries: DirEntry[] = [];
  let start = 0;
  for (let i = 0; i < ends.length; i++) {
    const e: DirEntry = { name: names.subarray(start, ends[i]) };
    start = ends[i]!;
    const err = errors.get(i);
    if (err !== undefined) e.error = err;
    else e.stat = statAt(u, s, i);
    const x = xattrs.get(i);
    if (x) e.xattrs = x.attrs ? { ...x, attrs: x.attrs.map(cloned) } : x;
    entries.push(e);
  }
  return { entries };
}

/** Messages to the folder worker. */
export type DirRequest =
  { kind: 'list'; path: Uint8Array } | { kind: 'scan'; paths: string[]; maxSize?: number };
/** Its replies: a listing, scan totals (also sent as events while the scan runs). */
export interface DirReply extends Reply {
  listing?: WireListing;
  files?: number;
  bytes?: number;
}

/** Folder listings and the scan for one backup, on a worker thread or on the calling thread. */
export class DirReader {
  private readonly pool: WorkerPool<DirRequest, DirReply> | undefined;
  private readonly local: Lister | undefined;

  /** @param useWorker list on a worker thread (when the worker module ships; else on the calling thread) */
  constructor(excludes: ExcludeOptions, useWorker = availableParallelism() > 1) {
    if (useWorker && WorkerPool.available(import.meta.url, 'dir-worker'))
      this.pool = new WorkerPool(import.meta.url, 'dir-worker', { size: 1, workerData: excludes });
    else this.local = new Lister(excludes);
  }

  /** The entries of the folder at `path`. Rejects only when the worker fails (a bug, not a folder problem). */
  async list(path: Buffer): Promise<DirListing> {
    if (this.local) return unpack(this.local.list(path));
    // A copy that owns its memory: a pooled Buffer would send its whole slab.
    const r = await this.pool!.request({ kind: 'list', path: new Uint8Array(path) });
    return unpack(r.listing!);
  }

  /**
   * Counts files and bytes under `paths` into `counters` (totalFiles, totalBytes, then scanDone), leaving out
   * files larger than `maxSize` (as the backup does).
   */
  async scan(paths: string[], counters: BackupCounters, maxSize?: number): Promise<void> {
    const set = (files: number, bytes: number): void => {
      counters.totalFiles = files;
      counters.totalBytes = bytes;
    };
    if (this.local) {
      const t = await this.local.scan(paths, set, undefined, maxSize);
      set(t.files, t.bytes);
    } else {
      const t = await this.pool!.request({ kind: 'scan', paths, maxSize }, [], (r) =>
        set(r.files!, r.bytes!),
      );
      set(t.files!, t.bytes!);
    }
    counters.scanDone = true;
  }

  /** Stops the worker. */
  async close(): Promise<void> {
    await this.pool?.close();
  }
}
