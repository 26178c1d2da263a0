/** The backup watch as a job, every minute: recovery points age while nothing is reported. */
import { z } from 'zod';
import { defineJob, schedule } from '../../platform/jobs/index.js';
import { evaluate } from './watch.service.js';

defineJob('backup.watch', {
  schema: z.object({}).loose(),
  handler: async (ctx) => void (await evaluate(ctx)),
  maxAttempts: 1,
  timeoutMs: 55_000,
});
schedule('backup.watch', '* * * * *', { timezone: 'UTC' });
