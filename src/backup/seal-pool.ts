/**
 * Compression and encryption of blobs on worker threads, one message per blob: zstd, AES-CTR and Poly1305 are the
 * write path's CPU bottleneck, so they run off the thread that reads and chunks files.
 */
import { availableParallelism } from 'node:os';
import type { MasterKey } from './crypto.js';
import { encrypt, keyBytes } from './crypto.js';
import type { Reply } from './worker-pool.js';
import { asBuffer, movable, WorkerPool } from './worker-pool.js';
import { zstdCompress } from './zstd.js';

/** Compresses one blob at `level` (none when undefined) and encrypts it (IV || ct || MAC), on the calling thread. */
export function sealBlob(key: MasterKey, plaintext: Buffer, level?: number): Buffer {
  return encrypt(key, level === undefined ? plaintext : zstdCompress(plaintext, level));
}

/** A message to a sealing worker (started with the key's bytes), and its reply. */
export interface SealRequest {
  data: Uint8Array;
  level?: number;
}
export interface SealReply extends Reply {
  out?: Uint8Array;
}

/** A fixed pool of sealing workers. Call {@link SealPool.close} when done. */
export class SealPool {
  private readonly pool: WorkerPool<SealRequest, SealReply>;

  /** True when the worker module ships beside this one (not in some single-file bundles). */
  static available(): boolean {
    return WorkerPool.available(import.meta.url, 'seal-worker');
  }

  /** @param size number of workers (default: cores - 1, at least 1), started by the first blob. */
  constructor(key: MasterKey, size = Math.max(1, availableParallelism() - 1)) {
    this.pool = new WorkerPool(import.meta.url, 'seal-worker', { size, workerData: keyBytes(key) });
  }

  /**
   * {@link sealBlob} on a worker. When `plaintext` owns its memory it is moved to the worker (detached here): do not
   * use it afterwards.
   */
  async seal(plaintext: Buffer, level?: number): Promise<Buffer> {
    const r = await this.pool.request({ data: plaintext, level }, movable(plaintext));
    return asBuffer(r.out!);
  }

  /** Stops the workers. */
  close(): Promise<void> {
    return this.pool.close();
  }
}
