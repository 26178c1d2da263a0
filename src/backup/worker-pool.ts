/**
 * A fixed pool of request/reply worker threads, started by the first request. Each request carries a `seq`;
 * the worker answers with a message of the same `seq`: `{ seq, error }` rejects it, `{ seq, event: true, ... }`
 * goes to the request's event callback (progress) and the request stays open, anything else resolves it.
 * Requests go to the worker with the fewest open; a worker that fails or exits fails every request still open.
 * The streaming chunker (chunk-pool.ts), whose replies are acknowledged one by one, has its own protocol.
 */
import type { Transferable, Worker } from 'node:worker_threads';
import { spawnWorker, workerAvailable } from './worker-spawn.js';

/** What a worker sends back: a reply, an event or an error (with the error's class name) for request `seq`. */
export interface Reply {
  seq: number;
  event?: boolean;
  error?: string;
  errorName?: string;
}

export interface PoolOptions {
  /** Workers started on the first request. */
  size: number;
  workerData?: unknown;
  /** An idle pool does not keep the process alive. */
  unref?: boolean;
  /** The Error for a reply's `error` and `errorName` (default: a plain Error). */
  errorOf?: (message: string, name: string | undefined) => Error;
}

interface Pending<R> {
  resolve: (r: R) => void;
  reject: (e: Error) => void;
  onEvent: ((r: R) => void) | undefined;
  worker: number;
}

/** The transfer list that moves `b`'s memory to another thread: empty when `b` shares it (a pooled slab). */
export function movable(b: Uint8Array): ArrayBuffer[] {
  return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer
    ? [b.buffer]
    : [];
}

/** A Uint8Array that came through structured clone, as a Buffer over the same memory. */
export const asBuffer = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

export class WorkerPool<Req extends object, Rep extends Reply> {
  private readonly workers: Worker[] = [];
  private readonly busy: number[] = [];
  private readonly open = new Map<number, Pending<Rep>>();
  private seq = 0;
  private closing = false;

  /** @param importMetaUrl and `name`: the worker module beside the caller (see {@link spawnWorker}) */
  constructor(
    private readonly importMetaUrl: string,
    private readonly name: string,
    private readonly opts: PoolOptions,
  ) {}

  /** True when the worker module ships beside the caller (not in some single-file bundles). */
  static available(importMetaUrl: string, name: string): boolean {
    return workerAvailable(importMetaUrl, name);
  }

  private spawn(): void {
    const errorOf = this.opts.errorOf ?? ((m: string) => new Error(m));
    for (let i = 0; i < Math.max(1, this.opts.size); i++) {
      const w = spawnWorker(this.importMetaUrl, this.name, this.opts.workerData);
      if (this.opts.unref) w.unref();
      w.on('message', (m: Rep) => {
        const p = this.open.get(m.seq);
        if (!p) return;
        if (m.event) return p.onEvent?.(m);
        this.open.delete(m.seq);
        this.busy[p.worker]!--;
        if (m.error !== undefined) p.reject(errorOf(m.error, m.errorName));
        else p.resolve(m);
      });
      const failAll = (e: Error): void => {
        for (const p of this.open.values()) p.reject(e);
        this.open.clear();
        this.busy.fill(0);
      };
      w.on('error', failAll);
      w.on('exit', (code) => {
        if (!this.closing) failAll(new Error(`${this.name} exited (code ${code})`));
      });
      this.workers.push(w);
      this.busy.push(0);
    }
  }

  /** The index of the worker with the fewest open requests. */
  private pick(): number {
    let w = 0;
    for (let i = 1; i < this.workers.length; i++) if (this.busy[i]! < this.busy[w]!) w = i;
    return w;
  }

  /** Sends `msg` (with its `seq` added) to the least busy worker; resolves with the reply. */
  request(msg: Req, transfer: readonly Transferable[] = [], onEvent?: (r: Rep) => void): Promise<Rep> {
    if (this.closing) return Promise.reject(new Error(`${this.name} pool is closed`));
    if (this.workers.length === 0) this.spawn();
    const seq = this.seq++;
    const worker = this.pick();
    const w = this.workers[worker]!;
    return new Promise<Rep>((resolve, reject) => {
      this.open.set(seq, { resolve, reject, onEvent, worker });
      this.busy[worker]!++;
      try {
        w.postMessage({ ...msg, seq }, transfer);
      } catch {
        // Some native buffers cannot be moved: they are copied instead.
        w.postMessage({ ...msg, seq });
      }
    });
  }

  /** Stops the workers; requests still open are rejected. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
    for (const p of this.open.values()) p.reject(new Error(`${this.name} pool closed`));
    this.open.clear();
  }
}

/** What a worker replies when `e` was thrown (see {@link Reply}). */
export function errorReply(seq: number, e: unknown): Reply {
  return e instanceof Error ? { seq, error: e.message, errorName: e.name } : { seq, error: String(e) };
}
