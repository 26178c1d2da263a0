/**
 * `diff`: what changed between two snapshot trees. Identical subtrees (same id) are skipped without loading.
 */
import type { Repository } from './repository.js';
import type { Node } from './tree.js';
import { walkTree } from './walk.js';

/** `+` added, `-` removed, `M` content changed, `T` type changed, `U` metadata changed only. */
export type ChangeKind = '+' | '-' | 'M' | 'T' | 'U';

/** One changed path. */
export interface Change {
  kind: ChangeKind;
  path: string;
}

/** Counts of one side of a diff. */
export interface DiffSide {
  files: number;
  dirs: number;
  others: number;
  bytes: number;
  dataBlobs: number;
  treeBlobs: number;
}

/** Outcome of {@link diffTrees}. */
export interface DiffResult {
  changes: Change[];
  changedFiles: number;
  added: DiffSide;
  removed: DiffSide;
}

const side = (): DiffSide => ({ files: 0, dirs: 0, others: 0, bytes: 0, dataBlobs: 0, treeBlobs: 0 });
const sameList = (a: string[] | null, b: string[] | null): boolean =>
  (a ?? []).length === (b ?? []).length && (a ?? []).every((x, i) => x === b![i]);
const sameMeta = (a: Node, b: Node): boolean =>
  a.mode === b.mode &&
  a.mtime.ns === b.mtime.ns &&
  a.uid === b.uid &&
  a.gid === b.gid &&
  a.size === b.size &&
  Buffer.compare(a.linktarget ?? Buffer.alloc(0), b.linktarget ?? Buffer.alloc(0)) === 0;

/** Compares two trees (usually two snapshots' roots). */
export async function diffTrees(repo: Repository, treeA: string, treeB: string): Promise<DiffResult> {
  const r: DiffResult = { changes: [], changedFiles: 0, added: side(), removed: side() };
  // Blobs counted once per side, and only if the other snapshot does not have them.
  const blobsA = new Set<string>();
  const blobsB = new Set<string>();
  const collect = async (treeId: string, set: Set<string>): Promise<void> => {
    set.add(`t${treeId}`);
    for await (const e of walkTree(repo, treeId)) {
      if (e.node.subtree) set.add(`t${e.node.subtree}`);
      for (const c of e.node.content ?? []) set.add(`d${c}`);
    }
  };
  const count = (s: DiffSide, n: Node): void => {
    if (n.type === 'file') s.files++;
    else if (n.type === 'dir') s.dirs++;
    else s.others++;
  };
  const whole = async (n: Node, path: string, s: DiffSide, kind: '+' | '-'): Promise<void> => {
    r.changes.push({ kind, path: n.type === 'dir' ? `${path}/` : path });
    count(s, n);
    if (n.type === 'dir' && n.subtree) {
      for await (const e of walkTree(repo, n.subtree, {}, [], path)) {
        r.changes.push({ kind, path: e.node.type === 'dir' ? `${e.path}/` : e.path });
        count(s, e.node);
      }
    }
  };
  const cmp = async (a: string, b: string, prefix: string): Promise<void> => {
    if (a === b) return;
    const na = (await repo.loadTree(a)).nodes;
    const nb = (await repo.loadTree(b)).nodes;
    let i = 0;
    let j = 0;
    while (i < na.length || j < nb.length) {
      const x = na[i];
      const y = nb[j];
      const c = !x ? 1 : !y ? -1 : Buffer.compare(x.name, y.name);
      if (c < 0) {
        await whole(x!, `${prefix}/${x!.name.toString()}`, r.removed, '-');
        i++;
      } else if (c > 0) {
        await whole(y!, `${prefix}/${y!.name.toString()}`, r.added, '+');
        j++;
      } else {
        const path = `${prefix}/${x!.name.toString()}`;
        if (x!.type !== y!.type) {
          r.changes.push({ kind: 'T', path });
          if (x!.type === 'file' || y!.type === 'file') r.changedFiles++;
        } else if (x!.type === 'dir') {
          if (x!.subtree && y!.subtree) await cmp(x!.subtree, y!.subtree, path);
          if (!sameMeta(x!, y!) && x!.subtree === y!.subtree) r.changes.push({ kind: 'U', path: `${path}/` });
        } else if (x!.type === 'file' && !sameList(x!.content, y!.content)) {
          r.changes.push({ kind: 'M', path });
          r.changedFiles++;
        } else if (!sameMeta(x!, y!)) r.changes.push({ kind: 'U', path });
        i++;
        j++;
      }
    }
  };
  await cmp(treeA, treeB, '');
  await collect(treeA, blobsA);
  await collect(treeB, blobsB);
  const tally = (mine: Set<string>, other: Set<string>, s: DiffSide): void => {
    for (const k of mine) {
      if (other.has(k)) continue;
      if (k.startsWith('t')) s.treeBlobs++;
      else {
        s.dataBlobs++;
        s.bytes += repo.index.plainSize('data', k.slice(1)) ?? 0;
      }
    }
  };
  tally(blobsA, blobsB, r.removed);
  tally(blobsB, blobsA, r.added);
  return r;
}
