/**
 * Open file handles of a restore, kept while a file's blobs are written: opening and closing the target
 * for every blob cost more than writing it (thread-pool round trips). At most `limit` idle handles stay
 * open; the least recently used idle one is closed first, and reopened if more of its blobs come.
 */
import type { promises as fs } from 'node:fs';

interface Entry {
  fh: Promise<fs.FileHandle>;
  /** Writes using the handle now: it is closed only when this is 0. */
  users: number;
  /** Close as soon as the last user is done (file finished or failed). */
  retired: boolean;
}

/** Handles by file index, in least-recently-used order. */
export class HandleCache {
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  private readonly open = new Map<number, Entry>();
  private readonly closing = new Set<Promise<void>>();

  /**
   * @param limit open handles kept (may be exceeded while more are in use at once)
   * @param opener opens file `i` for writing (creating it the first time)
   * @param onCloseError a failed close of file `i` (its data may not be on disk)
   */
  constructor(
    private readonly limit: number,
    private readonly opener: (i: number) => Promise<fs.FileHandle>,
    private readonly onCloseError: (i: number, e: unknown) => void,
  ) {}

  /** Runs `fn` with an open handle of file `i`; an open failure rejects. */
  async use<T>(i: number, fn: (fh: fs.FileHandle) => Promise<T>): Promise<T> {
    let e = this.open.get(i);
    if (e && !e.retired) this.open.delete(i);
    else {
      // A retired handle is still in use elsewhere: it closes on its own, this write gets a new one.
      e = { fh: this.opener(i), users: 0, retired: false };
    }
    this.open.set(i, e);
    e.users++;
    const entry = e;
    this.evict();
    try {
      return await fn(await entry.fh);
    } finally {
      entry.users--;
      if (entry.retired) this.closeIdle(i, entry);
      else this.evict();
    }
  }

  /** Closes file `i`'s handle now, or when its writes in flight are done; close errors reject. */
  async retire(i: number): Promise<void> {
    const e = this.open.get(i);
    if (!e) return;
    e.retired = true;
    if (e.users === 0) await this.close(i, e);
  }

  /** Closes every handle (after all writes); close errors go to onCloseError. */
  async closeAll(): Promise<void> {
    for (const [i, e] of [...this.open]) this.closeIdle(i, e);
    while (this.closing.size > 0) await Promise.all([...this.closing]);
  }

  /** Closes idle handles, oldest first, while more than `limit` are open. */
  private evict(): void {
    if (this.open.size <= this.limit) return;
    for (const [i, e] of this.open) {
      if (this.open.size <= this.limit) break;
      if (e.users === 0) this.closeIdle(i, e);
    }
  }

  /** Closes an idle entry in the background; its error is reported, not thrown. */
  private closeIdle(i: number, e: Entry): void {
    if (e.users === 0) this.close(i, e).catch((err: unknown) => this.onCloseError(i, err));
  }

  /** Takes an idle entry out and closes it; closeAll waits for this too. */
  private close(i: number, e: Entry): Promise<void> {
    if (this.open.get(i) === e) this.open.delete(i);
    const p = e.fh.then(
      (fh) => fh.close(),
      () => undefined, // never opened: the open error already went to the writer that asked
    );
    const settled = p.then(
      () => undefined,
      () => undefined,
    );
    this.closing.add(settled);
    void settled.then(() => this.closing.delete(settled));
    return p;
  }
}
