/**
 * Company backups: storage targets, one restic repository per device on them, and Steward as the agents'
 * backup endpoint (restic's REST protocol, append-only, each device reaching only its own repository).
 */
import type { Ctx } from '../../platform/context.js';
import type { SecretBox } from '../../platform/envelope.js';
import type { App } from '../../platform/http.js';
import { backupAdminRoutes } from './backup.routes.js';
import { BackendCache } from './endpoint.service.js';
import { endpointRoutes } from './endpoint.routes.js';
import { openTargetFolder, targetName } from './targets.service.js';

/** What the backups module needs from the composition root. */
export interface BackupModuleDeps {
  ctx: Ctx;
  /** Seals storage credentials and repository passwords under the master key. */
  box: SecretBox;
  /** Steward's address as agents reach it (their repository URLs are built on it). */
  publicUrl: string;
}

/** The backups module: its routes, `close` for the storage connections it keeps open, and its storage. */
export function createBackupModule(deps: BackupModuleDeps) {
  const cache = new BackendCache();
  const targetDeps = { ctx: deps.ctx, box: deps.box };
  return {
    routes(app: App): void {
      backupAdminRoutes(app, targetDeps, deps.publicUrl);
      endpointRoutes(app, targetDeps, cache);
    },
    close: () => cache.close(),
    /** Storage for other parts of Steward (its own backup), by target id. */
    storage: {
      open: (targetId: string, folder: string) => openTargetFolder(targetDeps, targetId, folder),
      name: (targetId: string) => targetName(targetDeps, targetId),
    },
  };
}

/** The storage the backups module lends to other modules. */
export type BackupStorage = ReturnType<typeof createBackupModule>['storage'];
