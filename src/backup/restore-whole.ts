/**
 * Small files restored whole, on a blob worker (open-worker.ts) or, without workers, on the calling thread: a
 * file of one blob is decoded, created, written and given its owner, mode and times in one go, with
 * synchronous calls on one descriptor. Restoring a small file on the main thread took seven thread-pool round
 * trips (open, write, close, then lchown, chmod, lutimes by path) and their promises, which made the main thread
 * the bottleneck of a restore of many small files; here each step is one system call on a thread that does
 * nothing else. Files with extended attributes, and blobs shared with files of several blobs, stay on the main
 * thread's path (restore-data.ts, restore.ts).
 */
import {
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  ftruncateSync,
  futimesSync,
  openSync,
  rmSync,
  writeSync,
} from 'node:fs';
import type { MasterKey } from './crypto.js';
import { openBlob } from './open-blob.js';
import { MODE } from './tree.js';
import { errorMessage } from './errors.js';

/** A file to create whole from one blob, with the metadata restore gives it. */
export interface WholeFile {
  /**
   * Exact path bytes as a latin1 string (names may be invalid UTF-8; latin1 keeps every byte). A string, as a
   * Buffer view would carry its whole 8 KiB pool slab to the worker.
   */
  path: string;
  /** POSIX permission bits ({@link posixMode}). */
  mode: number;
  /** Owner to set, or undefined to leave the file to the restoring user. */
  uid?: number;
  gid?: number;
  /** Times in seconds ({@link utimeSeconds}). */
  atime: number;
  mtime: number;
}

/** One blob of a pack range and the files it fills. */
export interface WholeBlob {
  id: string;
  /** Plaintext length when the blob is compressed (index `uncompressed_length`). */
  ulen?: number;
  /** Where its stored bytes start in the range, and their length. */
  at: number;
  length: number;
  /** Indexes into {@link WholeJob.files}. */
  files: number[];
}

/** A pack range's worth of whole files. */
export interface WholeJob {
  data: Uint8Array;
  blobs: WholeBlob[];
  files: WholeFile[];
  /** Leave a hole instead of writing an all-zero blob. */
  sparse: boolean;
}

/** What became of a job: blobs that could not be decoded (the caller tries other copies), files that failed. */
export interface WholeResult {
  /** Indexes into {@link WholeJob.blobs}, with the reason. */
  badBlobs: { blob: number; message: string }[];
  /**
   * Indexes into {@link WholeJob.files}. `content`: the file may be missing or incomplete; `meta`: its
   * contents are complete but its owner, mode or times are not set.
   */
  failed: { file: number; stage: 'content' | 'meta'; message: string }[];
}

/** Go os.FileMode -> POSIX permission bits for chmod. */
export function posixMode(mode: number | undefined): number {
  const m = (mode ?? 0) >>> 0;
  let p = m & 0o777;
  if (m & MODE.setuid) p |= 0o4000;
  if (m & MODE.setgid) p |= 0o2000;
  if (m & MODE.sticky) p |= 0o1000;
  return p;
}

/**
 * Nanoseconds since the epoch as the seconds that utimes takes. libuv truncates to whole microseconds after a
 * float conversion; aiming at the middle of the target microsecond makes the result exactly floor(ns / 1000) µs
 * instead of sometimes one µs less.
 */
export function utimeSeconds(ns: bigint): number {
  const us = ns / 1000n - (ns % 1000n < 0n ? 1n : 0n);
  return Number(us / 1_000_000n) + (Number(us % 1_000_000n) + 0.5) / 1e6;
}

const ZERO = Buffer.alloc(64 * 1024);
/** True when every byte of `b` is zero (a blob restored as a hole). */
export const isZero = (b: Buffer): boolean => {
  for (let off = 0; off < b.length; off += ZERO.length) {
    const n = Math.min(ZERO.length, b.length - off);
    if (!b.subarray(off, off + n).equals(ZERO.subarray(0, n))) return false;
  }
  return true;
};

/** O_EXCL|O_NOFOLLOW: never write through something that appeared under this name; what is there is replaced. */
function createExclusive(path: Buffer): number {
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
  try {
    return openSync(path, flags, 0o600);
  } catch (e) {
    if ((e as { code?: string }).code !== 'EEXIST') throw e;
    rmSync(path, { force: true });
    return openSync(path, flags, 0o600);
  }
}

/** Creates one file holding `data` (or a hole of `size` bytes), then sets its owner, mode and times. */
function writeWhole(f: WholeFile, data: Buffer | null, size: number): void {
  const path = Buffer.from(f.path, 'latin1');
  let fd: number;
  try {
    fd = createExclusive(path);
  } catch (e) {
    throw Object.assign(new Error(errorMessage(e)), { stage: 'content' });
  }
  let stage: 'content' | 'meta' = 'content';
  try {
    if (data) {
      for (let off = 0; off < data.length;) off += writeSync(fd, data, off, data.length - off, off);
    } else if (size > 0) ftruncateSync(fd, size);
    stage = 'meta';
    // Owner first: chown clears set-id bits, which the mode then sets.
    if (f.uid !== undefined) fchownSync(fd, f.uid, f.gid ?? -1);
    fchmodSync(fd, f.mode);
    futimesSync(fd, f.atime, f.mtime);
  } catch (e) {
    try {
      closeSync(fd);
    } catch {
      // the first error is the one to report
    }
    throw Object.assign(new Error(errorMessage(e)), { stage });
  }
  try {
    closeSync(fd);
  } catch (e) {
    throw Object.assign(new Error(errorMessage(e)), { stage: 'content' });
  }
}

/** Decodes each blob of `job` and writes the files it fills; never throws (problems are in the result). */
export function writeWholeFiles(key: MasterKey, job: WholeJob): WholeResult {
  const res: WholeResult = { badBlobs: [], failed: [] };
  const data = Buffer.from(job.data.buffer, job.data.byteOffset, job.data.byteLength);
  for (const [bi, b] of job.blobs.entries()) {
    let plain: Buffer;
    try {
      if (b.at + b.length > data.length) throw new Error(`blob ${b.id}: outside the range read`);
      plain = openBlob(key, b.id, b.ulen, data.subarray(b.at, b.at + b.length));
    } catch (e) {
      res.badBlobs.push({ blob: bi, message: errorMessage(e) });
      continue;
    }
    const hole = job.sparse && isZero(plain);
    for (const fi of b.files) {
      try {
        writeWhole(job.files[fi]!, hole ? null : plain, plain.length);
      } catch (e) {
        const stage = (e as { stage?: 'content' | 'meta' }).stage ?? 'content';
        res.failed.push({ file: fi, stage, message: errorMessage(e) });
      }
    }
  }
  return res;
}
