/**
 * Upkeep as jobs: three schedules (forget daily, the rotating check daily, prune weekly by default) each queue a
 * task for every device repository, and one job type runs each queued task. Job handlers receive only the
 * service context: each server attaches its upkeep dependencies under its database, so two servers in one
 * process (tests) keep their own.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { UpkeepKind } from '../../../contracts/index.js';
import type { DB } from '../../db/schema.js';
import type { Ctx } from '../../platform/context.js';
import { checkCron } from '../../platform/jobs/cron.js';
import { defineJob, schedule } from '../../platform/jobs/index.js';
import { queueUpkeep, runUpkeep, UPKEEP_RUN_JOB, type UpkeepDeps } from './upkeep.service.js';

/** The scheduled job that queues a task of `kind` for every repository. */
export const UPKEEP_JOB = 'backup.upkeep';

const attached = new WeakMap<Kysely<DB>, UpkeepDeps>();

function depsOf(ctx: Ctx): UpkeepDeps {
  const deps = attached.get(ctx.db);
  if (!deps) throw new Error('this process has no backup upkeep attached');
  return deps;
}

defineJob(UPKEEP_JOB, {
  schema: z.object({ kind: UpkeepKind }),
  handler: async (ctx, p) => void (await queueUpkeep(depsOf(ctx), p.kind)),
  maxAttempts: 3,
});

defineJob(UPKEEP_RUN_JOB, {
  schema: z.object({ id: z.uuid() }),
  // A retry after the runner died takes over the task it left running; the task's outcome is recorded by the
  // handler itself (a failing repository is an outcome, not a job failure).
  handler: async (ctx, p, job) => void (await runUpkeep(depsOf(ctx), p.id, { takeOver: job.attempt > 1 })),
  maxAttempts: 3,
  // A prune of a large repository on slow storage takes hours; the runner's lease shows it is alive meanwhile.
  timeoutMs: 24 * 3_600_000,
});

/** The schedules of upkeep: cron patterns in UTC (config.ts: forget and check daily, prune weekly). */
export interface UpkeepSchedules {
  forget: string;
  check: string;
  prune: string;
}

let scheduled = false;

/**
 * Registers the upkeep schedules (once per process: the job registry is the process's, so a second server in
 * the same process shares the first one's patterns). Call before the job runner starts. Throws naming the
 * pattern when one is not valid, before registering any.
 */
export function scheduleUpkeep(s: UpkeepSchedules): void {
  if (scheduled) return;
  for (const kind of UpkeepKind.options) checkCron(s[kind], 'UTC');
  for (const kind of UpkeepKind.options)
    schedule(UPKEEP_JOB, s[kind], { timezone: 'UTC', payload: { kind }, key: `${UPKEEP_JOB}.${kind}` });
  scheduled = true;
}

/** Lets this server's job runner run upkeep with `deps`; returns the detach function (for close). */
export function attachUpkeep(deps: UpkeepDeps): () => void {
  attached.set(deps.ctx.db, deps);
  return () => attached.delete(deps.ctx.db);
}
