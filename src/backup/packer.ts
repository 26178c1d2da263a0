/**
 * The blob saver of the write path: dedups blobs against the repository's index and against blobs
 * already queued in this session, compresses (v2) and encrypts them, fills pack files (data and tree
 * blobs in separate packs, 16 MiB target), writes each full pack, and writes index files for the
 * packs written (cut at 50,000 blobs). `flush()` writes the last packs and then the index, so a
 * snapshot saved after it only references indexed blobs (write order: packs, index, snapshot).
 */
import type { Backend } from './backend/backend.js';
import type { MasterKey } from './crypto.js';
import { CRYPTO_OVERHEAD, sha256Hex } from './crypto.js';
import type { BlobType, PackedBlob } from './pack.js';
import { entrySize, sealPackHeader } from './pack.js';
import { encodeIndex } from './index.js';
import { sealBlob } from './seal-pool.js';
import type { SealPool } from './seal-pool.js';
import { ZSTD_DEFAULT, ZSTD_MAX } from './zstd.js';

/** `--compression`: restic's modes. `auto` and `max` compress every data blob in v2; `off` stores them raw. */
export type CompressionMode = 'auto' | 'off' | 'max';

/** Default pack size target (restic: 16 MiB). */
export const DEFAULT_PACK_SIZE = 16 * 1024 * 1024;
/** Blobs per index file before it is cut (restic: 50,000). */
export const INDEX_MAX_BLOBS = 50_000;

/** What the saver needs from an open repository. */
export interface PackerTarget {
  readonly backend: Backend;
  readonly key: MasterKey;
  /** Repository version: 2 allows compression. */
  readonly version: 1 | 2;
  /** True when the blob is already stored (listed in a loaded index). */
  hasBlob(type: BlobType, id: string): boolean;
  /** Encrypts and stores an index JSON document; returns the index file id. */
  saveIndexJson(json: string): Promise<string>;
  /** Called after an index file is written, so the repository's index knows the new packs. */
  onPacksIndexed?(packs: { id: string; blobs: PackedBlob[] }[]): void;
}

/**
 * A pack could not be stored (after the backend's own retries). Every blob queued in that pack is
 * lost, and so is every file or tree that names one of them, so the saver refuses all further work:
 * the caller must abort without writing a snapshot (restic: "unable to save snapshot").
 */
export class PackSaveError extends Error {
  override readonly name = 'PackSaveError';
  constructor(
    readonly packId: string,
    cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

/** Options of {@link BlobSaver}. */
export interface BlobSaverOptions {
  compression?: CompressionMode;
  /** Pack size target in bytes (`--pack-size` MiB × 2^20). */
  packSize?: number;
  /** Worker-thread pool for sealing; without it blobs are sealed on the calling thread. */
  pool?: SealPool;
  /** Blobs per index file before it is cut (default {@link INDEX_MAX_BLOBS}; tests lower it). */
  indexMaxBlobs?: number;
  /** `--dry-run`: blobs are compressed, sealed and counted as usual, but no pack or index is written. */
  dryRun?: boolean;
}

/** Result of saving one blob. */
export interface SaveResult {
  id: string;
  /** True when the blob was already stored or queued (nothing new written). */
  known: boolean;
  /** Stored (encrypted, maybe compressed) size when new, else 0. */
  storedSize: number;
}

interface OpenPack {
  parts: Buffer[];
  blobs: PackedBlob[];
  /** Bytes of blobs so far (the next blob's offset). */
  dataLen: number;
  /** Blob bytes plus header entries: the pack's size without the header's crypto overhead. */
  size: number;
}

/** Statistics of what a saver wrote. */
export interface SaverStats {
  dataBlobs: number;
  treeBlobs: number;
  /** Uncompressed bytes of new blobs (restic's data_added). */
  dataAdded: number;
  /** Stored bytes of new blobs (restic's data_added_packed). */
  dataAddedPacked: number;
  packs: number;
  indexFiles: number;
}

/** Saves blobs into packs; one instance per backup (or prune). Not reusable after {@link BlobSaver.flush}. */
export class BlobSaver {
  private readonly compression: CompressionMode;
  private readonly packSize: number;
  private readonly pending = new Set<string>();
  private readonly open: Record<BlobType, OpenPack> = { data: newPack(), tree: newPack() };
  private indexPacks: { id: string; blobs: PackedBlob[] }[] = [];
  private indexBlobs = 0;
  private writes: Promise<void>[] = [];
  /** Counters for the snapshot summary. */
  readonly stats: SaverStats = {
    dataBlobs: 0,
    treeBlobs: 0,
    dataAdded: 0,
    dataAddedPacked: 0,
    packs: 0,
    indexFiles: 0,
  };
  /** Ids of every pack and index file written, for callers that need to undo or report. */
  readonly writtenPacks: string[] = [];
  readonly writtenIndexes: string[] = [];

  constructor(
    private readonly repo: PackerTarget,
    opts: BlobSaverOptions = {},
  ) {
    this.compression = repo.version === 1 ? 'off' : (opts.compression ?? 'auto');
    this.packSize = opts.packSize ?? DEFAULT_PACK_SIZE;
    this.pool = opts.pool;
    this.indexMaxBlobs = opts.indexMaxBlobs ?? INDEX_MAX_BLOBS;
    this.dryRun = opts.dryRun ?? false;
  }

  private readonly dryRun: boolean;

  private readonly indexMaxBlobs: number;

  private readonly pool: SealPool | undefined;

  /** The first pack write that failed (or the abort); once set, every call fails with it. */
  private failure: Error | undefined;

  /** What stopped this saver, if anything: a pack that could not be stored, or {@link abort}. */
  get failed(): Error | undefined {
    return this.failure;
  }

  /** Throws the saver's failure, if any: a caller that caught some error rethrows this one instead. */
  throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }

  /** True when the blob is stored or queued; lets callers skip work (e.g. reading a tree) early. */
  has(type: BlobType, id: string): boolean {
    return this.pending.has(`${type}:${id}`) || this.repo.hasBlob(type, id);
  }

  /**
   * Saves one blob unless already known. `id` may be passed when the caller hashed the plaintext already.
   * Resolves once the blob is queued in a pack (not yet durable: call {@link flush}). With a seal pool,
   * `plaintext` may be detached (its memory moved to the worker): do not use it afterwards.
   */
  async save(type: BlobType, plaintext: Buffer, id = sha256Hex(plaintext)): Promise<SaveResult> {
    this.throwIfFailed();
    const k = `${type}:${id}`;
    if (this.pending.has(k) || this.repo.hasBlob(type, id)) return { id, known: true, storedSize: 0 };
    this.pending.add(k);
    // Trees are always compressed in v2 (as restic does); data blobs unless --compression off. Empty blobs cannot be.
    // Lengths are taken first: a buffer that owns its memory may be handed (detached) to a seal worker.
    const plainLen = plaintext.length;
    const compress =
      this.repo.version === 2 && plaintext.length > 0 && (type === 'tree' || this.compression !== 'off');
    const level = compress ? (this.compression === 'max' ? ZSTD_MAX : ZSTD_DEFAULT) : undefined;
    const sealed = this.pool
      ? await this.pool.seal(plaintext, level)
      : sealBlob(this.repo.key, plaintext, level);
    const blob: PackedBlob = { type, id, offset: 0, length: sealed.length };
    if (compress) blob.uncompressedLength = plainLen;
    this.add(type, blob, sealed);
    if (type === 'data') this.stats.dataBlobs++;
    else this.stats.treeBlobs++;
    this.stats.dataAdded += plainLen;
    this.stats.dataAddedPacked += sealed.length;
    await this.backpressure();
    return { id, known: false, storedSize: sealed.length };
  }

  /**
   * Adds an already sealed blob (as read from another pack) without recompressing or re-encrypting;
   * used by prune to repack. Dedups only against blobs queued by this saver.
   */
  async saveRaw(type: BlobType, id: string, sealed: Buffer, uncompressedLength?: number): Promise<boolean> {
    this.throwIfFailed();
    const k = `${type}:${id}`;
    if (this.pending.has(k)) return false;
    this.pending.add(k);
    const blob: PackedBlob = { type, id, offset: 0, length: sealed.length };
    if (uncompressedLength !== undefined) blob.uncompressedLength = uncompressedLength;
    this.add(type, blob, sealed);
    await this.backpressure();
    return true;
  }

  private add(type: BlobType, blob: PackedBlob, sealed: Buffer): void {
    const p = this.open[type];
    blob.offset = p.dataLen;
    p.dataLen += sealed.length;
    p.parts.push(sealed);
    p.blobs.push(blob);
    p.size += sealed.length + entrySize(blob);
    if (p.size >= this.packSize - CRYPTO_OVERHEAD - 4) {
      this.open[type] = newPack();
      this.queueWrite(p);
    }
  }

  private queueWrite(p: OpenPack): void {
    const w = this.writePack(p);
    // Awaited later (backpressure, drain); the handler keeps a failure from being an unhandled rejection
    // (which would end the process with a stack trace and the lock left behind) before then.
    w.catch(() => undefined);
    this.writes.push(w);
  }

  private async backpressure(): Promise<void> {
    // At most one pack write queued behind the current one: bounds memory while uploads overlap packing.
    while (this.writes.length > 1) {
      const w = this.writes.shift()!;
      await w;
    }
  }

  private async writePack(p: OpenPack): Promise<void> {
    const tail = sealPackHeader(this.repo.key, p.blobs);
    const file = Buffer.concat([...p.parts, tail]);
    const id = sha256Hex(file);
    this.stats.packs++;
    this.stats.dataAddedPacked += tail.length;
    if (this.dryRun) return;
    try {
      this.throwIfFailed();
      await this.repo.backend.save({ type: 'pack', name: id }, file);
    } catch (e) {
      // Only packs written in full are ever indexed: a failed pack's blobs stay out of every index.
      this.failure ??= new PackSaveError(id, e);
      throw this.failure;
    }
    this.writtenPacks.push(id);
    this.indexPacks.push({ id, blobs: p.blobs });
    this.indexBlobs += p.blobs.length;
    if (this.indexBlobs >= this.indexMaxBlobs) await this.writeIndex();
  }

  private async writeIndex(): Promise<void> {
    if (this.indexPacks.length === 0) return;
    const packs = this.indexPacks;
    this.indexPacks = [];
    this.indexBlobs = 0;
    const id = await this.repo.saveIndexJson(encodeIndex(packs));
    this.writtenIndexes.push(id);
    this.stats.indexFiles++;
    this.repo.onPacksIndexed?.(packs);
  }

  /**
   * Writes an index for packs written so far without closing open packs. Lets a long backup leave
   * resumable state behind (restic writes intermediate index files too).
   */
  async checkpoint(): Promise<void> {
    await this.drain();
    this.throwIfFailed();
    await this.writeIndex();
  }

  private async drain(): Promise<void> {
    while (this.writes.length > 0) await this.writes.shift();
  }

  /** Writes the open packs, waits for all pack writes, then writes the index. */
  async flush(): Promise<void> {
    for (const type of ['data', 'tree'] as const) {
      const p = this.open[type];
      if (p.blobs.length > 0) {
        this.open[type] = newPack();
        this.queueWrite(p);
      }
    }
    await this.drain();
    this.throwIfFailed();
    await this.writeIndex();
  }

  /**
   * After a failure: waits for the pack writes still in flight (ignoring their errors) and writes nothing
   * more, so no upload runs on after the caller has released its lock. The packs written stay unindexed
   * (restic leaves them likewise); `prune` removes them.
   */
  async abort(): Promise<void> {
    this.failure ??= new Error('backup aborted');
    while (this.writes.length > 0) await this.writes.shift()!.catch(() => undefined);
  }
}

function newPack(): OpenPack {
  return { parts: [], blobs: [], dataLen: 0, size: 0 };
}
