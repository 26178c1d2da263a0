/**
 * The source of a restore: a check, when it is asked for, that the device's repository holds the snapshot
 * (read by the server on the target with the password Steward keeps; browsing is browse.service.ts).
 */
import type { Backend } from '../../../backup/backend/backend.js';
import { errorMessage } from '../../../backup/errors.js';
import { Repository } from '../../../backup/repository.js';
import { AppError, NotFound } from '../../platform/errors.js';
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
