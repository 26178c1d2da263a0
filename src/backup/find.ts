/**
 * `find`: nodes whose name (or, for patterns holding `/`, whose full path) matches a glob, across snapshots.
 */
import type { Repository, SnapshotFilter } from './repository.js';
import type { StoredSnapshot } from './snapshot.js';
import type { Node } from './tree.js';
import { globToRegExp, walkTree } from './walk.js';

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
  const res = patterns.map((p) => ({
    full: p.includes('/'),
    re: new RegExp(globToRegExp(p).source, opts.ignoreCase ? 'is' : 's'),
  }));
  const snaps = opts.snapshots ?? (await repo.listSnapshots(opts.filter));
  for (const s of snaps) {
    for await (const e of walkTree(repo, s.tree)) {
      const name = e.node.name.toString('utf8');
      if (opts.oldestNs !== undefined && e.node.mtime.ns < opts.oldestNs) continue;
      if (opts.newestNs !== undefined && e.node.mtime.ns > opts.newestNs) continue;
      if (res.some((r) => (r.full ? fullMatch(r.re, e.path) : r.re.test(name))))
        yield { snapshotId: s.id, path: e.path, node: e.node };
    }
  }
}

// A pattern with '/' matches the path itself or any trailing part of it, as restic's find does for such patterns.
function fullMatch(re: RegExp, path: string): boolean {
  if (re.test(path)) return true;
  const parts = path.split('/');
  for (let i = 1; i < parts.length; i++) if (re.test(parts.slice(i).join('/'))) return true;
  return false;
}
