/**
 * Background jobs: a durable queue in the database with retries, leases and cron schedules. Define job types
 * at module load ({@link defineJob}), enqueue inside the caller's transaction ({@link enqueue}); the
 * {@link JobRunner} started by main.ts runs them.
 */
export { nextRunAfter } from './cron.js';
export { enqueue, type EnqueueOptions } from './enqueue.js';
export {
  cronSchedule,
  defaultBackoff,
  defineJob,
  type JobDefinition,
  type JobInfo,
  type JobOptions,
  jobDefinition,
  jobType,
  PermanentJobError,
  schedule,
  type ScheduleDefinition,
} from './registry.js';
export type { JobState } from './jobs.repository.js';
export { JobRunner, type RunnerLog, type RunnerOptions } from './runner.js';
export { jobsRoutes } from './jobs.routes.js';
