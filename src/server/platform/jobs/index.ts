/**
 * Background jobs: a durable queue in the database with retries, leases and cron schedules. A module's factory
 * returns its job types and schedules ({@link jobType}, {@link cronSchedule}: a {@link JobSet}); main.ts hands
 * them all to the {@link JobRunner} it starts. Services enqueue inside the caller's transaction
 * ({@link enqueue}), passing the job's definition.
 */
export { nextRunAfter } from './cron.js';
export { enqueue, type EnqueueOptions } from './enqueue.js';
export {
  cronSchedule,
  defaultBackoff,
  type JobDefinition,
  type JobInfo,
  type JobOptions,
  type JobSet,
  jobType,
  joinJobs,
  PermanentJobError,
  type ScheduleDefinition,
} from './registry.js';
export type { JobState } from './jobs.repository.js';
export { type JobStanding, lockJobStanding } from './state.js';
export { JobRunner, type RunnerLog, type RunnerOptions } from './runner.js';
export { jobsRoutes } from './jobs.routes.js';
