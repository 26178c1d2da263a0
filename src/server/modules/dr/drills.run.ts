/**
 * Running a drill's restores, as a background job: each device's newest snapshot restored on the server in
 * recovery order, one after the other (a device is restored after what it needs), each verified and its
 * scratch folder removed. A retried job (the process died) goes on with the steps not finished. When the last
 * restore is done the drill finishes, or waits for its manual steps to be ticked.
 */
import type { Repository } from '../../../backup/repository.js';
import { errorMessage } from '../../../backup/errors.js';
import type { Ctx } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import type { JobDefinition } from '../../platform/jobs/index.js';
import {
  failedOutcome,
  removeScratch,
  scratchOf,
  testRestore,
  type RestoreOutcome,
} from './drills.engine.js';
import { finishInTx } from './drills.finish.js';
import type { DrillPlans } from './drills.plans.js';
import * as repo from './drills.repository.js';

/** What drills need from the composition root. */
export interface DrillDeps {
  ctx: Ctx;
  plans: DrillPlans;
  /** Opens a device's repository on the server (the backups module's storage). */
  withDevice: <T>(ciId: string, fn: (r: Repository) => Promise<T>) => Promise<T>;
  /** Scratch folders of test restores are made below it (and removed after each step). */
  scratchDir: string;
  /** The job type that runs a drill's restores (`startDrill` queues it with this definition). */
  runJob: JobDefinition<unknown>;
}

/** A device's test restore; a device without a repository, or storage that fails, is the step's error. */
async function restoreDevice(deps: DrillDeps, drillId: string, s: repo.StepRow): Promise<RestoreOutcome> {
  try {
    return await deps.withDevice(s.ci_id!, (r) =>
      testRestore(r, scratchOf(deps.scratchDir, drillId, s.position)),
    );
  } catch (e) {
    const why =
      e instanceof AppError && e.status === 404
        ? 'it has no backup repository'
        : e instanceof AppError
          ? (e.detail ?? e.message)
          : errorMessage(e);
    return failedOutcome(why);
  }
}

/** Runs one restore step and records its outcome; false when the drill was cancelled meanwhile. */
async function restoreStep(deps: DrillDeps, drillId: string, s: repo.StepRow): Promise<boolean> {
  // Cancelled meanwhile: the drill is evidence now, nothing of it moves.
  if (!(await repo.startStep(deps.ctx.db, drillId, s.position))) return false;
  const o = await restoreDevice(deps, drillId, s);
  const ok = o.error === null && o.mismatches === 0;
  await repo.finishStep(deps.ctx.db, drillId, s.position, {
    status: ok ? 'passed' : 'failed',
    snapshot_id: o.snapshot?.id ?? null,
    snapshot_time: o.snapshot?.time ?? null,
    files: o.files,
    bytes: o.bytes,
    verified_files: o.verifiedFiles,
    mismatches: o.mismatches,
    details: {
      tree: o.snapshot?.tree ?? null,
      hostname: o.snapshot?.hostname ?? null,
      paths: o.snapshot?.paths ?? [],
      manifestSha256: o.manifestSha256,
      listed: o.listed,
      problems: o.problems,
    },
    error: o.error,
  });
  return true;
}

/** Runs the drill's restore steps not finished yet, then finishes the drill if nothing waits for a person. */
export async function runDrill(deps: DrillDeps, drillId: string, signal?: AbortSignal): Promise<void> {
  const steps = await repo.stepsOf(deps.ctx.db, drillId);
  try {
    for (const s of steps) {
      if (s.kind !== 'restore' || s.status === 'passed' || s.status === 'failed') continue;
      if (signal?.aborted || !(await restoreStep(deps, drillId, s))) return;
    }
  } finally {
    await removeScratch(scratchOf(deps.scratchDir, drillId));
  }
  await finishInTx(deps.ctx, deps.plans, drillId);
}
