/**
 * `stats`: sizes of one or more snapshots, in restic's modes.
 */
import type { Repository } from './repository.js';
import type { StoredSnapshot } from './snapshot.js';
import { walkTree } from './walk.js';

/** `restore-size`: bytes a restore writes; `raw-data`: bytes of the unique blobs stored in the repository. */
export type StatsMode = 'restore-size' | 'raw-data';

/** Outcome of {@link snapshotStats}. */
export interface Stats {
  snapshots: number;
  /** restore-size: every node, as restic counts; raw-data: 0 (restic counts blobs there, not files). */
  totalFileCount: number;
  /** restore-size: sum of file sizes (hard links once); raw-data: stored (encrypted) size of unique blobs. */
  totalSize: number;
  /** Unique blobs (data and tree) referenced, in raw-data mode. */
  totalBlobCount: number;
  /** raw-data: plaintext size of the unique blobs before compression. */
  totalUncompressedSize: number;
}

/** Computes statistics over the given snapshots. */
export async function snapshotStats(
  repo: Repository,
  snapshots: StoredSnapshot[],
  mode: StatsMode = 'restore-size',
): Promise<Stats> {
  const st: Stats = {
    snapshots: snapshots.length,
    totalFileCount: 0,
    totalSize: 0,
    totalBlobCount: 0,
    totalUncompressedSize: 0,
  };
  const seenInodes = new Set<string>();
  const blobs = new Set<string>();
  const addBlob = (type: 'data' | 'tree', id: string): void => {
    const k = `${type[0]!}${id}`;
    if (blobs.has(k)) return;
    blobs.add(k);
    const loc = repo.index.lookup(type, id)[0];
    if (!loc) return;
    st.totalBlobCount++;
    st.totalSize += loc.length;
    st.totalUncompressedSize += loc.uncompressedLength ?? loc.length - 32;
  };
  for (const s of snapshots) {
    if (mode === 'raw-data') addBlob('tree', s.tree);
    for await (const e of walkTree(repo, s.tree)) {
      const n = e.node;
      if (mode === 'restore-size') {
        st.totalFileCount++;
        if (n.type !== 'file') continue;
        const hl = (n.links ?? 1) > 1 && n.inode ? `${s.id}:${n.deviceId ?? 0n}:${n.inode}` : undefined;
        if (hl) {
          if (seenInodes.has(hl)) continue;
          seenInodes.add(hl);
        }
        st.totalSize += n.size ?? 0;
      } else {
        if (n.subtree) addBlob('tree', n.subtree);
        for (const c of n.content ?? []) addBlob('data', c);
      }
    }
  }
  return st;
}
