/**
 * `copy`: snapshots from one repository into another, as restic 0.14 copies them. Trees and data blobs keep their
 * ids (no re-chunking); what the destination already holds is not sent again; each blob is decrypted with the
 * source's key and sealed with the destination's. A snapshot already copied (a destination snapshot whose
 * `original` is the source's original id, with the same time, tree, host, user, paths, tags and excludes) is
 * skipped. A copied snapshot keeps `original` (its first id), loses `parent`, and is saved only after its packs
 * and their index are stored.
 */
import { BlobSaver } from './packer.js';
import type { CompressionMode } from './packer.js';
import { packerTarget } from './repo-adapters.js';
import type { Repository } from './repository.js';
import { encodeSnapshot } from './snapshot.js';
import type { StoredSnapshot } from './snapshot.js';
import { decodeTree } from './tree.js';

/** Options of {@link copySnapshots}. */
export interface CopyOptions {
  compression?: CompressionMode;
  packSize?: number;
  /** Told about each snapshot as it is copied or skipped. */
  onSnapshot?: (e: CopyEvent) => void;
  /** Told of each selected snapshot before it is checked and copied. */
  onStart?: (s: StoredSnapshot) => void;
  /** Told when a snapshot's data starts to be copied (it has no copy yet). */
  onCopying?: (s: StoredSnapshot) => void;
}

/** What happened to one source snapshot. */
export type CopyEvent =
  | { kind: 'copied'; source: StoredSnapshot; id: string }
  | { kind: 'skipped'; source: StoredSnapshot; existing: string };

const sameSet = (a: string[] = [], b: string[] = []): boolean =>
  a.length === b.length && b.every((x) => a.includes(x));

/** restic's similarSnapshots: everything but parent and original matches. */
function similar(a: StoredSnapshot, b: StoredSnapshot): boolean {
  return (
    a.time.ns === b.time.ns &&
    a.tree === b.tree &&
    (a.hostname ?? '') === (b.hostname ?? '') &&
    (a.username ?? '') === (b.username ?? '') &&
    (a.uid ?? 0) === (b.uid ?? 0) &&
    (a.gid ?? 0) === (b.gid ?? 0) &&
    sameSet(a.paths, b.paths) &&
    sameSet(a.tags, b.tags) &&
    (a.excludes ?? []).length === (b.excludes ?? []).length &&
    (a.excludes ?? []).every((x, i) => x === b.excludes![i])
  );
}

/** Copies every tree and data blob below `root` that `saver`'s repository lacks. */
async function copyTree(
  src: Repository,
  saver: BlobSaver,
  root: string,
  visited: Set<string>,
): Promise<void> {
  const stack = [root];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (visited.has(id)) continue;
    visited.add(id);
    // The tree's own bytes, so its id stays the same whatever our encoder would write.
    const bytes = await src.loadBlob('tree', id);
    const tree = decodeTree(bytes);
    if (!saver.has('tree', id)) await saver.save('tree', bytes, id);
    for (const n of tree.nodes) {
      for (const blob of n.content ?? [])
        if (!saver.has('data', blob)) await saver.save('data', await src.loadBlob('data', blob), blob);
      if (n.type === 'dir' && n.subtree) stack.push(n.subtree);
    }
  }
}

/** Copies `snapshots` of `src` into `dst`; take a lock on both around it. Returns the events, in order. */
export async function copySnapshots(
  src: Repository,
  dst: Repository,
  snapshots: StoredSnapshot[],
  opts: CopyOptions = {},
): Promise<CopyEvent[]> {
  const byOriginal = new Map<string, StoredSnapshot[]>();
  for (const s of await dst.listSnapshots()) {
    const key = s.original ?? s.id;
    byOriginal.set(key, [...(byOriginal.get(key) ?? []), s]);
  }
  const visited = new Set<string>();
  const events: CopyEvent[] = [];
  for (const sn of snapshots) {
    opts.onStart?.(sn);
    const original = sn.original ?? sn.id;
    const twin = (byOriginal.get(original) ?? []).find((d) => similar(d, sn));
    let event: CopyEvent;
    if (twin) event = { kind: 'skipped', source: sn, existing: twin.id };
    else {
      opts.onCopying?.(sn);
      const saver = new BlobSaver(packerTarget(dst), {
        compression: opts.compression,
        packSize: opts.packSize,
      });
      try {
        await copyTree(src, saver, sn.tree, visited);
        await saver.flush();
      } catch (e) {
        await saver.abort();
        throw e;
      }
      const { id: _id, parent: _parent, ...doc } = sn;
      const id = await dst.saveUnpacked('snapshot', encodeSnapshot({ ...doc, original }));
      event = { kind: 'copied', source: sn, id };
    }
    events.push(event);
    opts.onSnapshot?.(event);
  }
  return events;
}
