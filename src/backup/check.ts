/**
 * `check`: verifies a repository's structure and, with `readData`, every byte of every pack.
 * It never throws on corruption: every problem becomes a {@link CheckIssue}, so a caller sees all of them at once.
 */
import { sha256Hex } from './crypto.js';
import type { IndexEntry } from './index.js';
import { packSize, parsePack, type PackedBlob } from './pack.js';
import type { Repository } from './repository.js';
import { errorMessage } from './errors.js';

/** Kinds of problem check reports. */
export type CheckIssueKind =
  | 'index-unreadable'
  | 'pack-missing'
  | 'pack-size'
  | 'pack-layout'
  | 'pack-orphaned'
  | 'pack-unreadable'
  | 'pack-hash'
  | 'pack-header'
  | 'blob-corrupt'
  | 'snapshot-unreadable'
  | 'tree-unreadable'
  | 'blob-missing'
  | 'node-invalid'
  | 'blob-unused';

/** One problem, with whatever ids locate it. */
export interface CheckIssue {
  kind: CheckIssueKind;
  message: string;
  packId?: string;
  blobId?: string;
  snapshotId?: string;
  treeId?: string;
}

/** Options of {@link checkRepository}. */
export interface CheckOptions {
  /** Download every pack and verify its hash, header and every blob. */
  readData?: boolean;
  /** Report blobs in the index that no snapshot uses (restic --check-unused). */
  checkUnused?: boolean;
  /** Read only these packs' data (`--read-data-subset`, see check-subset.ts); takes the stored packs (id -> size). */
  readDataSubset?: (packs: ReadonlyMap<string, number>) => readonly string[];
  /** Packs read in parallel with readData (default 4). */
  concurrency?: number;
}

/** Outcome of a check: `errors` empty means healthy; `warnings` never fail a check (e.g. orphaned packs). */
export interface CheckResult {
  errors: CheckIssue[];
  warnings: CheckIssue[];
  snapshots: number;
  trees: number;
  packs: number;
  /** Packs whose data was read (readData or readDataSubset). */
  packsRead: number;
}

const VALID_TYPES = new Set(['file', 'dir', 'symlink', 'dev', 'chardev', 'fifo', 'socket']);

/** Checks the repository. The index is the one loaded when `repo` was opened. */
export async function checkRepository(repo: Repository, opts: CheckOptions = {}): Promise<CheckResult> {
  const res: CheckResult = { errors: [], warnings: [], snapshots: 0, trees: 0, packs: 0, packsRead: 0 };
  const err = (i: CheckIssue): void => void res.errors.push(i);
  for (const e of repo.indexErrors)
    err({ kind: 'index-unreadable', message: `index ${e.indexId}: ${e.error.message}` });

  // Packs as the index describes them.
  const byPack = new Map<string, IndexEntry[]>();
  for (const e of repo.index.entries()) {
    let l = byPack.get(e.packId);
    if (!l) byPack.set(e.packId, (l = []));
    l.push(e);
  }
  const stored = new Map<string, number>();
  try {
    for await (const f of repo.backend.list('pack')) stored.set(f.name, f.size);
  } catch (e) {
    err({ kind: 'pack-unreadable', message: `cannot list packs: ${errorMessage(e)}` });
  }
  res.packs = stored.size;
  const usable = new Set<string>();
  for (const [packId, blobs] of byPack) {
    const size = stored.get(packId);
    if (size === undefined) {
      err({ kind: 'pack-missing', packId, message: `pack ${packId} is in the index but does not exist` });
      continue;
    }
    usable.add(packId);
    blobs.sort((a, b) => a.offset - b.offset);
    let pos = 0;
    for (const b of blobs) {
      if (b.offset !== pos) {
        err({
          kind: 'pack-layout',
          packId,
          blobId: b.id,
          message: `pack ${packId}: ${b.offset < pos ? 'overlap' : 'gap'} before blob ${b.id} at offset ${b.offset} (expected ${pos})`,
        });
      }
      pos = Math.max(pos, b.offset + b.length);
    }
    const want = packSize(blobs);
    if (want !== size)
      err({
        kind: 'pack-size',
        packId,
        message: `pack ${packId}: size ${size} does not match ${want} computed from the index`,
      });
  }
  for (const packId of stored.keys()) {
    if (!byPack.has(packId))
      res.warnings.push({
        kind: 'pack-orphaned',
        packId,
        message: `pack ${packId} is not referenced in any index`,
      });
  }

  // Snapshots and trees.
  const usedData = new Set<string>();
  const seenTrees = new Set<string>();
  const blobOk = (type: 'data' | 'tree', id: string): boolean =>
    repo.index.lookup(type, id).some((l) => usable.has(l.packId));
  const walkTree = async (treeId: string, snapshotId: string): Promise<void> => {
    if (seenTrees.has(treeId)) return;
    seenTrees.add(treeId);
    res.trees++;
    if (!repo.index.has('tree', treeId)) {
      err({
        kind: 'blob-missing',
        blobId: treeId,
        snapshotId,
        message: `tree ${treeId} is not in the index`,
      });
      return;
    }
    let nodes;
    try {
      nodes = (await repo.loadTree(treeId)).nodes;
    } catch (e) {
      err({ kind: 'tree-unreadable', treeId, snapshotId, message: `tree ${treeId}: ${errorMessage(e)}` });
      return;
    }
    let prev: Buffer | undefined;
    for (const n of nodes) {
      const bad = (m: string): void =>
        err({
          kind: 'node-invalid',
          treeId,
          snapshotId,
          message: `tree ${treeId}, node ${JSON.stringify(n.name.toString())}: ${m}`,
        });
      if (n.name.length === 0) bad('empty name');
      if (prev && Buffer.compare(prev, n.name) >= 0) bad('nodes not sorted or duplicated');
      prev = n.name;
      if (!VALID_TYPES.has(n.type)) bad(`invalid type ${JSON.stringify(n.type)}`);
      if (n.type === 'file') {
        if (n.content === null) bad('file without content');
        for (const id of n.content ?? []) {
          usedData.add(id);
          if (!repo.index.has('data', id))
            err({
              kind: 'blob-missing',
              blobId: id,
              treeId,
              snapshotId,
              message: `file ${JSON.stringify(n.name.toString())}: data blob ${id} is not in the index`,
            });
          else if (!blobOk('data', id))
            err({
              kind: 'blob-missing',
              blobId: id,
              treeId,
              snapshotId,
              message: `data blob ${id}: its pack is missing`,
            });
        }
      } else if (n.type === 'dir') {
        if (!n.subtree) bad('dir without subtree');
        else await walkTree(n.subtree, snapshotId);
      }
    }
  };
  const ids: string[] = [];
  try {
    for await (const f of repo.backend.list('snapshot')) ids.push(f.name);
  } catch (e) {
    err({ kind: 'snapshot-unreadable', message: `cannot list snapshots: ${errorMessage(e)}` });
  }
  for (const id of ids) {
    let tree: string;
    try {
      tree = (await repo.loadSnapshot(id)).tree;
    } catch (e) {
      err({ kind: 'snapshot-unreadable', snapshotId: id, message: `snapshot ${id}: ${errorMessage(e)}` });
      continue;
    }
    res.snapshots++;
    await walkTree(tree, id);
  }

  if (opts.checkUnused) {
    for (const e of repo.index.entries()) {
      if ((e.type === 'data' && !usedData.has(e.id)) || (e.type === 'tree' && !seenTrees.has(e.id))) {
        res.errors.push({
          kind: 'blob-unused',
          blobId: e.id,
          packId: e.packId,
          message: `${e.type} blob ${e.id} is not used by any snapshot`,
        });
      }
    }
  }
  let toRead: string[] | undefined;
  if (opts.readData) toRead = [...usable];
  else if (opts.readDataSubset) {
    const sizes = new Map<string, number>();
    for (const id of usable) sizes.set(id, stored.get(id)!);
    toRead = [...opts.readDataSubset(sizes)];
  }
  if (toRead) {
    res.packsRead = toRead.length;
    const packs = toRead;
    await repo.withWorkers(() => readData(repo, byPack, packs, err, opts.concurrency ?? 4));
  }
  return res;
}

async function readData(
  repo: Repository,
  byPack: Map<string, IndexEntry[]>,
  packs: readonly string[],
  err: (i: CheckIssue) => void,
  concurrency: number,
): Promise<void> {
  let next = 0;
  const one = async (packId: string): Promise<void> => {
    let data: Buffer;
    try {
      data = await repo.backend.load({ type: 'pack', name: packId });
    } catch (e) {
      err({ kind: 'pack-unreadable', packId, message: `pack ${packId}: ${errorMessage(e)}` });
      return;
    }
    if (sha256Hex(data) !== packId)
      err({ kind: 'pack-hash', packId, message: `pack ${packId}: content does not match its id` });
    let header: PackedBlob[];
    try {
      header = parsePack(repo.key, data);
    } catch (e) {
      err({ kind: 'pack-header', packId, message: `pack ${packId}: header: ${errorMessage(e)}` });
      header = [];
    }
    const key = (b: {
      type: string;
      id: string;
      offset: number;
      length: number;
      uncompressedLength?: number;
    }): string => `${b.type}:${b.id}:${b.offset}:${b.length}:${b.uncompressedLength ?? '-'}`;
    const inIndex = new Set((byPack.get(packId) ?? []).map(key));
    const inHeader = new Set(header.map(key));
    for (const k of inIndex)
      if (header.length && !inHeader.has(k))
        err({
          kind: 'pack-header',
          packId,
          message: `pack ${packId}: index entry ${k} is not in the pack header`,
        });
    for (const k of inHeader)
      if (!inIndex.has(k))
        err({
          kind: 'pack-header',
          packId,
          message: `pack ${packId}: header entry ${k} is not in the index`,
        });
    // Verify blobs as the index describes them (the header may be the broken part).
    for (const b of byPack.get(packId) ?? []) {
      try {
        if (b.offset + b.length > data.length) throw new Error('extends past the end of the pack');
        await repo.decodeBlobAsync(b.id, b, data.subarray(b.offset, b.offset + b.length));
      } catch (e) {
        err({
          kind: 'blob-corrupt',
          packId,
          blobId: b.id,
          message: `pack ${packId}: ${b.type} blob ${b.id}: ${errorMessage(e)}`,
        });
      }
    }
  };
  const worker = async (): Promise<void> => {
    while (next < packs.length) await one(packs[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, packs.length)) }, worker));
}
