/**
 * `prune`: removes data no snapshot uses. Under an exclusive lock it finds the used blobs (walking
 * every snapshot's trees), classifies each pack (fully used, partly used, unused), repacks the used
 * blobs of partly used packs while unused space exceeds `maxUnused` (restic's default: 5 % of the
 * used size), writes a complete new index, deletes the old index files and only then the packs.
 *
 * Repacking follows restic 0.16/0.17: packs fully used but small (under 4 % of the target pack size,
 * or under 80 % with `repackSmall`) are repacked together only when there are at least 10 of them;
 * packs holding trees (or mixed types), and in a version 2 repository packs with uncompressed trees
 * (or uncompressed data with `repackUncompressed`, compressed when rewritten), are repacked whatever
 * `maxUnused` says; `maxRepackSize` stops choosing packs once their total size would reach it;
 * `repackCacheableOnly` leaves every data pack alone.
 *
 * Safety: it refuses to run when an index file is unreadable or a used blob is not in the index or
 * its pack is gone (deleting could then lose data). Packs not listed in any index (left by an
 * interrupted backup) are deleted; duplicate copies of a blob count as unused.
 */
import { writeIndexFiles } from './index.js';
import type { IndexPack } from './index.js';
import { withLock } from './lock.js';
import type { LockTiming } from './lock.js';
import type { BlobType, PackedBlob } from './pack.js';
import { BlobSaver, DEFAULT_PACK_SIZE, INDEX_MAX_BLOBS } from './packer.js';
import { lockTarget } from './repo-adapters.js';
import type { Repository } from './repository.js';
import { errorMessage } from './errors.js';

/** Options of {@link prune}. */
export interface PruneOptions {
  /**
   * Tolerated unused space: a fraction of used bytes (restic `--max-unused 5%` = 0.05), an absolute
   * size (`{ bytes }`, restic `--max-unused 10M`) or `'unlimited'`.
   */
  maxUnused?: number | { bytes: number } | 'unlimited';
  /** Repack packs under 80 % of the target pack size (restic `--repack-small`). */
  repackSmall?: boolean;
  /** Version 2: repack packs with uncompressed data blobs too (restic `--repack-uncompressed`). */
  repackUncompressed?: boolean;
  /** Only repack packs holding tree blobs (restic `--repack-cacheable-only`). */
  repackCacheableOnly?: boolean;
  /** Stop choosing packs to repack once their total size would reach this many bytes. */
  maxRepackSize?: number;
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
  /** Bytes of the packs chosen for repacking. */
  bytesRepacked: number;
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
  // A snapshot that cannot be read still uses its blobs: never skip one here.
  for (const s of await repo.listSnapshots({}, 'fail')) stack.push(s.tree);
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (used.has(key('tree', id))) continue;
    used.add(key('tree', id));
    let tree;
    try {
      tree = await repo.loadTree(id);
    } catch (e) {
      throw new PruneRefusedError(
        `tree ${id} cannot be loaded (${errorMessage(e)}); run check, refusing to prune`,
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
  /** 'tree', 'data' or 'mixed' (from every blob the index lists in it). */
  kind: 'tree' | 'data' | 'mixed';
  /** Some blob is stored uncompressed (only counted in version 2 repositories). */
  uncompressed: boolean;
  size: number;
  mustCompress: boolean;
}

/** Runs prune (see module comment). */
export async function prune(repo: Repository, opts: PruneOptions = {}): Promise<PruneStats> {
  return withLock(lockTarget(repo), true, () => pruneLocked(repo, opts), opts.lockTiming);
}

async function pruneLocked(repo: Repository, opts: PruneOptions): Promise<PruneStats> {
  const log = opts.log ?? (() => undefined);
  if (!opts.dryRun) await repo.backend.removeStaleTemp?.();
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
      p = {
        id: e.packId,
        blobs: [],
        used: [],
        usedBytes: 0,
        unusedBytes: 0,
        kind: e.type,
        uncompressed: false,
        size: stored.get(e.packId) ?? 0,
        mustCompress: false,
      };
      packs.set(e.packId, p);
    }
    if (p.kind !== e.type) p.kind = 'mixed';
    if (repo.version >= 2 && e.uncompressedLength === undefined) p.uncompressed = true;
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

  if (opts.repackUncompressed && repo.version < 2)
    throw new PruneRefusedError('compression (--repack-uncompressed) needs repository version 2');
  if (opts.maxRepackSize !== undefined && !(opts.maxRepackSize >= 0))
    throw new PruneRefusedError('the maximum repack size must be a size of 0 or more bytes');
  const targetPackSize = opts.packSize ?? DEFAULT_PACK_SIZE;
  // A pack at least this large is not "small" (restic: 4 % of the target, 80 % with --repack-small).
  const largeEnough = opts.repackSmall ? (targetPackSize / 5) * 4 : targetPackSize / 25;
  const remove: PackPlan[] = [];
  const candidates: PackPlan[] = [];
  const small: PackPlan[] = [];
  const keep: PackPlan[] = [];
  let usedBytes = 0;
  let unusedBytes = 0;
  for (const p of packs.values()) {
    usedBytes += p.usedBytes;
    if (!stored.has(p.id)) continue; // in the index but gone: just dropped from the new index
    unusedBytes += p.unusedBytes;
    p.mustCompress = p.uncompressed && (p.kind === 'tree' || !!opts.repackUncompressed);
    if (p.used.length === 0) remove.push(p);
    else if (opts.repackCacheableOnly && p.kind === 'data') keep.push(p);
    else if (p.unusedBytes === 0 && p.kind !== 'mixed' && !p.mustCompress) {
      if (p.size >= largeEnough) keep.push(p);
      else small.push(p);
    } else candidates.push(p);
  }
  // Small packs are only worth merging when there are several of them.
  if (small.length < 10) keep.push(...small);
  else candidates.push(...small);
  // Trees first, then small packs, then the most wasteful (unused / used) first.
  const rank = (p: PackPlan): number => (p.kind !== 'data' ? 0 : p.size < largeEnough ? 1 : 2);
  candidates.sort(
    (a, b) => rank(a) - rank(b) || b.unusedBytes / (b.usedBytes + 1) - a.unusedBytes / (a.usedBytes + 1),
  );
  const mu = opts.maxUnused ?? 0.05;
  const maxUnused = mu === 'unlimited' ? Infinity : typeof mu === 'number' ? mu * usedBytes : mu.bytes;
  const maxRepack = opts.maxRepackSize ?? Infinity;
  let remainingUnused = unusedBytes - remove.reduce((a, p) => a + p.unusedBytes, 0);
  let repackBytes = 0;
  const repack: PackPlan[] = [];
  for (const p of candidates) {
    const reachedRepackSize = repackBytes + p.size >= maxRepack;
    const reachedUnused = remainingUnused < maxUnused;
    if (reachedRepackSize) keep.push(p);
    else if (p.kind !== 'data' || p.mustCompress || !reachedUnused || p.size < largeEnough) {
      repack.push(p);
      repackBytes += p.size;
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
    bytesRepacked: repackBytes,
    packsUnindexed: unindexed.length,
    bytesFreed:
      remove.reduce((a, p) => a + (stored.get(p.id) ?? 0), 0) +
      unindexed.reduce((a, id) => a + (stored.get(id) ?? 0), 0),
    indexFilesWritten: 0,
    indexFilesRemoved: 0,
  };
  log(
    `to repack: ${repack.length} packs (${repackBytes} bytes), to delete: ${remove.length} unused + ${unindexed.length} unindexed packs`,
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
      const plain = repo.decodeBlob(b.id, b, sealed);
      if (repo.version >= 2 && b.uncompressedLength === undefined && plain.length > 0) {
        // Rewritten compressed (trees always; data too, as repacking uncompressed data is the point).
        const r = await saver.save(b.type, Buffer.from(plain), b.id);
        stats.bytesFreed -= r.storedSize;
      } else {
        await saver.saveRaw(b.type, b.id, Buffer.from(sealed), b.uncompressedLength);
        stats.bytesFreed -= b.length;
      }
    }
    stats.bytesFreed += stored.get(p.id) ?? 0;
  }
  await saver.flush();

  // New complete index: kept packs (all their blobs, as check requires) plus the repacked ones.
  const all: IndexPack[] = [...keep.map((p) => ({ id: p.id, blobs: p.blobs })), ...newPacks];
  const written = await writeIndexFiles((json) => repo.saveUnpacked('index', json), all, INDEX_MAX_BLOBS);
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
