/** The backup watch as a job, every minute: recovery points age while nothing is reported. */
import { z } from 'zod';
import { cronSchedule, type JobSet, jobType } from '../../platform/jobs/index.js';
import { evaluate } from './watch.service.js';

/** The watch's job type and its schedule (every minute, UTC). */
export function watchJobs(): JobSet {
  return {
    types: [
      jobType('backup.watch', {
        schema: z.object({}).loose(),
        handler: async (ctx) => void (await evaluate(ctx)),
        maxAttempts: 1,
        timeoutMs: 55_000,
      }),
    ],
    schedules: [cronSchedule('backup.watch', '* * * * *', { timezone: 'UTC' })],
  };
}
