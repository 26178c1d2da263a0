/**
 * What a restore is picked from: a device's snapshots and the folders in one, read by the server from the
 * device's repository on its target (with the password Steward keeps). Each look is audited. This is the
 * minimum the portal's "Get my files back" needs; the full browser (search, diff, download) is browse.*.
 */
import type { FolderEntry, SnapshotEntry } from '../../../contracts/index.js';
import type { Backend } from '../../../backup/backend/backend.js';
import { errorMessage } from '../../../backup/errors.js';
import { Repository } from '../../../backup/repository.js';
import type { Node } from '../../../backup/tree.js';
import { record } from '../../platform/audit/index.js';
import { AppError, NotFound } from '../../platform/errors.js';
import type { Actor } from '../../platform/permissions.js';
import * as repo from './backup.repository.js';
import { repositoryPassword } from './repositories.service.js';
import { openTarget, type TargetDeps } from './targets.service.js';

const TargetFailed = (e: unknown) =>
  new AppError(
    502,
    'target_failed',
    'Storage target failed',
    `the storage target failed: ${errorMessage(e)}`,
  );

/** Runs `fn` on device `ciId`'s opened repository (index loaded when `index`); 404 when it has none. */
export async function withRepository<T>(
  deps: TargetDeps,
  ciId: string,
  index: boolean,
  fn: (r: Repository) => Promise<T>,
): Promise<T> {
  const r = await repo.repositoryOf(deps.ctx.db, ciId);
  const target = r && (await repo.findTarget(deps.ctx.db, r.target_id));
  if (!r || !target) throw NotFound('backup repository');
  let backend: Backend | undefined;
  let opened: Repository;
  try {
    backend = await openTarget(deps.box, target, r.folder);
    opened = await Repository.open(backend, repositoryPassword(deps, r), { noIndex: !index });
  } catch (e) {
    await backend?.close().catch(() => undefined);
    throw TargetFailed(e);
  }
  try {
    return await fn(opened);
  } finally {
    await backend.close().catch(() => undefined);
  }
}

/** 404 unless device `ciId`'s repository holds snapshot `id`. */
export async function requireSnapshot(deps: TargetDeps, ciId: string, id: string): Promise<void> {
  const found = await withRepository(deps, ciId, false, (r) =>
    r.backend.exists({ type: 'snapshot', name: id }),
  );
  if (!found) throw NotFound('snapshot');
}

const iso = (t: { ns: bigint }) => new Date(Number(t.ns / 1_000_000n)).toISOString();

/** A device's snapshots, newest first (audited as a look at the device's backups). */
export async function snapshotsOf(
  deps: TargetDeps,
  actor: Actor,
  ciId: string,
  device: string,
): Promise<SnapshotEntry[]> {
  const all = await withRepository(deps, ciId, false, (r) => r.listSnapshots());
  await deps.ctx.tx((db) =>
    record(db, actor, 'backup.browsed', { type: 'ci', id: ciId }, null, { device, looked_at: 'snapshots' }),
  );
  return all.reverse().map((s) => ({
    id: s.id,
    time: iso(s.time),
    hostname: s.hostname ?? '',
    paths: s.paths,
  }));
}

const typeOf = (n: Node): FolderEntry['type'] => {
  if (n.type === 'dir') return 'dir';
  if (n.type === 'file') return 'file';
  return n.type === 'symlink' ? 'symlink' : 'other';
};

/** The entries of folder `path` in snapshot `snapshotId` (audited). 404 for a missing snapshot or folder. */
export async function folderOf(
  deps: TargetDeps,
  actor: Actor,
  ciId: string,
  device: string,
  snapshotId: string,
  path: string,
): Promise<{ path: string; items: FolderEntry[] }> {
  const parts = path.split('/').filter((p) => p !== '');
  const items = await withRepository(deps, ciId, true, async (r) => {
    if (!(await r.backend.exists({ type: 'snapshot', name: snapshotId }))) throw NotFound('snapshot');
    let tree = (await r.loadSnapshot(snapshotId)).tree;
    for (const part of parts) {
      const node = (await r.loadTree(tree)).nodes.find((n) => n.name.toString('utf8') === part);
      if (!node || node.type !== 'dir' || !node.subtree) throw NotFound('folder');
      tree = node.subtree;
    }
    return (await r.loadTree(tree)).nodes;
  });
  const at = parts.length ? `/${parts.join('/')}` : '';
  await deps.ctx.tx((db) =>
    record(db, actor, 'backup.browsed', { type: 'ci', id: ciId }, null, {
      device,
      snapshot: snapshotId.slice(0, 8),
      folder: at || '/',
    }),
  );
  return {
    path: at || '/',
    items: items.map((n) => ({
      name: n.name.toString('utf8'),
      path: `${at}/${n.name.toString('utf8')}`,
      type: typeOf(n),
      size: n.type === 'file' ? (n.size ?? 0) : null,
      mtime: iso(n.mtime),
    })),
  };
}
