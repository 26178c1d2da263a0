/**
 * Drills as jobs: one job type runs a drill's restores, and a schedule every minute starts the drills whose
 * plan schedule is due. Job handlers receive only the service context: each server attaches its drill
 * dependencies under its database, so two servers in one process (tests) keep their own.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.js';
import type { Ctx } from '../../platform/context.js';
import { defineJob, schedule } from '../../platform/jobs/index.js';
import { runDrill, type DrillDeps } from './drills.run.js';
import { fireDue } from './drills.schedule.js';
import { DRILL_RUN_JOB } from './drills.service.js';

/** The job that starts the drills whose schedule is due. */
export const DRILL_SCHEDULE_JOB = 'dr.drill_schedule';

const attached = new WeakMap<Kysely<DB>, DrillDeps>();

/** The drill dependencies this process's server on `ctx`'s database attached. */
export function attachedDrills(ctx: Ctx): DrillDeps {
  const deps = attached.get(ctx.db);
  if (!deps) throw new Error('this process has no drills attached');
  return deps;
}

let defined = false;

/**
 * Defines the drill jobs (once per process: the job registry is the process's) and lets this server's runner
 * run them with `deps`; returns the detach function (for close).
 */
export function attachDrills(deps: DrillDeps): () => void {
  if (!defined) {
    defineJob(DRILL_RUN_JOB, {
      schema: z.object({ drillId: z.uuid() }),
      // A retry after the runner died goes on with the steps not finished.
      handler: async (ctx, p, job) => runDrill(attachedDrills(ctx), p.drillId, job.signal),
      maxAttempts: 2,
      timeoutMs: 24 * 3_600_000,
    });
    defineJob(DRILL_SCHEDULE_JOB, {
      schema: z.object({}).loose(),
      handler: async (ctx) => void (await fireDue(attachedDrills(ctx), new Date())),
      maxAttempts: 1,
    });
    schedule(DRILL_SCHEDULE_JOB, '* * * * *', { timezone: 'UTC' });
    defined = true;
  }
  attached.set(deps.ctx.db, deps);
  return () => attached.delete(deps.ctx.db);
}
