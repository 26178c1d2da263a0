/**
 * Opening a stored blob: verify MAC, decrypt, decompress, check the plaintext hash. Shared by the main thread and
 * the {@link OpenPool} workers, which spread this CPU work (Poly1305 in JS is the bottleneck) over the cores.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { decrypt, sha256Hex, type MasterKey } from './crypto.js';
import { FormatError, IntegrityError } from './errors.js';
import type { WholeJob, WholeResult } from './restore-whole.js';
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

interface Job {
  resolve: (r: Buffer | WholeResult) => void;
  reject: (e: Error) => void;
}

/** A pool of workers running {@link openBlob}. Jobs go to the least busy worker. Call {@link OpenPool.close} when done. */
export class OpenPool {
  private readonly workers: Worker[] = [];
  private readonly busy: number[] = [];
  private readonly jobs = new Map<number, Job & { w: number }>();
  private seq = 0;
  private closing = false;

  /** @param size number of workers (default: one per core; the main thread mostly waits on I/O). */
  constructor(key: MasterKey, size = availableParallelism()) {
    const self = import.meta.url;
    const ts = self.endsWith('.ts');
    const url = new URL(ts ? './open-worker.ts' : './open-worker.js', self);
    const workerData = { encrypt: key.encrypt, macK: key.macK, macR: key.macR };
    for (let i = 0; i < Math.max(1, size); i++) {
      // Under tsx/vitest the sources are .ts: the worker registers tsx's loader before importing its entry.
      const w = ts
        ? new Worker(
            `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`,
            { eval: true, workerData },
          )
        : new Worker(url, { workerData });
      w.unref(); // an idle pool must not keep the process alive
      w.on(
        'message',
        (m: { seq: number; out?: Uint8Array; whole?: WholeResult; error?: string; kind?: string }) => {
          const job = this.jobs.get(m.seq);
          if (!job) return;
          this.jobs.delete(m.seq);
          this.busy[job.w]!--;
          if (m.whole) job.resolve(m.whole);
          else if (m.out) job.resolve(Buffer.from(m.out.buffer, m.out.byteOffset, m.out.byteLength));
          else {
            const msg = m.error ?? 'blob worker failed';
            job.reject(
              m.kind === 'IntegrityError'
                ? new IntegrityError(msg)
                : m.kind === 'FormatError'
                  ? new FormatError(msg)
                  : new Error(msg),
            );
          }
        },
      );
      const failAll = (e: Error): void => {
        for (const j of this.jobs.values()) j.reject(e);
        this.jobs.clear();
      };
      w.on('error', failAll);
      w.on('exit', (code) => {
        if (!this.closing) failAll(new Error(`blob worker exited (code ${code})`));
      });
      this.workers.push(w);
      this.busy.push(0);
    }
  }

  /** The least busy worker, counted busier by one. */
  private pick(): number {
    let w = 0;
    for (let i = 1; i < this.workers.length; i++) if (this.busy[i]! < this.busy[w]!) w = i;
    this.busy[w]!++;
    return w;
  }

  /** Restores small files whole on a worker (restore-whole.ts). `job.data` is transferred: the caller loses it. */
  whole(job: WholeJob): Promise<WholeResult> {
    const seq = this.seq++;
    const w = this.pick();
    return new Promise<WholeResult>((resolve, reject) => {
      this.jobs.set(seq, { resolve: resolve as (r: Buffer | WholeResult) => void, reject, w });
      this.workers[w]!.postMessage({ seq, kind: 'whole', job }, [job.data.buffer as ArrayBuffer]);
    });
  }

  /** Opens a blob on a worker. `raw` is copied to the worker; the caller may reuse it. */
  open(id: string, uncompressedLength: number | undefined, raw: Buffer): Promise<Buffer> {
    const seq = this.seq++;
    const w = this.pick();
    return new Promise<Buffer>((resolve, reject) => {
      this.jobs.set(seq, { resolve: resolve as (r: Buffer | WholeResult) => void, reject, w });
      // One copy into memory of its own, then transferred: cloning a view (e.g. a blob inside a pack range)
      // would copy the whole underlying ArrayBuffer.
      const own = Buffer.allocUnsafeSlow(raw.length);
      raw.copy(own);
      this.workers[w]!.postMessage({ seq, id, ulen: uncompressedLength, data: own }, [own.buffer]);
    });
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
