/**
 * Depth-first walk over a snapshot's trees, shared by ls, find, diff, stats and restore.
 * Paths are `/`-joined with a leading `/`; names that are not UTF-8 show as U+FFFD in `path` but stay exact in `parts`.
 */
import type { Repository } from './repository.js';
import type { Node } from './tree.js';

/** One node met during a walk. */
export interface WalkEntry {
  /** Display path, e.g. `/home/user/file`. */
  path: string;
  /** Exact name bytes from the root down to this node. */
  parts: Buffer[];
  node: Node;
}

/** Options of {@link walkTree}. */
export interface WalkOptions {
  /** Return false to skip a directory's contents (the dir itself is still yielded). */
  descend?: (e: WalkEntry) => boolean;
}

/** Yields every node below `treeId` in pre-order (a dir before its contents), in tree (byte) order. */
export async function* walkTree(
  repo: Repository,
  treeId: string,
  opts: WalkOptions = {},
  parts: Buffer[] = [],
  prefix = '',
): AsyncGenerator<WalkEntry> {
  const tree = await repo.loadTree(treeId);
  for (const node of tree.nodes) {
    const p = [...parts, node.name];
    const e: WalkEntry = { path: `${prefix}/${node.name.toString('utf8')}`, parts: p, node };
    yield e;
    if (node.type === 'dir' && node.subtree && (opts.descend?.(e) ?? true)) {
      yield* walkTree(repo, node.subtree, opts, p, e.path);
    }
  }
}

/** Splits a snapshot path (`/a/b`) into name components, ignoring empty ones. */
export function splitPath(p: string): Buffer[] {
  return p
    .split('/')
    .filter((x) => x !== '' && x !== '.')
    .map((x) => Buffer.from(x, 'utf8'));
}

/** Go `path.Match`-style glob on one name: `*`, `?`, `[...]`, backslash escapes. */
export function globToRegExp(glob: string): RegExp {
  let re = '^';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        let cls = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
        if (cls.startsWith('^') || cls.startsWith('!')) cls = `^${cls.slice(1)}`;
        re += `[${cls}]`;
        i = end;
      }
    } else if (c === '\\' && i + 1 < glob.length) re += `\\${glob[++i]!}`;
    else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`${re}$`, 's');
}
