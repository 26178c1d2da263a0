/**
 * Compression and encryption of blobs on worker threads, one message per blob: zstd, AES-CTR and Poly1305 are the
 * write path's CPU bottleneck, so they run off the thread that reads and chunks files.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { MasterKey } from './crypto.js';
import { encrypt } from './crypto.js';
import { spawnWorker, workerAvailable } from './worker-spawn.js';
import { zstdCompress } from './zstd.js';

/** Compresses one blob at `level` (none when undefined) and encrypts it (IV || ct || MAC), on the calling thread. */
export function sealBlob(key: MasterKey, plaintext: Buffer, level?: number): Buffer {
  return encrypt(key, level === undefined ? plaintext : zstdCompress(plaintext, level));
}

interface Job {
  resolve: (b: Buffer) => void;
  reject: (e: Error) => void;
}

/** A fixed pool of sealing workers; jobs go round-robin. Call {@link SealPool.close} when done. */
export class SealPool {
  private readonly workers: Worker[] = [];
  private readonly jobs = new Map<number, Job>();
  private next = 0;
  private seq = 0;
  private closing = false;

  /** True when the worker module ships beside this one (not in some single-file bundles). */
  static available(): boolean {
    return workerAvailable(import.meta.url, 'seal-worker');
  }

  /** @param size number of workers (default: cores - 1, at least 1), started by the first blob. */
  constructor(
    private readonly key: MasterKey,
    private readonly size = Math.max(1, availableParallelism() - 1),
  ) {}

  private spawn(): void {
    const key = this.key;
    for (let i = 0; i < this.size; i++) {
      const w = spawnWorker(import.meta.url, 'seal-worker', {
        encrypt: key.encrypt,
        macK: key.macK,
        macR: key.macR,
      });
      w.on('message', (m: { seq: number; out?: Uint8Array; error?: string }) => {
        const job = this.jobs.get(m.seq);
        if (!job) return;
        this.jobs.delete(m.seq);
        if (m.out) job.resolve(Buffer.from(m.out.buffer, m.out.byteOffset, m.out.byteLength));
        else job.reject(new Error(m.error ?? 'seal worker failed'));
      });
      const failAll = (e: Error): void => {
        for (const j of this.jobs.values()) j.reject(e);
        this.jobs.clear();
      };
      w.on('error', failAll);
      w.on('exit', (code) => {
        if (!this.closing) failAll(new Error(`seal worker exited (code ${code})`));
      });
      this.workers.push(w);
    }
  }

  /**
   * {@link sealBlob} on a worker. When `plaintext` owns its memory it is moved to the worker (detached here): do not
   * use it afterwards.
   */
  seal(plaintext: Buffer, level?: number): Promise<Buffer> {
    if (this.workers.length === 0) this.spawn();
    const seq = this.seq++;
    const w = this.workers[this.next++ % this.workers.length]!;
    return new Promise<Buffer>((resolve, reject) => {
      this.jobs.set(seq, { resolve, reject });
      // Move the memory instead of copying it when the buffer owns all of it (pooled small Buffers
      // share a slab and are copied); some native buffers cannot be moved, then it is copied too.
      const own =
        plaintext.byteOffset === 0 &&
        plaintext.byteLength === plaintext.buffer.byteLength &&
        !(plaintext.buffer instanceof SharedArrayBuffer);
      try {
        w.postMessage({ seq, data: plaintext, level }, own ? [plaintext.buffer] : []);
      } catch {
        w.postMessage({ seq, data: plaintext, level });
      }
    });
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
