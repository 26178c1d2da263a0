/**
 * Disaster recovery: Steward's own backup (its database, configuration and audit checkpoints, on a schedule, to
 * a registered storage target), restored on a new machine by `steward server restore` (server/self-restore.ts);
 * and recovery plans per business service (plans.*), verified by drills.
 */
import { z } from 'zod';
import type { App } from '../../platform/http.js';
import { cronSchedule, joinJobs, jobType } from '../../platform/jobs/index.js';
import { reviewJobs } from './plans.reminders.js';
import { plansRoutes } from './plans.routes.js';
import { serverBackupRoutes } from './server-backup.routes.js';
import { runIfDue, type ServerBackupDeps } from './server-backup.service.js';
import { wireDrills } from './drills.jobs.js';
import { drillPlans } from './drills.plans.js';
import { drillsRoutes } from './drills.routes.js';
import type { DrillDeps } from './drills.run.js';

export { settleRestoredRun } from './server-backup.service.js';
export type { ServerBackupDeps } from './server-backup.service.js';
export { REVIEW_JOB, sendReviewReminders } from './plans.reminders.js';
export { recoveryOrder, type PlanRecovery, type RecoveryItem } from './plans.scope.js';
export { markVerified, type Verification } from './plans.verify.js';
export type { ScopeFingerprint } from './plans.repository.js';
export { drillOutcomesSince } from './drills.repository.js';

/** The job that starts Steward's own backup when its schedule has one due. */
export const SERVER_BACKUP_JOB = 'dr.server_backup';

/** What the disaster-recovery module needs: Steward's own backup's, and for drills the devices' repositories. */
export interface DrModuleDeps extends ServerBackupDeps {
  /** Opens a device's repository on the server (the backups module's storage). */
  withDevice: DrillDeps['withDevice'];
  /** Drills' scratch folders for test restores are made (and removed) below it. */
  scratchDir: string;
}

/**
 * The disaster-recovery module: its routes; its jobs (for main.ts to hand to the job runner: the handler backs up
 * this server's own database); and `close`, which waits for a backup in progress.
 */
export function createDrModule(deps: DrModuleDeps) {
  const { deps: drills, jobs: drillJobs } = wireDrills({
    ctx: deps.ctx,
    plans: drillPlans(deps.ctx),
    withDevice: deps.withDevice,
    scratchDir: deps.scratchDir,
  });
  const review = reviewJobs();
  const running = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    running.add(p);
    void p.finally(() => running.delete(p));
  };
  return {
    routes(app: App): void {
      serverBackupRoutes(app, deps, track);
      drillsRoutes(app, drills);
      plansRoutes(app, deps.ctx);
    },
    jobs: joinJobs(review, drillJobs, {
      types: [
        jobType(SERVER_BACKUP_JOB, {
          schema: z.object({}).loose(),
          handler: async () => {
            await runIfDue(deps);
          },
          maxAttempts: 1,
          timeoutMs: 6 * 3600_000,
        }),
      ],
      schedules: [cronSchedule(SERVER_BACKUP_JOB, '*/5 * * * *', { timezone: 'UTC' })],
    }),
    close: async () => {
      await Promise.allSettled([...running]);
    },
  };
}
export { drillOutcomes, type DrillOutcome } from './kpi-source.js';
