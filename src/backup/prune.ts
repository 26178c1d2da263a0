/**
 * `prune`: removes data no snapshot uses. Under an exclusive lock it finds the used blobs (walking
 * every snapshot's trees), classifies each pack (fully used, partly used, unused), repacks the used
 * blobs of partly used packs while unused space exceeds `maxUnused` (restic's default: 5 % of the
 * used size), writes a complete new index, deletes the old index files and only then the packs.
 *
 * Safety: it refuses to run when an index file is unreadable or a used blob is not in the index or
 * its pack is gone (deleting could then lose data). Packs not listed in any index (left by an
 * interrupted backup) are deleted; duplicate copies of a blob count as unused.
 */
import { encodeIndex } from './index.js';
import type { IndexPack } from './index.js';
import { withLock } from './lock.js';
import type { LockTiming } from './lock.js';
import type { BlobType, PackedBlob } from './pack.js';
import { BlobSaver, INDEX_MAX_BLOBS } from './packer.js';
import { lockTarget } from './repo-adapters.js';
import type { Repository } from './repository.js';

/** Options of {@link prune}. */
export interface PruneOptions {
  /** Tolerated unused bytes as a fraction of used bytes (restic `--max-unused 5%` = 0.05). */
  maxUnused?: number;
  dryRun?: boolean;
  packSize?: number;
  lockTiming?: LockTiming;
  /** Progress messages (the CLI prints them). */
  log?: (msg: string) => void;
}

/** What prune found and did. */
export interface PruneStats {
  usedBlobs: number;
  usedBytes: number;
  unusedBytes: number;
  duplicateBlobs: number;
  packsRemoved: number;
  packsRepacked: number;
  packsUnindexed: number;
  bytesFreed: number;
  indexFilesWritten: number;
  indexFilesRemoved: number;
}

/** Raised when pruning would be unsafe; nothing was changed. */
export class PruneRefusedError extends Error {
  override readonly name = 'PruneRefusedError';
}

const key = (t: BlobType, id: string): string => `${t === 'tree' ? 't' : 'd'}${id}`;

/** Every blob the snapshots reference (tree walk); throws when a tree cannot be read. */
export async function findUsedBlobs(repo: Repository): Promise<Set<string>> {
  const used = new Set<string>();
  const stack: string[] = [];
  for (const s of await repo.listSnapshots()) stack.push(s.tree);
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (used.has(key('tree', id))) continue;
    used.add(key('tree', id));
    let tree;
    try {
      tree = await repo.loadTree(id);
    } catch (e) {
      throw new PruneRefusedError(
        `tree ${id} cannot be loaded (${e instanceof Error ? e.message : String(e)}); run check, refusing to prune`,
      );
    }
    for (const n of tree.nodes) {
      if (n.subtree) stack.push(n.subtree);
      for (const c of n.content ?? []) used.add(key('data', c));
    }
  }
  return used;
}

interface PackPlan {
  id: string;
  blobs: PackedBlob[];
  used: PackedBlob[];
  usedBytes: number;
  unusedBytes: number;
}

/** Runs prune (see module comment). */
export async function prune(repo: Repository, opts: PruneOptions = {}): Promise<PruneStats> {
  return withLock(lockTarget(repo), true, () => pruneLocked(repo, opts), opts.lockTiming);
}

async function pruneLocked(repo: Repository, opts: PruneOptions): Promise<PruneStats> {
  const log = opts.log ?? (() => undefined);
  const errors = await repo.reloadIndex();
  if (errors.length > 0)
    throw new PruneRefusedError(
      `index ${errors[0]!.indexId} cannot be read (${errors[0]!.error.message}); run check / repair index first`,
    );
  log('loading all snapshots and finding used blobs');
  const used = await findUsedBlobs(repo);
  const stored = new Map<string, number>();
  for await (const f of repo.backend.list('pack')) stored.set(f.name, f.size);

  // Assign each used blob to exactly one stored copy; every other copy is a duplicate (unused).
  const packs = new Map<string, PackPlan>();
  const owner = new Map<string, string>();
  let duplicateBlobs = 0;
  for (const e of repo.index.entries()) {
    let p = packs.get(e.packId);
    if (!p) {
      p = { id: e.packId, blobs: [], used: [], usedBytes: 0, unusedBytes: 0 };
      packs.set(e.packId, p);
    }
    const b: PackedBlob = { type: e.type, id: e.id, offset: e.offset, length: e.length };
    if (e.uncompressedLength !== undefined) b.uncompressedLength = e.uncompressedLength;
    p.blobs.push(b);
    const k = key(e.type, e.id);
    if (used.has(k) && stored.has(e.packId) && !owner.has(k)) {
      owner.set(k, e.packId);
      p.used.push(b);
      p.usedBytes += b.length;
    } else {
      if (used.has(k)) duplicateBlobs++;
      p.unusedBytes += b.length;
    }
  }
  for (const k of used) {
    if (!owner.has(k))
      throw new PruneRefusedError(
        `used ${k[0] === 't' ? 'tree' : 'data'} blob ${k.slice(1)} is missing from the index or its pack is gone; run check, refusing to prune`,
      );
  }

  const remove: PackPlan[] = [];
  const partial: PackPlan[] = [];
  const keep: PackPlan[] = [];
  let usedBytes = 0;
  let unusedBytes = 0;
  for (const p of packs.values()) {
    usedBytes += p.usedBytes;
    if (!stored.has(p.id)) continue; // in the index but gone: just dropped from the new index
    unusedBytes += p.unusedBytes;
    if (p.used.length === 0) remove.push(p);
    else if (p.unusedBytes > 0) partial.push(p);
    else keep.push(p);
  }
  // Repack the most wasteful packs first until what stays unused is within the tolerance.
  const maxUnused = (opts.maxUnused ?? 0.05) * usedBytes;
  let remainingUnused = partial.reduce((a, p) => a + p.unusedBytes, 0);
  partial.sort((a, b) => b.unusedBytes / (b.usedBytes + 1) - a.unusedBytes / (a.usedBytes + 1));
  const repack: PackPlan[] = [];
  for (const p of partial) {
    if (remainingUnused > maxUnused) {
      repack.push(p);
      remainingUnused -= p.unusedBytes;
    } else keep.push(p);
  }
  const unindexed = [...stored.keys()].filter((id) => !packs.has(id));
  const stats: PruneStats = {
    usedBlobs: used.size,
    usedBytes,
    unusedBytes,
    duplicateBlobs,
    packsRemoved: remove.length + unindexed.length,
    packsRepacked: repack.length,
    packsUnindexed: unindexed.length,
    bytesFreed:
      remove.reduce((a, p) => a + (stored.get(p.id) ?? 0), 0) +
      unindexed.reduce((a, id) => a + (stored.get(id) ?? 0), 0),
    indexFilesWritten: 0,
    indexFilesRemoved: 0,
  };
  log(
    `to repack: ${repack.length} packs, to delete: ${remove.length} unused + ${unindexed.length} unindexed packs`,
  );
  if (opts.dryRun) return stats;

  // Repack: copy the sealed bytes of used blobs, after checking each decrypts to its id.
  const newPacks: IndexPack[] = [];
  const saver = new BlobSaver(
    {
      backend: repo.backend,
      key: repo.key,
      version: repo.version,
      hasBlob: () => false,
      saveIndexJson: () => Promise.resolve(''),
      onPacksIndexed: (ps) => newPacks.push(...ps),
    },
    { packSize: opts.packSize },
  );
  for (const p of repack) {
    const raw = await repo.backend.load({ type: 'pack', name: p.id });
    for (const b of p.used) {
      const sealed = raw.subarray(b.offset, b.offset + b.length);
      repo.decodeBlob(b.id, b, sealed);
      await saver.saveRaw(b.type, b.id, Buffer.from(sealed), b.uncompressedLength);
      stats.bytesFreed -= b.length;
    }
    stats.bytesFreed += stored.get(p.id) ?? 0;
  }
  await saver.flush();

  // New complete index: kept packs (all their blobs, as check requires) plus the repacked ones.
  const all: IndexPack[] = [...keep.map((p) => ({ id: p.id, blobs: p.blobs })), ...newPacks];
  const written: string[] = [];
  let batch: IndexPack[] = [];
  let n = 0;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    written.push(await repo.saveUnpacked('index', encodeIndex(batch)));
    batch = [];
    n = 0;
  };
  for (const p of all) {
    batch.push(p);
    n += p.blobs.length;
    if (n >= INDEX_MAX_BLOBS) await flush();
  }
  await flush();
  stats.indexFilesWritten = written.length;
  const fresh = new Set(written);
  for (const id of repo.indexIds) {
    if (fresh.has(id)) continue;
    await repo.backend.remove({ type: 'index', name: id });
    stats.indexFilesRemoved++;
  }
  for (const id of [...remove.map((p) => p.id), ...repack.map((p) => p.id), ...unindexed]) {
    await repo.backend.remove({ type: 'pack', name: id });
  }
  await repo.reloadIndex();
  return stats;
}
