/**
 * `ls`: the nodes of a snapshot, optionally only those in or under given folders.
 */
import type { Repository } from './repository.js';
import { splitPath, walkTree, type WalkEntry } from './walk.js';

/** Options of {@link listSnapshotNodes}. */
export interface LsOptions {
  /** Folders (snapshot paths) to list; everything when empty. */
  paths?: string[];
  /** With `paths`: list everything below them, not just their direct children (restic --recursive). */
  recursive?: boolean;
}

function startsWith(parts: Buffer[], prefix: Buffer[]): boolean {
  return prefix.length <= parts.length && prefix.every((p, i) => p.equals(parts[i]!));
}

/**
 * Yields the nodes of a snapshot tree in pre-order. With `paths`, yields each listed folder, its children (or, with
 * `recursive`, all its descendants) and skips trees that cannot hold a match, so large snapshots stay cheap.
 */
export async function* listSnapshotNodes(
  repo: Repository,
  treeId: string,
  opts: LsOptions = {},
): AsyncGenerator<WalkEntry> {
  const wanted = (opts.paths ?? []).map(splitPath);
  if (wanted.length === 0) {
    yield* walkTree(repo, treeId);
    return;
  }
  const descend = (e: WalkEntry): boolean =>
    wanted.some(
      (w) =>
        startsWith(w, e.parts) || (startsWith(e.parts, w) && (opts.recursive || e.parts.length === w.length)),
    );
  for await (const e of walkTree(repo, treeId, { descend })) {
    const hit = wanted.some(
      (w) => startsWith(e.parts, w) && (opts.recursive || e.parts.length <= w.length + 1),
    );
    if (hit) yield e;
  }
}
