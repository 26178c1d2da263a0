/**
 * Browsing a device's backups: who may (agents, managers and admins any device; a requester only the devices
 * assigned to them in the CMDB; 404 for anything else), the device's snapshots and one folder of a snapshot.
 * Every request is recorded in the audit trail. Search, comparison and downloads build on the same access
 * (browse-search.ts, browse-diff.ts, browse-download.ts).
 */
import type {
  BrowsableDevices,
  BrowseDevice,
  BrowseEntry,
  BrowseEntryType,
  BrowseFolder,
  BrowseFolderQuery,
  BrowseSnapshot,
  BrowseSnapshots,
} from '../../../contracts/index.js';
import { errorMessage } from '../../../backup/errors.js';
import type { GoTime } from '../../../backup/gojson.js';
import { Repository } from '../../../backup/repository.js';
import type { StoredSnapshot } from '../../../backup/snapshot.js';
import type { Node } from '../../../backup/tree.js';
import { record } from '../../platform/audit/index.js';
import { AppError, Invalid, NotFound } from '../../platform/errors.js';
import { type Actor, allows } from '../../platform/permissions.js';
import { computerName, itemNames, myCis } from '../cmdb/index.js';
import * as repo from './backup.repository.js';
import { BrowsedRepository, type RepositoryCache } from './browse-cache.js';
import { repositoryPassword } from './repositories.service.js';
import { openTarget, type TargetDeps } from './targets.service.js';

/** What browsing needs: the database, the master key's box, and the opened repositories. */
export interface BrowseDeps extends TargetDeps {
  cache: RepositoryCache;
}

/** A device's repository opened for one caller. */
export interface Browsing {
  actor: Actor;
  device: BrowseDevice;
  repo: BrowsedRepository;
}

/** The storage could not be read: 502, with what it said. */
export const StorageFailed = (e: unknown) =>
  new AppError(
    502,
    'target_failed',
    'Storage target failed',
    `the backup could not be read: ${errorMessage(e)}`,
  );

/** True when `actor` may browse device `ciId`: backup staff any device, anyone else their own. */
async function mayBrowse(deps: TargetDeps, actor: Actor, ciId: string): Promise<boolean> {
  if (allows(actor, 'backup:browse')) return true;
  if (!actor.userId) return false;
  return (await myCis(deps.ctx, actor)).some((c) => c.id === ciId);
}

/** Opens device `ciId`'s repository for `actor`; 404 when they may not see it or it has none. */
export async function openBrowse(deps: BrowseDeps, actor: Actor, ciId: string): Promise<Browsing> {
  const name = await computerName(deps.ctx, ciId);
  if (name === undefined || !(await mayBrowse(deps, actor, ciId))) throw NotFound('device');
  const r = await repo.repositoryOf(deps.ctx.db, ciId);
  const target = r && (await repo.findTarget(deps.ctx.db, r.target_id));
  if (!r || !target) throw NotFound(`backups of ${name}`);
  const opened = await deps.cache
    .get(`${r.id}:${target.version}`, async () => {
      const backend = await openTarget(deps.box, target, r.folder);
      try {
        return new BrowsedRepository(await Repository.open(backend, repositoryPassword(deps, r)));
      } catch (e) {
        await backend.close().catch(() => undefined);
        throw e;
      }
    })
    .catch((e: unknown) => {
      throw StorageFailed(e);
    });
  return { actor, device: { id: ciId, name }, repo: opened };
}

/** Runs a read of the repository, turning storage failures into 502 (our own 4xx pass through). */
export async function reading<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw e instanceof AppError ? e : StorageFailed(e);
  }
}

/** Records one audit entry about browsing or downloading a device's backups. */
export async function audit(
  deps: TargetDeps,
  b: Browsing,
  action: 'backup.browsed' | 'backup.downloaded',
  details: Record<string, unknown>,
): Promise<void> {
  await deps.ctx.tx((db) =>
    record(db, b.actor, action, { type: 'ci', id: b.device.id }, null, { device: b.device.name, ...details }),
  );
}

/** The devices `actor` may browse, by name: every device with backups for staff, their own for others. */
export async function browsableDevices(deps: TargetDeps, actor: Actor): Promise<BrowsableDevices> {
  const withRepo = new Set((await repo.listRepositories(deps.ctx.db)).map((r) => r.ci_id));
  let devices: BrowseDevice[];
  if (allows(actor, 'backup:browse')) {
    const names = await itemNames(deps.ctx, [...withRepo]);
    devices = [...names].map(([id, name]) => ({ id, name }));
  } else {
    const mine = actor.userId ? await myCis(deps.ctx, actor) : [];
    const named = await Promise.all(
      mine.map(async (c) => ({ id: c.id, name: await computerName(deps.ctx, c.id) })),
    );
    devices = named.filter((d): d is BrowseDevice => d.name !== undefined);
  }
  return {
    devices: devices
      .map((d) => ({ ...d, hasRepository: withRepo.has(d.id) }))
      .sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1)),
  };
}

/** A restic time as an ISO 8601 instant (milliseconds). */
export const isoOf = (t: GoTime): string => new Date(Number(t.ns / 1_000_000n)).toISOString();

/** How long a snapshot listing waits for sizes being counted before answering without them. */
const COUNT_WAIT_MS = 1500;

/** A snapshot as people read it; sizes from restic's summary, or counted (null if not done by `until`). */
export async function snapshotView(b: Browsing, s: StoredSnapshot, until = 0): Promise<BrowseSnapshot> {
  let files: number | null = null;
  let bytes: number | null = null;
  if (s.summary && s.summary.totalFilesProcessed > 0) {
    files = s.summary.totalFilesProcessed;
    bytes = s.summary.totalBytesProcessed;
  } else {
    const counting = b.repo.treeStats(s.tree);
    const wait = Math.max(0, until - Date.now());
    const timer = new Promise<undefined>((ok) => setTimeout(() => ok(undefined), wait).unref());
    const st = await Promise.race([counting.catch(() => undefined), timer]);
    if (st) ({ files, bytes } = st);
  }
  return {
    id: s.id,
    shortId: s.id.slice(0, 8),
    time: isoOf(s.time),
    hostname: s.hostname ?? '',
    username: s.username ?? null,
    paths: s.paths,
    tags: s.tags ?? [],
    files,
    bytes,
    dataAdded: s.summary ? s.summary.dataAdded : null,
  };
}

/** One snapshot of the device; 404 when the repository has no such snapshot. */
export async function snapshotOf(b: Browsing, id: string): Promise<StoredSnapshot> {
  const s = (await reading(() => b.repo.snapshots())).find((x) => x.id === id);
  if (!s) throw NotFound(`snapshot ${id.slice(0, 8)} of ${b.device.name}`);
  return s;
}

/** A device's snapshots, newest first (audited as one "browsed" entry). */
export async function listSnapshots(deps: BrowseDeps, actor: Actor, ciId: string): Promise<BrowseSnapshots> {
  const b = await openBrowse(deps, actor, ciId);
  const snaps = await reading(() => b.repo.snapshots());
  const until = Date.now() + COUNT_WAIT_MS;
  const snapshots = await Promise.all(snaps.map((s) => snapshotView(b, s, until)));
  await audit(deps, b, 'backup.browsed', { view: 'snapshots' });
  return { device: b.device, snapshots };
}

/** What a path names in a snapshot: its root or a folder (by tree), or another node. */
export type Resolved =
  | { kind: 'tree'; tree: string; path: string; name: string; node: Node | null }
  | { kind: 'node'; node: Node; path: string; name: string };

/** Finds `path` in snapshot `s`; 404 when it is not there. */
export async function resolvePath(b: Browsing, s: StoredSnapshot, path: string): Promise<Resolved> {
  const parts = path.split('/').filter((p) => p !== '');
  let tree = s.tree;
  let node: Node | null = null;
  for (let i = 0; i < parts.length; i++) {
    const want = Buffer.from(parts[i]!, 'utf8');
    const t = await reading(() => b.repo.loadTree(tree));
    const found = t.nodes.find((n) => n.name.equals(want));
    if (!found || (i < parts.length - 1 && !(found.type === 'dir' && found.subtree)))
      throw NotFound(`${path} in snapshot ${s.id.slice(0, 8)}`);
    node = found;
    if (found.type === 'dir' && found.subtree) tree = found.subtree;
  }
  const norm = `/${parts.join('/')}`;
  const name = parts[parts.length - 1] ?? '';
  if (node === null || (node.type === 'dir' && node.subtree))
    return { kind: 'tree', tree, path: norm, name, node };
  return { kind: 'node', node, path: norm, name };
}

/** What kind of entry a node is, for people. */
export function entryType(n: Node): BrowseEntryType {
  const known: Record<string, BrowseEntryType> = { file: 'file', dir: 'dir', symlink: 'symlink' };
  return known[n.type] ?? 'other';
}

/** A node as a folder entry. */
export function entryOf(n: Node, parent: string): BrowseEntry {
  const name = n.name.toString('utf8');
  return {
    name,
    path: `${parent === '/' ? '' : parent}/${name}`,
    type: entryType(n),
    size: n.type === 'file' ? (n.size ?? 0) : null,
    mtime: isoOf(n.mtime),
    target: n.type === 'symlink' ? (n.linktarget?.toString('utf8') ?? '') : null,
  };
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** One folder of a snapshot: folders first, then by name as people sort them; a page of it. */
export async function listFolder(
  deps: BrowseDeps,
  actor: Actor,
  ciId: string,
  snapshotId: string,
  q: BrowseFolderQuery,
): Promise<BrowseFolder> {
  const offset = q.cursor === undefined ? 0 : /^\d{1,9}$/.test(q.cursor) ? Number(q.cursor) : NaN;
  if (Number.isNaN(offset))
    throw Invalid('the cursor is not one this list gave', [{ path: 'cursor', message: 'unknown cursor' }]);
  const b = await openBrowse(deps, actor, ciId);
  const s = await snapshotOf(b, snapshotId);
  const at = await resolvePath(b, s, q.path);
  if (at.kind !== 'tree')
    throw Invalid(`${at.path} is not a folder: download it instead`, [
      { path: 'path', message: 'not a folder' },
    ]);
  const nodes = (await reading(() => b.repo.loadTree(at.tree))).nodes;
  const sorted = nodes
    .map((n) => entryOf(n, at.path))
    .sort(
      (x, y) =>
        Number(y.type === 'dir') - Number(x.type === 'dir') ||
        collator.compare(x.name, y.name) ||
        (x.name < y.name ? -1 : 1),
    );
  const page = sorted.slice(offset, offset + q.limit);
  await audit(deps, b, 'backup.browsed', { view: 'folder', snapshot: s.id.slice(0, 8), path: at.path });
  return {
    device: b.device,
    snapshot: await snapshotView(b, s),
    path: at.path,
    entries: page,
    total: sorted.length,
    nextCursor: offset + q.limit < sorted.length ? String(offset + q.limit) : null,
  };
}
