/**
 * What changed between two snapshots of a device, for people: files added, removed or changed with their
 * sizes before and after; an added or removed folder is one change with what it holds counted. Subtrees
 * both snapshots share (same id) are skipped unread, as restic's diff does; changes of metadata only (times,
 * owners) are left out.
 */
import type {
  BrowseChange,
  BrowseDiff,
  BrowseDiffQuery,
  BrowseDiffTotals,
} from '../../../contracts/index.js';
import type { Node } from '../../../backup/tree.js';
import type { Actor } from '../../platform/permissions.js';
import {
  audit,
  type BrowseDeps,
  type Browsing,
  entryType,
  openBrowse,
  reading,
  snapshotOf,
  snapshotView,
} from './browse.service.js';

interface Acc {
  changes: BrowseChange[];
  truncated: boolean;
  totals: BrowseDiffTotals;
  limit: number;
}

const sameContent = (a: Node, b: Node): boolean => {
  if (a.type === 'symlink')
    return Buffer.compare(a.linktarget ?? Buffer.alloc(0), b.linktarget ?? Buffer.alloc(0)) === 0;
  const x = a.content ?? [];
  const y = b.content ?? [];
  return x.length === y.length && x.every((c, i) => c === y[i]);
};

function push(acc: Acc, c: BrowseChange): void {
  if (acc.changes.length < acc.limit) acc.changes.push(c);
  else acc.truncated = true;
}

/** A whole node added or removed: one change; a folder counted with everything below it. */
async function whole(b: Browsing, acc: Acc, n: Node, path: string, kind: 'added' | 'removed'): Promise<void> {
  let size: number | null = null;
  let files: number | null = null;
  if (n.type === 'file') {
    size = n.size ?? 0;
    if (kind === 'added') acc.totals.filesAdded++;
    else acc.totals.filesRemoved++;
  } else if (n.type === 'dir') {
    const st = n.subtree ? await b.repo.treeStats(n.subtree) : { files: 0, bytes: 0 };
    size = st.bytes;
    files = st.files;
    if (kind === 'added') acc.totals.filesAdded += st.files;
    else acc.totals.filesRemoved += st.files;
  }
  if (kind === 'added') acc.totals.bytesAdded += size ?? 0;
  else acc.totals.bytesRemoved += size ?? 0;
  push(acc, {
    kind,
    path,
    type: entryType(n),
    sizeBefore: kind === 'removed' ? size : null,
    sizeAfter: kind === 'added' ? size : null,
    files,
  });
}

/** Compares two trees below `prefix`. */
async function compare(b: Browsing, acc: Acc, treeA: string, treeB: string, prefix: string): Promise<void> {
  if (treeA === treeB) return;
  const na = (await b.repo.loadTree(treeA)).nodes;
  const nb = (await b.repo.loadTree(treeB)).nodes;
  let i = 0;
  let j = 0;
  while (i < na.length || j < nb.length) {
    const x = na[i];
    const y = nb[j];
    const c = !x ? 1 : !y ? -1 : Buffer.compare(x.name, y.name);
    if (c < 0) {
      await whole(b, acc, x!, `${prefix}/${x!.name.toString('utf8')}`, 'removed');
      i++;
      continue;
    }
    if (c > 0) {
      await whole(b, acc, y!, `${prefix}/${y!.name.toString('utf8')}`, 'added');
      j++;
      continue;
    }
    const path = `${prefix}/${x!.name.toString('utf8')}`;
    i++;
    j++;
    if (x!.type !== y!.type) {
      // Another kind of thing under the same name: what was there went, and the new one came.
      await whole(b, { ...acc, changes: [], limit: 0 }, x!, path, 'removed');
      await whole(b, { ...acc, changes: [], limit: 0 }, y!, path, 'added');
      push(acc, {
        kind: 'type',
        path,
        type: entryType(y!),
        sizeBefore: x!.size ?? null,
        sizeAfter: y!.size ?? null,
        files: null,
      });
    } else if (x!.type === 'dir') {
      if (x!.subtree && y!.subtree) await compare(b, acc, x!.subtree, y!.subtree, path);
    } else if ((x!.type === 'file' || x!.type === 'symlink') && !sameContent(x!, y!)) {
      if (x!.type === 'file') {
        acc.totals.filesChanged++;
        acc.totals.bytesAdded += Math.max(0, (y!.size ?? 0) - (x!.size ?? 0));
        acc.totals.bytesRemoved += Math.max(0, (x!.size ?? 0) - (y!.size ?? 0));
      }
      push(acc, {
        kind: 'changed',
        path,
        type: entryType(y!),
        sizeBefore: x!.type === 'file' ? (x!.size ?? 0) : null,
        sizeAfter: y!.type === 'file' ? (y!.size ?? 0) : null,
        files: null,
      });
    }
  }
}

/** What changed from snapshot `from` to snapshot `to` of a device (audited as one "browsed" entry). */
export async function diffSnapshots(
  deps: BrowseDeps,
  actor: Actor,
  ciId: string,
  q: BrowseDiffQuery,
): Promise<BrowseDiff> {
  const b = await openBrowse(deps, actor, ciId);
  const from = await snapshotOf(b, q.from);
  const to = await snapshotOf(b, q.to);
  const acc: Acc = {
    changes: [],
    truncated: false,
    limit: q.limit,
    totals: { filesAdded: 0, filesRemoved: 0, filesChanged: 0, bytesAdded: 0, bytesRemoved: 0 },
  };
  await reading(() => compare(b, acc, from.tree, to.tree, ''));
  await audit(deps, b, 'backup.browsed', { view: 'diff', from: from.id.slice(0, 8), to: to.id.slice(0, 8) });
  return {
    device: b.device,
    from: await snapshotView(b, from),
    to: await snapshotView(b, to),
    changes: acc.changes,
    truncated: acc.truncated,
    totals: acc.totals,
  };
}
