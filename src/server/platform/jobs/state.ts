import type { Db } from '../context.js';
import { findJob, type JobState } from './jobs.repository.js';

/** What a module may know of a job it queued: how it stands. */
export interface JobStanding {
  state: JobState;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  /** When the job last changed (for a failed job: when it failed for good). */
  updatedAt: Date;
}

/**
 * How job `id` stands, its row locked FOR UPDATE in the caller's transaction (an admin's requeue or a runner's
 * claim waits for it), so that a decision taken on a failed job holds until the caller commits. Undefined when
 * the job is gone (purged).
 */
export async function lockJobStanding(db: Db, id: string): Promise<JobStanding | undefined> {
  const j = await findJob(db, id, true);
  return (
    j && {
      state: j.state,
      attempts: j.attempts,
      maxAttempts: j.max_attempts,
      lastError: j.last_error,
      updatedAt: j.updated_at,
    }
  );
}
