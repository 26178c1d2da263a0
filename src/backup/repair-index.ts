/**
 * `repair index` (restic's `rebuild-index`): builds a new index from what the repository really holds.
 * Packs the index describes with the right size keep their entries; packs missing from the index, or whose
 * stored size differs from the size the index implies, have their headers read; packs the index names but
 * the backend no longer has are dropped. With `readAllPacks` every pack header is read and the old index is
 * ignored. The new index files are written first, then every old (or unreadable) index file is deleted, so a
 * crash midway leaves a repository with both, which is valid (index files may overlap).
 * The caller holds an exclusive lock.
 */
import type { IndexPack } from './index.js';
import { writeIndexFiles } from './index.js';
import { packSize, readPackHeader } from './pack.js';
import type { PackedBlob } from './pack.js';
import { INDEX_MAX_BLOBS } from './packer.js';
import type { Repository } from './repository.js';
import { errorMessage } from './errors.js';

/** Options of {@link repairIndex}. */
export interface RepairIndexOptions {
  /** Read every pack's header and ignore the old index (restic `--read-all-packs`). */
  readAllPacks?: boolean;
  /** Packs whose headers are read at once (default 8: remote backends answer each read with latency). */
  concurrency?: number;
  /** Progress and findings, as restic prints them. */
  log?: (msg: string) => void;
}

/** What {@link repairIndex} did. */
export interface RepairIndexResult {
  /** Packs whose headers were read and added. */
  packsAdded: string[];
  /** Packs the old index listed but the backend does not hold. */
  packsRemoved: string[];
  /** Packs whose header could not be read (left out of the index; prune deletes them). */
  packsSkipped: { packId: string; error: string }[];
  indexFilesWritten: string[];
  indexFilesRemoved: string[];
}

/** Rebuilds the index (see the module comment). */
export async function repairIndex(
  repo: Repository,
  opts: RepairIndexOptions = {},
): Promise<RepairIndexResult> {
  const log = opts.log ?? (() => undefined);
  const res: RepairIndexResult = {
    packsAdded: [],
    packsRemoved: [],
    packsSkipped: [],
    indexFilesWritten: [],
    indexFilesRemoved: [],
  };
  const obsolete: string[] = [];
  const known = new Map<string, PackedBlob[]>();
  if (opts.readAllPacks) {
    for await (const f of repo.backend.list('index')) obsolete.push(f.name);
  } else {
    log('loading indexes...');
    const errors = await repo.reloadIndex();
    for (const e of errors) log(`removing invalid index ${e.indexId}: ${e.error.message}`);
    obsolete.push(...repo.indexIds, ...errors.map((e) => e.indexId));
    for (const e of repo.index.entries()) {
      const b: PackedBlob = { type: e.type, id: e.id, offset: e.offset, length: e.length };
      if (e.uncompressedLength !== undefined) b.uncompressedLength = e.uncompressedLength;
      let l = known.get(e.packId);
      if (!l) known.set(e.packId, (l = []));
      l.push(b);
    }
  }

  log('getting pack files to read...');
  const keep: IndexPack[] = [];
  const toRead: { id: string; size: number }[] = [];
  const stored = new Set<string>();
  for await (const f of repo.backend.list('pack')) {
    stored.add(f.name);
    const blobs = known.get(f.name);
    if (blobs && packSize(blobs) === f.size) {
      keep.push({ id: f.name, blobs: blobs.sort((a, b) => a.offset - b.offset) });
      continue;
    }
    if (!blobs) log(`adding pack file to index ${f.name}`);
    else log(`reindexing pack file ${f.name} with unexpected size ${f.size} instead of ${packSize(blobs)}`);
    toRead.push({ id: f.name, size: f.size });
  }
  for (const id of known.keys()) {
    if (stored.has(id)) continue;
    log(`removing not found pack file ${id}`);
    res.packsRemoved.push(id);
  }

  if (toRead.length > 0) log(`reading ${toRead.length} pack files`);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < toRead.length) {
      const p = toRead[next++]!;
      try {
        keep.push({ id: p.id, blobs: await readPackHeader(repo.backend, repo.key, p.id, p.size) });
        res.packsAdded.push(p.id);
      } catch (e) {
        log(`skipped incomplete pack file: ${p.id}: ${errorMessage(e)}`);
        res.packsSkipped.push({ packId: p.id, error: errorMessage(e) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 8, toRead.length) }, worker));

  log('rebuilding index');
  keep.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  res.indexFilesWritten = await writeIndexFiles(
    (json) => repo.saveUnpacked('index', json),
    keep,
    INDEX_MAX_BLOBS,
  );
  const fresh = new Set(res.indexFilesWritten);
  for (const id of new Set(obsolete)) {
    if (fresh.has(id)) continue;
    await repo.backend.remove({ type: 'index', name: id });
    res.indexFilesRemoved.push(id);
  }
  await repo.reloadIndex();
  return res;
}
