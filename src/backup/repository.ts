/**
 * An opened repository: master key, config and master index, with the read primitives every command builds on.
 * The write side (packer, archiver) lives in its own files and uses {@link Repository.saveUnpacked}, the key and config.
 */
import type { Backend } from './backend/backend.js';
import { loadConfig, type RepoConfig } from './config.js';
import type { MasterKey } from './crypto.js';
import { BlobNotFoundError, FormatError, IntegrityError, SnapshotNotFoundError } from './errors.js';
import { loadMasterIndex, MasterIndex, type BlobLocation, type IndexLoadError } from './index.js';
import { openKey } from './keys.js';
import type { BlobType } from './pack.js';
import { decodeSnapshot, type StoredSnapshot } from './snapshot.js';
import { decodeTree, type Tree } from './tree.js';
import { loadUnpacked, saveUnpacked, type UnpackedType } from './unpacked.js';
import { openBlob, OpenPool } from './open-blob.js';
import { writeWholeFiles, type WholeJob, type WholeResult } from './restore-whole.js';

/** Options of {@link Repository.open}. */
export interface OpenOptions {
  /** Key id (prefix) to try first. */
  keyHint?: string;
  /** Skip loading the index (for key management, or commands that rebuild it). */
  noIndex?: boolean;
}

/** Snapshot selection as restic's --host / --path / --tag. */
export interface SnapshotFilter {
  /** Match any of these hosts. */
  hosts?: string[];
  /** The snapshot must hold all of these paths. */
  paths?: string[];
  /** Each entry is a group (restic's comma-separated --tag a,b): a snapshot matches when it has every tag of any group. */
  tags?: string[][];
}

/**
 * What {@link Repository.listSnapshots} does with a snapshot file it cannot read: `skip` it with a warning
 * (restic lists the intact ones), `fail`, or call a handler.
 */
export type OnDamagedSnapshot = 'skip' | 'fail' | ((id: string, e: Error) => void);

/** True when a snapshot passes the filter. */
export function matchesFilter(s: StoredSnapshot, f: SnapshotFilter = {}): boolean {
  if (f.hosts?.length && !f.hosts.includes(s.hostname ?? '')) return false;
  if (f.paths?.length && !f.paths.every((p) => s.paths.includes(p))) return false;
  if (f.tags?.length && !f.tags.some((g) => g.every((t) => (s.tags ?? []).includes(t)))) return false;
  return true;
}

const TREE_CACHE = 256;
// Below this size, posting a blob to a worker costs more than opening it here.
const WORKER_MIN = 64 * 1024;

/** An opened repository. */
export class Repository {
  /** Index files that could not be read at open time. */
  indexErrors: IndexLoadError[] = [];
  /** Ids of the index files loaded. */
  indexIds: string[] = [];
  /** Receives warnings of reads that carry on past a problem (a damaged snapshot skipped); the CLI prints them. */
  onWarning: (message: string) => void = () => undefined;
  private readonly trees = new Map<string, Tree>();
  private pool: OpenPool | undefined;
  private poolUsers = 0;

  /** Builds a repository from parts (used by `init`, which has just made key and config). */
  constructor(
    readonly backend: Backend,
    readonly key: MasterKey,
    readonly keyId: string,
    readonly config: RepoConfig,
    public index: MasterIndex = new MasterIndex(),
  ) {}

  /** Opens a repository: finds the key for `password`, loads config and (unless `noIndex`) every index file. */
  static async open(
    backend: Backend,
    password: string | Buffer,
    opts: OpenOptions = {},
  ): Promise<Repository> {
    const { masterKey, keyId } = await openKey(backend, password, opts.keyHint);
    const config = await loadConfig(backend, masterKey);
    const repo = new Repository(backend, masterKey, keyId, config);
    if (!opts.noIndex) await repo.reloadIndex();
    return repo;
  }

  /** Repository format version. */
  get version(): 1 | 2 {
    return this.config.version;
  }

  /** Re-reads every index file (after another process wrote some). Returns the files that failed. */
  async reloadIndex(): Promise<IndexLoadError[]> {
    const r = await loadMasterIndex(this.backend, this.key);
    this.index = r.index;
    this.indexErrors = r.errors;
    this.indexIds = r.indexIds;
    return r.errors;
  }

  /**
   * Turns the stored bytes of a blob into its plaintext: verify MAC, decrypt, decompress, and check that the plaintext
   * hashes to `id`. Throws {@link IntegrityError} or {@link FormatError}.
   */
  decodeBlob(id: string, loc: Pick<BlobLocation, 'uncompressedLength' | 'length'>, raw: Buffer): Buffer {
    if (raw.length !== loc.length)
      throw new IntegrityError(`blob ${id}: read ${raw.length} bytes, index says ${loc.length}`);
    return openBlob(this.key, id, loc.uncompressedLength, raw);
  }

  /** Like {@link decodeBlob}, on a worker thread when {@link withWorkers} is active and the blob is large. */
  async decodeBlobAsync(
    id: string,
    loc: Pick<BlobLocation, 'uncompressedLength' | 'length'>,
    raw: Buffer,
  ): Promise<Buffer> {
    if (!this.pool || raw.length < WORKER_MIN) return this.decodeBlob(id, loc, raw);
    if (raw.length !== loc.length)
      throw new IntegrityError(`blob ${id}: read ${raw.length} bytes, index says ${loc.length}`);
    return this.pool.open(id, loc.uncompressedLength, raw);
  }

  /**
   * Restores small files whole from one pack range (restore-whole.ts): on a worker when {@link withWorkers} is
   * active, else here (synchronous calls). `job.data` is handed over: the caller must not use it afterwards.
   */
  async writeWhole(job: WholeJob): Promise<WholeResult> {
    return this.pool ? this.pool.whole(job) : writeWholeFiles(this.key, job);
  }

  /**
   * Runs `fn` with blob decoding spread over worker threads (MAC, decrypt, decompress, hash). Nested calls share one
   * pool; it stops when the outermost call ends. Restore and check use it; small tools need not.
   */
  async withWorkers<T>(fn: () => Promise<T>, size?: number): Promise<T> {
    if (this.poolUsers++ === 0) this.pool = new OpenPool(this.key, size);
    try {
      return await fn();
    } finally {
      if (--this.poolUsers === 0) {
        const p = this.pool;
        this.pool = undefined;
        await p?.close();
      }
    }
  }

  /** Loads a blob's plaintext, trying every copy the index knows. Throws {@link BlobNotFoundError} when unindexed. */
  async loadBlob(type: BlobType, id: string): Promise<Buffer> {
    const locs = this.index.lookup(type, id);
    if (locs.length === 0) throw new BlobNotFoundError(type, id);
    let last: unknown;
    for (const l of locs) {
      try {
        const raw = await this.backend.load({ type: 'pack', name: l.packId }, l.offset, l.length);
        return await this.decodeBlobAsync(id, l, raw);
      } catch (e) {
        last = e;
      }
    }
    throw last instanceof Error ? last : new Error(String(last));
  }

  /** Loads and decodes a tree (small LRU cache: restore and diff revisit trees). */
  async loadTree(id: string): Promise<Tree> {
    const hit = this.trees.get(id);
    if (hit) {
      this.trees.delete(id);
      this.trees.set(id, hit);
      return hit;
    }
    const t = decodeTree(await this.loadBlob('tree', id));
    this.trees.set(id, t);
    if (this.trees.size > TREE_CACHE) this.trees.delete(this.trees.keys().next().value!);
    return t;
  }

  /** Loads one snapshot by full id. */
  async loadSnapshot(id: string): Promise<StoredSnapshot> {
    return { ...decodeSnapshot(await loadUnpacked(this.backend, this.key, 'snapshot', id)), id };
  }

  /**
   * Every snapshot matching the filter, oldest first. An unreadable snapshot file is skipped with a warning
   * ({@link onWarning}) unless `onError` says otherwise: one damaged file must not block listing, forget or
   * the next backup. Whatever must see every snapshot (prune's used-blob walk) passes `fail`.
   */
  async listSnapshots(
    filter: SnapshotFilter = {},
    onError: OnDamagedSnapshot = 'skip',
  ): Promise<StoredSnapshot[]> {
    const names: string[] = [];
    for await (const f of this.backend.list('snapshot')) names.push(f.name);
    const out: StoredSnapshot[] = [];
    let next = 0;
    let failure: Error | undefined;
    const damaged = (name: string, e: unknown): void => {
      const err = e instanceof Error ? e : new Error(String(e));
      if (onError === 'fail') failure ??= err;
      else if (onError === 'skip') this.onWarning(`skipping snapshot ${name.slice(0, 8)}: ${err.message}`);
      else onError(name, err);
    };
    // A few loads in flight: remote backends answer each request with latency.
    const worker = async (): Promise<void> => {
      while (next < names.length && failure === undefined) {
        const name = names[next++]!;
        try {
          const s = await this.loadSnapshot(name);
          if (matchesFilter(s, filter)) out.push(s);
        } catch (e) {
          damaged(name, e);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(8, names.length) }, worker));
    if (failure !== undefined) throw failure;
    return out.sort((a, b) =>
      a.time.ns < b.time.ns ? -1 : a.time.ns > b.time.ns ? 1 : a.id < b.id ? -1 : 1,
    );
  }

  /**
   * Finds one snapshot: `latest` (newest matching the filter) or a unique id prefix.
   * Throws {@link SnapshotNotFoundError} when nothing or more than one snapshot matches.
   */
  async findSnapshot(ref: string, filter: SnapshotFilter = {}): Promise<StoredSnapshot> {
    if (ref === 'latest') {
      const all = await this.listSnapshots(filter);
      const s = all[all.length - 1];
      if (!s) throw new SnapshotNotFoundError('no snapshot matched the filter');
      return s;
    }
    if (!/^[0-9a-f]{1,64}$/.test(ref))
      throw new SnapshotNotFoundError(`invalid snapshot id ${JSON.stringify(ref)}`);
    const hits: string[] = [];
    for await (const f of this.backend.list('snapshot')) if (f.name.startsWith(ref)) hits.push(f.name);
    if (hits.length === 0) throw new SnapshotNotFoundError(`no snapshot with id ${ref}`);
    if (hits.length > 1)
      throw new SnapshotNotFoundError(`snapshot id prefix ${ref} is ambiguous (${hits.length} matches)`);
    return this.loadSnapshot(hits[0]!);
  }

  /** Encrypts (and in v2 compresses) a JSON document into `type/<id>`; returns the id. */
  async saveUnpacked(type: UnpackedType, json: string | Uint8Array): Promise<string> {
    return saveUnpacked(this.backend, this.key, this.config.version, type, json);
  }

  /** Loads an unpacked file's JSON bytes (hash, MAC and encoding checked). */
  async loadUnpacked(type: UnpackedType, id: string): Promise<Buffer> {
    return loadUnpacked(this.backend, this.key, type, id);
  }
}

export { FormatError, IntegrityError };
