/**
 * Upkeep as jobs: three schedules (forget daily, the rotating check daily, prune weekly by default) each queue a
 * task for every device repository, and one job type runs each queued task. The handlers close over the
 * server's own upkeep dependencies, so two servers in one process (tests) keep their own.
 */
import { z } from 'zod';
import { UpkeepKind } from '../../../contracts/index.js';
import { cronSchedule, type JobSet, jobType } from '../../platform/jobs/index.js';
import { queueUpkeep, runUpkeep, UPKEEP_RUN, type UpkeepDeps } from './upkeep.service.js';

/** The scheduled job that queues a task of `kind` for every repository. */
export const UPKEEP_JOB = 'backup.upkeep';

/** The schedules of upkeep: cron patterns in UTC (config.ts: forget and check daily, prune weekly). */
export interface UpkeepSchedules {
  forget: string;
  check: string;
  prune: string;
}

/**
 * Upkeep's job types and schedules for this server's runner. Throws naming the pattern when a schedule is not
 * valid (before anything runs).
 */
export function upkeepJobs(deps: UpkeepDeps, s: UpkeepSchedules): JobSet {
  return {
    types: [
      jobType(UPKEEP_JOB, {
        schema: z.object({ kind: UpkeepKind }),
        handler: async (_ctx, p) => void (await queueUpkeep(deps, p.kind)),
        maxAttempts: 3,
      }),
      jobType(UPKEEP_RUN.name, {
        schema: UPKEEP_RUN.schema,
        // A retry after the runner died takes over the task it left running; the task's outcome is recorded by
        // the handler itself (a failing repository is an outcome, not a job failure).
        handler: async (_ctx, p, job) => void (await runUpkeep(deps, p.id, { takeOver: job.attempt > 1 })),
        maxAttempts: UPKEEP_RUN.maxAttempts,
        // A prune of a large repository on slow storage takes hours; the runner's lease shows it is alive.
        timeoutMs: 24 * 3_600_000,
      }),
    ],
    schedules: UpkeepKind.options.map((kind) =>
      cronSchedule(UPKEEP_JOB, s[kind], { timezone: 'UTC', payload: { kind }, key: `${UPKEEP_JOB}.${kind}` }),
    ),
  };
}
