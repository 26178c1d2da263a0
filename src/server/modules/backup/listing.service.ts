/** The backup lists people browse: a device's run history page by page, and every device's repository. */
import type { BackupRun, BackupRunsQuery, DeviceRepository } from '../../../contracts/index.js';
import type { Ctx } from '../../platform/context.js';
import { NotFound } from '../../platform/errors.js';
import { decodeCursor, pageFrom } from '../../platform/pagination.js';
import { type Actor, can } from '../../platform/permissions.js';
import { computerName } from '../cmdb/index.js';
import * as repo from './listing.repository.js';
import { runView } from './runs.service.js';
import { locationBelow } from './targets.service.js';

/** A page of a computer's runs, newest first (admins); 404 when the item is not a computer. */
export async function listRuns(
  ctx: Ctx,
  actor: Actor,
  q: BackupRunsQuery,
): Promise<{ items: BackupRun[]; nextCursor: string | null }> {
  can(actor, 'backup:admin');
  const after = decodeCursor(q.cursor, ['timestamp', 'uuid']);
  if ((await computerName(ctx, q.ciId)) === undefined) throw NotFound('computer');
  const rows = await repo.runsPage(ctx.db, q.ciId, after, q.limit + 1);
  return pageFrom(rows, q.limit, runView, (r) => [r.started_key, r.id]);
}

/** Every device's repository with where it is, by device name (admins). */
export async function listRepositories(ctx: Ctx, actor: Actor): Promise<DeviceRepository[]> {
  can(actor, 'backup:admin');
  return (await repo.repositoriesWithNames(ctx.db)).map((r) => ({
    id: r.id,
    ciId: r.ci_id,
    deviceName: r.device_name,
    targetId: r.target_id,
    targetName: r.target_name,
    location: locationBelow(r.target_location, r.folder),
    createdAt: r.created_at.toISOString(),
  }));
}
