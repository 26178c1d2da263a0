/**
 * `find --blob/--tree/--pack`: where objects are used, as restic's find reports them. Ids may be given in full or
 * as a prefix (restic's 8-character short ids). `--pack` looks its blobs up in the index and then finds those.
 */
import type { Repository } from './repository.js';
import type { StoredSnapshot } from './snapshot.js';

/** What to look for. */
export interface ObjectQuery {
  kind: 'blob' | 'tree' | 'pack';
  ids: string[];
}

/** One place an object is used. */
export interface ObjectMatch {
  objectType: 'blob' | 'tree';
  id: string;
  /** The file holding the blob, or the folder whose subtree the tree is (a root tree is not reported, as restic). */
  path: string;
  /** The tree holding that file or folder (a blob's), or the tree itself. */
  parentTree: string;
  snapshot: StoredSnapshot;
}

const matches = (wanted: string[], id: string): boolean => wanted.some((w) => id.startsWith(w));

/** The data and tree blob ids stored in the packs whose ids start with one of `packs`. */
function blobsOfPacks(repo: Repository, packs: string[]): { data: string[]; tree: string[] } {
  const out = { data: new Set<string>(), tree: new Set<string>() };
  for (const e of repo.index.entries()) if (matches(packs, e.packId)) out[e.type].add(e.id);
  return { data: [...out.data], tree: [...out.tree] };
}

/** Yields each use of the wanted objects in each snapshot, oldest snapshot first. */
export async function* findObjects(
  repo: Repository,
  query: ObjectQuery,
  snapshots: StoredSnapshot[],
): AsyncGenerator<ObjectMatch> {
  const wanted = query.ids.map((i) => i.toLowerCase());
  let blobs = query.kind === 'blob' ? wanted : [];
  let trees = query.kind === 'tree' ? wanted : [];
  if (query.kind === 'pack') {
    const found = blobsOfPacks(repo, wanted);
    blobs = found.data;
    trees = found.tree;
    if (blobs.length + trees.length === 0) return;
  }
  for (const snapshot of snapshots) {
    const stack: { tree: string; prefix: string }[] = [{ tree: snapshot.tree, prefix: '' }];
    while (stack.length > 0) {
      const { tree, prefix } = stack.pop()!;
      const nodes = (await repo.loadTree(tree)).nodes;
      const below: { tree: string; prefix: string }[] = [];
      for (const n of nodes) {
        const path = `${prefix}/${n.name.toString('utf8')}`;
        for (const b of n.content ?? [])
          if (matches(blobs, b)) yield { objectType: 'blob', id: b, path, parentTree: tree, snapshot };
        if (n.type === 'dir' && n.subtree) {
          if (matches(trees, n.subtree))
            yield { objectType: 'tree', id: n.subtree, path, parentTree: n.subtree, snapshot };
          below.push({ tree: n.subtree, prefix: path });
        }
      }
      stack.push(...below.reverse());
    }
  }
}
