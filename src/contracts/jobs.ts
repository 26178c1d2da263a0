import { z } from 'zod';
import { pageOf } from './common.js';

/** A background job's lifecycle: pending → running → succeeded | failed (after its last attempt) | discarded. */
export const JobState = z.enum(['pending', 'running', 'succeeded', 'failed', 'discarded']);
export type JobState = z.infer<typeof JobState>;

/** A background job as admins see it. */
export const Job = z.object({
  id: z.uuid(),
  name: z.string(),
  state: JobState,
  payload: z.unknown(),
  priority: z.number().int(),
  runAt: z.string(),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  dedupeKey: z.string().nullable(),
  lastError: z.string().nullable(),
  lockedBy: z.string().nullable(),
  leaseUntil: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type Job = z.infer<typeof Job>;
export const JobPage = pageOf(Job);

/** GET /api/v1/admin/jobs: filter by state and job name; newest first. */
export const JobQuery = z.strictObject({
  state: JobState.optional(),
  name: z.string().min(1).max(200).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type JobQuery = z.infer<typeof JobQuery>;

/** A stored cron schedule. */
export const JobSchedule = z.object({
  key: z.string(),
  jobName: z.string(),
  cron: z.string(),
  timezone: z.string(),
  nextRunAt: z.string().nullable(),
  lastRunAt: z.string().nullable(),
});
export type JobSchedule = z.infer<typeof JobSchedule>;
export const JobScheduleList = z.object({ items: z.array(JobSchedule) });
