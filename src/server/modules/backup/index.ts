/**
 * Company backups: storage targets, one restic repository per device on them, Steward as the agents'
 * backup endpoint (restic's REST protocol, append-only, each device reaching only its own repository), and the
 * repositories' upkeep on the server as jobs (forget by policy, prune, a rotating check).
 */
import type { Ctx, Db } from '../../platform/context.js';
import type { SecretBox } from '../../platform/envelope.js';
import type { App } from '../../platform/http.js';
import { backupAdminRoutes } from './backup.routes.js';
import { RepositoryCache } from './browse-cache.js';
import { browseRoutes } from './browse.routes.js';
import { BackendCache } from './endpoint.service.js';
import { endpointRoutes } from './endpoint.routes.js';
import { rpoRoutes } from './rpo.routes.js';
import { joinJobs } from '../../platform/jobs/index.js';
import { upkeepJobs, type UpkeepSchedules } from './upkeep.jobs.js';
import { watchJobs } from './watch.job.js';
import { upkeepRoutes } from './upkeep.routes.js';

export { latestUpkeep } from './upkeep.service.js';
export { lastGoodSnapshots, recoveryPoints } from './runs.service.js';
export { recoveryHistory, runOutcomes, type RecoveryHistory, type RunOutcome } from './kpi-source.js';
export { runOutcomesSince } from './runs.repository.js';
export { type ZipEntry, zipReadable } from './zip.js';
import { listingRoutes } from './listing.routes.js';
import { restoreRoutes } from './restores.routes.js';
import { withRepository } from './restores.source.js';
import type { Repository } from '../../../backup/repository.js';
import { openTargetFolder, targetName } from './targets.service.js';
import type { OverwriteMode } from '../../../contracts/index.js';
import type { Actor } from '../../platform/permissions.js';
import { checkRequest, insertRequest } from './restores.service.js';
import { backedUp, requestSnapshot, restoreStates, snapshotRequests } from './snapshots.service.js';

/** What the backups module needs from the composition root. */
export interface BackupModuleDeps {
  ctx: Ctx;
  /** Seals storage credentials and repository passwords under the master key. */
  box: SecretBox;
  /** Steward's address as agents reach it (their repository URLs are built on it). */
  publicUrl: string;
  /** When upkeep runs for every repository (cron, UTC). */
  upkeep: UpkeepSchedules;
}

/**
 * The backups module: its routes, its jobs (the watch, upkeep) for main.ts to hand to the runner, `close` for
 * the storage connections it keeps open, and its storage. Throws when an upkeep schedule is not valid.
 */
export function createBackupModule(deps: BackupModuleDeps) {
  const cache = new BackendCache();
  const browsing = new RepositoryCache();
  const targetDeps = { ctx: deps.ctx, box: deps.box };
  const upkeepDeps = { ...targetDeps, clock: () => new Date() };
  const jobs = joinJobs(watchJobs(), upkeepJobs(upkeepDeps, deps.upkeep));
  return {
    routes(app: App): void {
      backupAdminRoutes(app, targetDeps, deps.publicUrl);
      endpointRoutes(app, targetDeps, cache);
      rpoRoutes(app, deps.ctx);
      restoreRoutes(app, targetDeps);
      browseRoutes(app, { ...targetDeps, cache: browsing });
      upkeepRoutes(app, upkeepDeps);
      listingRoutes(app, deps.ctx);
    },
    jobs,
    close: async () => {
      await cache.close();
      await browsing.close();
    },
    /**
     * Restore points for change management: which devices are backed up, "back up now" requests (written in
     * the caller's transaction, audited) and their answers, and a restore of a whole snapshot back onto its
     * device through the restore requests (the caller's permission to restore is checked here).
     */
    restorePoints: {
      backedUp,
      requestSnapshot,
      snapshotRequests,
      restoreStates,
      /** Checks a restore of a whole snapshot back onto its device (reads the repository: outside a transaction). */
      checkRestore: (
        actor: Actor,
        r: { ciId: string; snapshotId: string; destinationFolder: string; overwrite: OverwriteMode },
      ) =>
        checkRequest(targetDeps, actor, {
          sourceCiId: r.ciId,
          snapshotId: r.snapshotId,
          paths: ['/'],
          destinationFolder: r.destinationFolder,
          overwrite: r.overwrite,
        }),
      /** Queues a checked restore in the caller's transaction (audited); its id. */
      insertRestore: async (db: Db, actor: Actor, c: Awaited<ReturnType<typeof checkRequest>>) =>
        (await insertRequest(db, actor, c.input, c.names)).id,
    },
    /** Storage for other parts of Steward (its own backup), by target id. */
    storage: {
      open: (targetId: string, folder: string) => openTargetFolder(targetDeps, targetId, folder),
      name: (targetId: string) => targetName(targetDeps, targetId),
      /**
       * Runs `fn` on device `ciId`'s repository, opened on the server with the password Steward keeps (a drill's
       * test restore); NotFound when the device has no repository, 502 when its storage fails.
       */
      withDevice: <T>(ciId: string, fn: (r: Repository) => Promise<T>) =>
        withRepository(targetDeps, ciId, true, fn),
    },
  };
}

/** What the backups module lends change management for restore points. */
export type RestorePoints = ReturnType<typeof createBackupModule>['restorePoints'];
export type { SnapshotRequest } from './snapshots.service.js';

/** The storage the backups module lends to other modules. */
export type BackupStorage = ReturnType<typeof createBackupModule>['storage'];

/** True while a restore reads device `ciId`'s repository (upkeep should not prune it meanwhile). */
export { restoreRunning } from './restores.repository.js';
