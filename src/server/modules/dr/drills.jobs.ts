/**
 * Drills as jobs: one job type runs a drill's restores, and a schedule every minute starts the drills whose
 * plan schedule is due. Both close over this server's drill dependencies: the module factory returns them for
 * main.ts to hand to its job runner (nothing is registered process-wide, so two servers in one process keep
 * their own).
 */
import { z } from 'zod';
import { cronSchedule, type JobDefinition, type JobSet, jobType } from '../../platform/jobs/index.js';
import { runDrill, type DrillDeps } from './drills.run.js';
import { fireDue } from './drills.schedule.js';
import { failStoppedDrills } from './drills.stopped.js';
import { DRILL_RUN_JOB } from './drills.service.js';

/** The job that starts the drills whose schedule is due. */
export const DRILL_SCHEDULE_JOB = 'dr.drill_schedule';

/** How often a drill's job is tried: a retry after the runner died goes on with the steps not finished. */
export const DRILL_RUN_ATTEMPTS = 2;

/**
 * The drills' dependencies with their run job (which `startDrill` queues with its definition), and the job set
 * for the runner: the run job and the every-minute schedule job.
 */
export function wireDrills(base: Omit<DrillDeps, 'runJob'>): { deps: DrillDeps; jobs: JobSet } {
  const run: JobDefinition<unknown> = jobType(DRILL_RUN_JOB, {
    schema: z.object({ drillId: z.uuid() }),
    handler: async (_ctx, p, job) => runDrill(deps, p.drillId, job.signal),
    maxAttempts: DRILL_RUN_ATTEMPTS,
    timeoutMs: 24 * 3_600_000,
  });
  const deps: DrillDeps = { ...base, runJob: run };
  const jobs: JobSet = {
    types: [
      run,
      jobType(DRILL_SCHEDULE_JOB, {
        schema: z.object({}).loose(),
        // Also fails the drills whose run job was retried out: nothing else would end them.
        handler: async () => {
          await fireDue(deps, new Date());
          await failStoppedDrills(deps);
        },
        maxAttempts: 1,
      }),
    ],
    schedules: [cronSchedule(DRILL_SCHEDULE_JOB, '* * * * *', { timezone: 'UTC' })],
  };
  return { deps, jobs };
}
