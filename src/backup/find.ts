/**
 * `find`: nodes whose path matches a restic pattern (filter.Match: `*.txt`, `docs/*.md`, a folder name matching
 * the folder and everything in it), across snapshots.
 */
import type { Repository, SnapshotFilter } from './repository.js';
import type { StoredSnapshot } from './snapshot.js';
import type { Node } from './tree.js';
import { compilePattern, matchPattern } from './excludes.js';
import { walkTree } from './walk.js';

/** Options of {@link findInSnapshots}. */
export interface FindOptions {
  /** Snapshot selection (restic --host/--path/--tag); ignored when `snapshots` is given. */
  filter?: SnapshotFilter;
  /** Search only these snapshots. */
  snapshots?: StoredSnapshot[];
  /** Case-insensitive matching (restic --ignore-case). */
  ignoreCase?: boolean;
  /** Only nodes modified at or after this instant (ns since the epoch; restic --oldest). */
  oldestNs?: bigint;
  /** Only nodes modified at or before this instant (restic --newest). */
  newestNs?: bigint;
}

/** One match. */
export interface FindMatch {
  snapshotId: string;
  path: string;
  node: Node;
}

/** Yields every match in every selected snapshot, oldest snapshot first. */
export async function* findInSnapshots(
  repo: Repository,
  patterns: string[],
  opts: FindOptions = {},
): AsyncGenerator<FindMatch> {
  // restic's filter.Match: a pattern matches a path, or a folder above it (`sub` finds `sub/new.txt` too).
  const compiled = patterns.map((p) => compilePattern(p, opts.ignoreCase ?? false));
  const snaps = opts.snapshots ?? (await repo.listSnapshots(opts.filter));
  for (const s of snaps) {
    for await (const e of walkTree(repo, s.tree)) {
      if (opts.oldestNs !== undefined && e.node.mtime.ns < opts.oldestNs) continue;
      if (opts.newestNs !== undefined && e.node.mtime.ns > opts.newestNs) continue;
      if (compiled.some((c) => matchPattern(c, e.path)))
        yield { snapshotId: s.id, path: e.path, node: e.node };
    }
  }
}
