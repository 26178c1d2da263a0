/**
 * The credential vault: the secrets of the CMDB's credential items (passwords, keys, notes), every version kept
 * and sealed by envelope encryption bound to its item and version; shares with people and teams; reveals with a
 * reason, audited and shown on the item; rotation due dates with reminders and "rotate after reveal"; password
 * generation; CSV import from password managers.
 */
import type { Ctx } from '../../platform/context.js';
import type { SecretBox } from '../../platform/envelope.js';
import type { App } from '../../platform/http.js';
import type { JobSet } from '../../platform/jobs/index.js';
import { rotationJobs } from './vault.reminders.js';
import { vaultRoutes } from './vault.routes.js';
import { vaultService } from './vault.service.js';

export { ROTATION_JOB, sendRotationReminders } from './vault.reminders.js';
export { detectFormat } from './vault.import.js';
export { generatePassword } from './vault.generate.js';
export { credentialHoldings, revokeShare, type CredentialHolding } from './vault.review.js';

/** What the vault needs: the database and a box whose key is derived from the master key for the vault. */
export interface VaultModuleDeps {
  ctx: Ctx;
  box: SecretBox;
}

/** The vault module: its routes and its jobs (rotation reminders), for main.ts to wire. */
export function createVaultModule(deps: VaultModuleDeps): { routes(app: App): void; jobs: JobSet } {
  const service = vaultService(deps.ctx, deps.box);
  return {
    routes: (app) => vaultRoutes(app, deps.ctx, service),
    jobs: rotationJobs(),
  };
}
