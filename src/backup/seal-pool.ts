/**
 * Encryption of blobs on worker threads. Poly1305 runs in JavaScript (~200 MiB/s per core) and is the
 * write path's CPU bottleneck, so sealing moves off the thread that reads and chunks files.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { MasterKey } from './crypto.js';
import { encrypt } from './crypto.js';
import { spawnWorker, workerAvailable } from './worker-spawn.js';

/** Encrypts one blob on the calling thread (IV || ct || MAC). */
export function sealBlob(key: MasterKey, plaintext: Buffer): Buffer {
  return encrypt(key, plaintext);
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

  /** @param size number of workers (default: cores - 1, at least 1). */
  constructor(key: MasterKey, size = Math.max(1, availableParallelism() - 1)) {
    for (let i = 0; i < size; i++) {
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

  /** Encrypts `plaintext` on a worker. When `plaintext` owns its memory it is moved to the worker (detached here): do not use it afterwards. */
  seal(plaintext: Buffer): Promise<Buffer> {
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
        w.postMessage({ seq, data: plaintext }, own ? [plaintext.buffer] : []);
      } catch {
        w.postMessage({ seq, data: plaintext });
      }
    });
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
