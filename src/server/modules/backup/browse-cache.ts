/**
 * Devices' repositories opened for browsing, kept open between requests: opening one costs the key
 * derivation (scrypt) and reading every index file, and a person clicks through folders one request at a
 * time. Snapshots are immutable, so decoded ones are kept; the index is read again when a snapshot appears
 * that it may not cover yet, or when a blob is not where it said (the server's prune moved it).
 */
import { BackendNotFoundError } from '../../../backup/backend/backend.js';
import { BlobNotFoundError } from '../../../backup/errors.js';
import type { BlobType } from '../../../backup/pack.js';
import type { Repository } from '../../../backup/repository.js';
import type { StoredSnapshot } from '../../../backup/snapshot.js';
import type { Tree } from '../../../backup/tree.js';

/** Files and bytes below a tree. */
export interface TreeStats {
  files: number;
  bytes: number;
}

const STATS_MEMO = 200_000;

/** One device's repository, opened, with its snapshots and index kept fresh. */
export class BrowsedRepository {
  private readonly snaps = new Map<string, StoredSnapshot>();
  private indexed = new Set<string>();
  private refreshing: Promise<StoredSnapshot[]> | undefined;
  private reloading: Promise<unknown> | undefined;
  private readonly stats = new Map<string, Promise<TreeStats>>();
  /** Downloads streaming from this repository now: it is not closed under them. */
  active = 0;

  constructor(readonly repo: Repository) {}

  /** Every readable snapshot, newest first (an unreadable one is left out, as restic does). */
  snapshots(): Promise<StoredSnapshot[]> {
    this.refreshing ??= this.refresh().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async refresh(): Promise<StoredSnapshot[]> {
    const names: string[] = [];
    for await (const f of this.repo.backend.list('snapshot')) names.push(f.name);
    const present = new Set(names);
    for (const id of this.snaps.keys()) if (!present.has(id)) this.snaps.delete(id);
    const missing = names.filter((n) => !this.snaps.has(n));
    let next = 0;
    const worker = async () => {
      while (next < missing.length) {
        const id = missing[next++]!;
        try {
          this.snaps.set(id, await this.repo.loadSnapshot(id));
        } catch {
          // damaged or half-written: left out, tried again next time
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(8, missing.length) }, worker));
    // A new snapshot's index files were written before it: read the index again to cover its blobs.
    if (names.some((n) => this.snaps.has(n) && !this.indexed.has(n))) {
      await this.reloadIndex();
      this.indexed = new Set(names);
    }
    return [...this.snaps.values()].sort((a, b) =>
      a.time.ns > b.time.ns ? -1 : a.time.ns < b.time.ns ? 1 : a.id < b.id ? -1 : 1,
    );
  }

  /** Reads every index file again (concurrent callers share one read). */
  reloadIndex(): Promise<unknown> {
    this.reloading ??= this.repo.reloadIndex().finally(() => (this.reloading = undefined));
    return this.reloading;
  }

  /** Runs `fn`, and once more after re-reading the index if a blob was not found where the index said. */
  private async retrying<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (!(e instanceof BlobNotFoundError || e instanceof BackendNotFoundError)) throw e;
      await this.reloadIndex();
      return fn();
    }
  }

  /** A tree (the repository keeps a small cache of them). */
  loadTree(id: string): Promise<Tree> {
    return this.retrying(() => this.repo.loadTree(id));
  }

  /** A blob's plaintext, checked against its id. */
  loadBlob(type: BlobType, id: string): Promise<Buffer> {
    return this.retrying(() => this.repo.loadBlob(type, id));
  }

  /** True when every blob is in the index (read again once when some are not). */
  async hasBlobs(ids: readonly string[]): Promise<boolean> {
    const all = () => ids.every((id) => this.repo.index.lookup('data', id).length > 0);
    if (all()) return true;
    await this.reloadIndex();
    return all();
  }

  /**
   * Files and bytes below a tree, each distinct subtree counted once and remembered: snapshots of one
   * machine share most of their trees, so counting the next one reads only what changed.
   */
  treeStats(treeId: string): Promise<TreeStats> {
    const hit = this.stats.get(treeId);
    if (hit) return hit;
    if (this.stats.size >= STATS_MEMO) this.stats.clear();
    const p = (async () => {
      const t = await this.loadTree(treeId);
      const s: TreeStats = { files: 0, bytes: 0 };
      for (const n of t.nodes) {
        if (n.type === 'file') {
          s.files++;
          s.bytes += n.size ?? 0;
        } else if (n.type === 'dir' && n.subtree) {
          const sub = await this.treeStats(n.subtree);
          s.files += sub.files;
          s.bytes += sub.bytes;
        }
      }
      return s;
    })();
    this.stats.set(treeId, p);
    p.catch(() => this.stats.delete(treeId));
    return p;
  }

  /** Counted stats of a tree if already known, without waiting. */
  knownStats(treeId: string): Promise<TreeStats> | undefined {
    return this.stats.get(treeId);
  }

  close(): Promise<void> {
    return this.repo.backend.close();
  }
}

/**
 * Opened repositories by key (repository and target version), the least recently used closed past `max`,
 * idle ones after `idleMs`, all of them at shutdown. A failed open is not kept.
 */
export class RepositoryCache {
  private readonly open = new Map<string, { repo: Promise<BrowsedRepository>; used: number }>();
  private readonly timer: NodeJS.Timeout;
  private closing = false;

  constructor(
    private readonly max = 16,
    private readonly idleMs = 10 * 60_000,
  ) {
    this.timer = setInterval(() => void this.sweep(Date.now() - this.idleMs), Math.min(idleMs, 60_000));
    this.timer.unref();
  }

  /** The opened repository of `key`, opened by `make` when absent. */
  get(key: string, make: () => Promise<BrowsedRepository>): Promise<BrowsedRepository> {
    const hit = this.open.get(key);
    if (hit) {
      this.open.delete(key);
      this.open.set(key, { ...hit, used: Date.now() });
      return hit.repo;
    }
    const repo = make();
    this.open.set(key, { repo, used: Date.now() });
    repo.catch(() => this.open.delete(key));
    while (this.open.size > this.max) {
      const [oldest, v] = this.open.entries().next().value!;
      this.open.delete(oldest);
      void this.closeOne(v.repo);
    }
    return repo;
  }

  private async closeOne(p: Promise<BrowsedRepository>): Promise<void> {
    const r = await p.catch(() => undefined);
    // A download still streaming keeps its repository: it is closed when idle again (or at shutdown).
    while (r && r.active > 0 && !this.closing) await new Promise((ok) => setTimeout(ok, 1000).unref());
    await r?.close().catch(() => undefined);
  }

  private async sweep(before: number): Promise<void> {
    for (const [k, v] of this.open)
      if (v.used < before) {
        this.open.delete(k);
        await this.closeOne(v.repo);
      }
  }

  /** Closes every repository. */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.timer);
    await this.sweep(Infinity);
  }
}
