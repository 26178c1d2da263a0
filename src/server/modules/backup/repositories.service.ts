/**
 * Each device's restic repository on a storage target: created by the server with a random password that
 * Steward keeps sealed (so IT can restore when the device is gone), reached by the device's agent through the
 * backup endpoint only.
 */
import { randomUUID } from 'node:crypto';
import type { AgentBackupAccess, DeviceRepository } from '../../../contracts/index.js';
import type { Backend } from '../../../backup/backend/backend.js';
import { errorMessage } from '../../../backup/errors.js';
import { initRepository } from '../../../backup/init.js';
import { record } from '../../platform/audit/index.js';
import { AppError, Conflict, NotFound, Unauthenticated } from '../../platform/errors.js';
import { type Actor, can } from '../../platform/permissions.js';
import { randomSecret } from '../../platform/secrets.js';
import { agentOfToken, computerName } from '../cmdb/index.js';
import * as repo from './backup.repository.js';
import { queuedFor } from './snapshots.service.js';
import { effectivePolicy } from './policies.service.js';
import { locationBelow, openTarget, type TargetDeps } from './targets.service.js';

const passwordContext = (id: string) => `backup_repository:${id}`;

/** The storage answered with an error: 502, with what it said. */
const TargetFailed = (detail: string) => new AppError(502, 'target_failed', 'Storage target failed', detail);

async function view(deps: TargetDeps, r: repo.RepositoryRow): Promise<DeviceRepository> {
  const target = await repo.findTarget(deps.ctx.db, r.target_id);
  return {
    id: r.id,
    ciId: r.ci_id,
    deviceName: (await computerName(deps.ctx, r.ci_id)) ?? '(removed)',
    targetId: r.target_id,
    targetName: target?.name ?? '(removed)',
    location: target ? locationBelow(target.location, r.folder) : r.folder,
    createdAt: r.created_at.toISOString(),
  };
}

/** A device's repository (admins); 404 when it has none. */
export async function getRepository(deps: TargetDeps, actor: Actor, ciId: string): Promise<DeviceRepository> {
  can(actor, 'backup:admin');
  const r = await repo.repositoryOf(deps.ctx.db, ciId);
  if (!r) throw NotFound('backup repository');
  return view(deps, r);
}

/**
 * Gives a device a repository of its own on a target (admins): the record first (one per device, decided by
 * the database when two admins assign at once), then the repository on the target; if the target cannot be
 * written, the record is removed again and nothing stays behind.
 */
export async function assignRepository(
  deps: TargetDeps,
  actor: Actor,
  ciId: string,
  targetId: string,
): Promise<DeviceRepository> {
  can(actor, 'backup:admin');
  const name = await computerName(deps.ctx, ciId);
  if (name === undefined) throw NotFound('computer');
  const target = await repo.findTarget(deps.ctx.db, targetId);
  if (!target) throw NotFound('storage target');
  const id = randomUUID();
  const password = randomSecret(32);
  const folder = `steward-${ciId}`;
  const inserted = await deps.ctx.tx(async (db) => {
    const ok = await repo.insertRepository(db, {
      id,
      ci_id: ciId,
      target_id: targetId,
      folder,
      password: deps.box.seal(password, passwordContext(id)),
    });
    if (ok)
      await record(db, actor, 'backup_repository.created', { type: 'backup_repository', id }, null, {
        device: name,
        target: target.name,
        folder,
      });
    return ok;
  });
  if (!inserted) throw Conflict(`${name} has a backup repository already`, 'repository_exists');
  let backend: Backend | undefined;
  try {
    backend = await openTarget(deps.box, target, folder);
    await initRepository(backend, password);
  } catch (e) {
    await deps.ctx.tx(async (db) => {
      await repo.deleteRepository(db, id);
      await record(db, actor, 'backup_repository.failed', { type: 'backup_repository', id }, null, {
        device: name,
        target: target.name,
        error: errorMessage(e),
      });
    });
    throw TargetFailed(
      `the repository of ${name} could not be created on “${target.name}”: ${errorMessage(e)}`,
    );
  } finally {
    await backend?.close().catch(() => undefined);
  }
  return getRepository(deps, actor, ciId);
}

/** The repository password of a device (for the agent that owns it, or a restore by IT). */
export function repositoryPassword(deps: TargetDeps, r: repo.RepositoryRow): string {
  return deps.box.open(r.password, passwordContext(r.id));
}

/**
 * What the agent holding `token` needs to back up through Steward: its repository's URL on the endpoint and
 * the repository password. 401 for an unknown token, 404 while its device has no repository.
 */
export async function agentAccess(
  deps: TargetDeps,
  token: string,
  publicUrl: string,
): Promise<AgentBackupAccess> {
  const agent = await agentOfToken(deps.ctx, token);
  if (!agent) throw Unauthenticated('the agent token is unknown or revoked');
  const r = agent.ciId ? await repo.repositoryOf(deps.ctx.db, agent.ciId) : undefined;
  if (!r) throw NotFound('backup repository');
  const base = publicUrl.replace(/\/+$/, '');
  const path = `/api/v1/backup/devices/${r.ci_id}/`;
  return {
    repository: `rest:${base}${path}`,
    repositoryPath: path,
    username: agent.agentId,
    repositoryPassword: repositoryPassword(deps, r),
    policy: await effectivePolicy(deps.ctx, r.ci_id),
    snapshotRequestId: await queuedFor(deps.ctx.db, r.ci_id),
  };
}
