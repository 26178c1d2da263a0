/**
 * Opening a stored blob: verify MAC, decrypt, decompress, check the plaintext hash. Shared by the main thread and
 * the {@link OpenPool} workers, which spread this CPU work (Poly1305 in JS is the bottleneck) over the cores.
 */
import { availableParallelism } from 'node:os';
import { decrypt, keyBytes, sha256Hex, type MasterKey } from './crypto.js';
import { FormatError, IntegrityError } from './errors.js';
import type { WholeJob, WholeResult } from './restore-whole.js';
import type { Reply } from './worker-pool.js';
import { asBuffer, WorkerPool } from './worker-pool.js';
import { zstdDecompress } from './zstd.js';

/** Plaintext of a stored blob; throws {@link IntegrityError} (MAC or hash) or {@link FormatError} (zstd). */
export function openBlob(
  key: MasterKey,
  id: string,
  uncompressedLength: number | undefined,
  raw: Buffer,
): Buffer {
  let plain = decrypt(key, raw);
  if (uncompressedLength !== undefined) plain = zstdDecompress(plain, uncompressedLength);
  if (sha256Hex(plain) !== id) throw new IntegrityError(`blob ${id}: content does not match its id`);
  return plain;
}

/** Messages to a blob worker (started with the key's bytes): open one blob, or restore small files whole. */
export type OpenRequest =
  { kind?: undefined; id: string; ulen?: number; data: Uint8Array } | { kind: 'whole'; job: WholeJob };
export interface OpenReply extends Reply {
  out?: Uint8Array;
  whole?: WholeResult;
}

/** The error classes a worker's failure keeps. */
function errorOf(message: string, name: string | undefined): Error {
  if (name === 'IntegrityError') return new IntegrityError(message);
  if (name === 'FormatError') return new FormatError(message);
  return new Error(message);
}

/** A pool of workers running {@link openBlob}. Jobs go to the least busy worker. Call {@link OpenPool.close} when done. */
export class OpenPool {
  private readonly pool: WorkerPool<OpenRequest, OpenReply>;

  /** @param size number of workers (default: one per core; the main thread mostly waits on I/O). */
  constructor(key: MasterKey, size = availableParallelism()) {
    // unref: an idle pool must not keep the process alive.
    this.pool = new WorkerPool(import.meta.url, 'open-worker', {
      size,
      workerData: keyBytes(key),
      unref: true,
      errorOf,
    });
  }

  /** Restores small files whole on a worker (restore-whole.ts). `job.data` is transferred: the caller loses it. */
  async whole(job: WholeJob): Promise<WholeResult> {
    return (await this.pool.request({ kind: 'whole', job }, [job.data.buffer as ArrayBuffer])).whole!;
  }

  /** Opens a blob on a worker. `raw` is copied to the worker; the caller may reuse it. */
  async open(id: string, uncompressedLength: number | undefined, raw: Buffer): Promise<Buffer> {
    // One copy into memory of its own, then transferred: cloning a view (e.g. a blob inside a pack range)
    // would copy the whole underlying ArrayBuffer.
    const own = Buffer.allocUnsafeSlow(raw.length);
    raw.copy(own);
    const r = await this.pool.request({ id, ulen: uncompressedLength, data: own }, [own.buffer]);
    return asBuffer(r.out!);
  }

  /** Stops the workers. */
  close(): Promise<void> {
    return this.pool.close();
  }
}
