/**
 * Chunking and hashing of large files on worker threads (see chunk-worker.ts). Measured on 2 cores:
 * the Rabin chunker and SHA-256 take about half of the main thread's time in a first backup, so
 * moving them beside the thread that compresses, encrypts and packs roughly doubles throughput.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { asBuffer } from './worker-pool.js';
import { spawnWorker, workerAvailable } from './worker-spawn.js';

/** How a chunked file compared before and after reading. */
export interface ChunkedFile {
  /** Bytes read. */
  total: number;
  size: bigint;
  sizeAfter: bigint;
  mtimeNs: bigint;
  mtimeAfterNs: bigint;
}

type Msg =
  | { seq: number; kind: 'chunk'; id: string; data: Uint8Array }
  | { seq: number; kind: 'progress'; bytes: number }
  | {
      seq: number;
      kind: 'end';
      total: number;
      size: string;
      sizeAfter: string;
      mtimeNs: string;
      mtimeAfterNs: string;
    }
  | { seq: number; kind: 'error'; message: string };

interface Job {
  worker: Worker;
  onChunk: (id: string, data: Buffer) => Promise<void>;
  onBytes: (n: number) => void;
  /** Chunk callbacks run one after another, in file order. */
  chain: Promise<void>;
  failed: Error | null;
  resolve: (r: ChunkedFile) => void;
  reject: (e: Error) => void;
}

/** A pool of chunking workers; files are spread over them by load. Call {@link ChunkPool.close}. */
export class ChunkPool {
  private readonly workers: Worker[] = [];
  private readonly load = new Map<Worker, number>();
  private readonly jobs = new Map<number, Job>();
  private seq = 0;
  private closing = false;

  /** True when the worker module ships beside this one (not in some single-file bundles). */
  static available(): boolean {
    return workerAvailable(import.meta.url, 'chunk-worker');
  }

  /**
   * @param size workers (default cores - 1, at least 1), started on the first file (a backup with nothing to read,
   * such as an unchanged re-backup, starts none). @param window unacknowledged chunks per file.
   */
  constructor(
    private readonly size = Math.max(1, availableParallelism() - 1),
    private readonly window = 8,
  ) {}

  private spawn(): void {
    for (let i = 0; i < this.size; i++) {
      const w = spawnWorker(import.meta.url, 'chunk-worker');
      this.load.set(w, 0);
      w.on('message', (m: Msg) => this.onMessage(m));
      const failAll = (e: Error): void => {
        for (const [seq, j] of this.jobs) {
          if (j.worker !== w) continue;
          this.jobs.delete(seq);
          j.reject(e);
        }
      };
      w.on('error', failAll);
      w.on('exit', (code) => {
        if (!this.closing) failAll(new Error(`chunk worker exited (code ${code})`));
      });
      this.workers.push(w);
    }
  }

  private onMessage(m: Msg): void {
    const job = this.jobs.get(m.seq);
    if (!job) return;
    switch (m.kind) {
      case 'progress':
        job.onBytes(m.bytes);
        return;
      case 'chunk': {
        const data = asBuffer(m.data);
        job.chain = job.chain
          .then(() => (job.failed ? undefined : job.onChunk(m.id, data)))
          .catch((e: unknown) => {
            job.failed ??= e instanceof Error ? e : new Error(String(e));
          })
          .finally(() => job.worker.postMessage({ ack: m.seq }));
        return;
      }
      case 'end':
        void job.chain.then(() => {
          this.finish(m.seq, job);
          if (job.failed) job.reject(job.failed);
          else
            job.resolve({
              total: m.total,
              size: BigInt(m.size),
              sizeAfter: BigInt(m.sizeAfter),
              mtimeNs: BigInt(m.mtimeNs),
              mtimeAfterNs: BigInt(m.mtimeAfterNs),
            });
        });
        return;
      case 'error':
        void job.chain.then(() => {
          this.finish(m.seq, job);
          job.reject(new Error(m.message));
        });
        return;
    }
  }

  private finish(seq: number, job: Job): void {
    this.jobs.delete(seq);
    this.load.set(job.worker, (this.load.get(job.worker) ?? 1) - 1);
  }

  /**
   * Chunks the file at `path` with polynomial `pol`; `onChunk` is called for each chunk in order
   * (the next chunk waits for it), `onBytes` as bytes are read.
   */
  chunkFile(
    path: Buffer,
    pol: bigint,
    onChunk: (id: string, data: Buffer) => Promise<void>,
    onBytes: (n: number) => void,
  ): Promise<ChunkedFile> {
    if (this.workers.length === 0) this.spawn();
    let worker = this.workers[0]!;
    for (const w of this.workers) if ((this.load.get(w) ?? 0) < (this.load.get(worker) ?? 0)) worker = w;
    this.load.set(worker, (this.load.get(worker) ?? 0) + 1);
    const seq = this.seq++;
    return new Promise<ChunkedFile>((resolve, reject) => {
      this.jobs.set(seq, {
        worker,
        onChunk,
        onBytes,
        chain: Promise.resolve(),
        failed: null,
        resolve,
        reject,
      });
      worker.postMessage({ seq, path, pol: pol.toString(16), window: this.window });
    });
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
