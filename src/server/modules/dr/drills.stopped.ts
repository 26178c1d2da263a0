/**
 * Drills whose job stopped for good: the runner retries a drill's job once when its process dies (the lease
 * expires) and then marks it failed, and no handler runs again. Without this the drill would stay running, and
 * its plan could not be drilled, until a person cancelled it. The every-minute schedule job looks for running
 * drills whose job failed and fails them with the reason in words, each in one transaction that locks the job
 * row (an admin's requeue waits) and the drill's row (a cancel or a tick waits; the status is checked under it).
 */
import { lockJobStanding, type JobStanding } from '../../platform/jobs/index.js';
import { finishIfDone } from './drills.finish.js';
import * as repo from './drills.repository.js';
import type { DrillDeps } from './drills.run.js';

const when = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
const times = (n: number) => (n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`);

/** Why the drill failed, as people read it: how the job ended, and the last sign of the drill's progress. */
export function stoppedReason(job: JobStanding, steps: readonly repo.StepRow[], d: repo.DrillRow): string {
  if (!job.lastError?.startsWith('lease expired'))
    return `the drill’s job failed: ${job.lastError ?? 'no reason was recorded'}`.slice(0, 1000);
  const seen = steps
    .flatMap((s) => [s.started_at, s.finished_at, s.ticked_at])
    .filter((t): t is Date => t !== null)
    .reduce((a, b) => (b > a ? b : a), d.started_at);
  const busy = steps.find((s) => s.status === 'running');
  const doing = busy ? ` restoring ${busy.device_name ?? busy.title}` : '';
  return `the drill’s job stopped ${times(job.attempts)} without finishing; last seen ${when(seen)}${doing}`;
}

/** Fails the running drills whose job failed for good; returns how many it failed. */
export async function failStoppedDrills(deps: DrillDeps): Promise<number> {
  let failed = 0;
  for (const r of await repo.runningWithJobs(deps.ctx.db, 100)) {
    const ended = await deps.ctx.tx(async (db) => {
      const job = await lockJobStanding(db, r.job_id!);
      // Pending or running: it goes on. Succeeded: the drill waits for its manual steps. Gone: purged
      // jobs are succeeded or discarded ones.
      if (job?.state !== 'failed') return null;
      return finishIfDone(db, deps.plans, r.id, undefined, (steps, d) => stoppedReason(job, steps, d));
    });
    if (ended) failed++;
  }
  return failed;
}
