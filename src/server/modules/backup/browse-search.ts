/**
 * Search by name across a device's snapshots, newest snapshot first, a page at a time. A page ends at `limit`
 * matches or after looking at {@link BUDGET} entries, whichever comes first, so that no request walks a whole
 * large repository; the cursor says where the walk stopped (the snapshot and the exact path), and the next page
 * goes on from there without walking again what it already did.
 */
import type { BrowseMatch, BrowseSearchQuery, BrowseSearchResult } from '../../../contracts/index.js';
import type { StoredSnapshot } from '../../../backup/snapshot.js';
import type { Node } from '../../../backup/tree.js';
import { globToRegExp } from '../../../backup/walk.js';
import { Invalid } from '../../platform/errors.js';
import type { Actor } from '../../platform/permissions.js';
import {
  audit,
  type BrowseDeps,
  type Browsing,
  entryOf,
  isoOf,
  openBrowse,
  reading,
} from './browse.service.js';

/** Entries looked at per request at most. */
const BUDGET = 200_000;

/** Where a search stopped: a snapshot (by id and time, in case it is forgotten meanwhile) and a path in it. */
interface Position {
  id: string;
  ns: bigint;
  after: Buffer[];
}

function encodeCursor(p: Position): string {
  return Buffer.from(
    JSON.stringify([p.id, p.ns.toString(), p.after.map((b) => b.toString('base64'))]),
  ).toString('base64url');
}

const bad = () =>
  Invalid('the cursor is not one this search gave', [{ path: 'cursor', message: 'unknown cursor' }]);

function decodeCursor(c: string): Position {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(c, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (
    !Array.isArray(v) ||
    v.length !== 3 ||
    typeof v[0] !== 'string' ||
    !/^[0-9a-f]{64}$/.test(v[0]) ||
    typeof v[1] !== 'string' ||
    !/^-?\d{1,20}$/.test(v[1]) ||
    !Array.isArray(v[2]) ||
    v[2].length > 512 ||
    !v[2].every((x) => typeof x === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(x) && x.length <= 1400)
  )
    throw bad();
  return { id: v[0], ns: BigInt(v[1]), after: (v[2] as string[]).map((x) => Buffer.from(x, 'base64')) };
}

/** The name test of a query: a glob when it holds `*`, `?` or `[`, else a part of the name; any case. */
export function nameMatcher(q: string): (name: string) => boolean {
  if (/[*?[]/.test(q)) {
    const re = new RegExp(globToRegExp(q).source, 'is');
    return (name) => re.test(name);
  }
  const want = q.toLowerCase();
  return (name) => name.toLowerCase().includes(want);
}

interface Visit {
  path: string;
  parent: string;
  parts: Buffer[];
  node: Node;
}

/**
 * The nodes below `treeId` in pre-order (restic's byte order), starting after the node at `after` (its
 * children, when it is a folder, come next).
 */
async function* walkAfter(
  b: Browsing,
  treeId: string,
  prefix: string,
  parts: Buffer[],
  after: Buffer[] | undefined,
): AsyncGenerator<Visit> {
  const tree = await b.repo.loadTree(treeId);
  let pending = after && after.length > 0 ? after : undefined;
  for (const node of tree.nodes) {
    let emit = true;
    let below: Buffer[] | undefined;
    if (pending) {
      const c = Buffer.compare(node.name, pending[0]!);
      if (c < 0) continue;
      if (c === 0) {
        emit = false;
        below = pending.length > 1 ? pending.slice(1) : undefined;
      }
      pending = undefined;
    }
    const p = [...parts, node.name];
    const path = `${prefix}/${node.name.toString('utf8')}`;
    if (emit) yield { path, parent: prefix || '/', parts: p, node };
    if (node.type === 'dir' && node.subtree) yield* walkAfter(b, node.subtree, path, p, below);
  }
}

/** Where to start: the cursor's snapshot, or (forgotten since) the next older one; the newest without. */
function startOf(snaps: StoredSnapshot[], cursor: Position | undefined): { index: number; after?: Buffer[] } {
  if (!cursor) return { index: 0 };
  const same = snaps.findIndex((s) => s.id === cursor.id);
  if (same >= 0) return { index: same, after: cursor.after };
  const older = snaps.findIndex((s) => s.time.ns < cursor.ns);
  return { index: older < 0 ? snaps.length : older };
}

/** A page of a search by name across a device's snapshots (audited as one "browsed" entry). */
export async function searchSnapshots(
  deps: BrowseDeps,
  actor: Actor,
  ciId: string,
  q: BrowseSearchQuery,
): Promise<BrowseSearchResult> {
  const cursor = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
  const b = await openBrowse(deps, actor, ciId);
  const snaps = await reading(() => b.repo.snapshots());
  const matches = nameMatcher(q.q);
  const found: BrowseMatch[] = [];
  let budget = BUDGET;
  let next: Position | undefined;
  let { index, after } = startOf(snaps, cursor);
  await reading(async () => {
    for (; index < snaps.length && !next; index++, after = undefined) {
      const s = snaps[index]!;
      for await (const v of walkAfter(b, s.tree, '', [], after)) {
        budget--;
        if (matches(v.node.name.toString('utf8')))
          found.push({
            ...entryOf(v.node, v.parent),
            snapshotId: s.id,
            shortId: s.id.slice(0, 8),
            snapshotTime: isoOf(s.time),
          });
        if (found.length >= q.limit || budget <= 0) {
          next = { id: s.id, ns: s.time.ns, after: v.parts };
          break;
        }
      }
    }
  });
  await audit(deps, b, 'backup.browsed', { view: 'search', query: q.q });
  return {
    device: b.device,
    matches: found,
    searched: next ? index - 1 : index,
    snapshots: snaps.length,
    nextCursor: next ? encodeCursor(next) : null,
  };
}
