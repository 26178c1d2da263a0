/**
 * Review reminders: a daily job tells each reviewer with holdings still to decide in an open campaign, in
 * Steward and by e-mail (the notifications service), once a day per campaign; the day is noted in the same
 * transaction as the notifications, so two runners do not both remind.
 */
import { z } from 'zod';
import type { Ctx } from '../../platform/context.js';
import { cronSchedule, jobType } from '../../platform/jobs/index.js';
import { remind } from '../notifications/index.js';
import * as repo from './reviews.repository.js';

/** The job that sends review reminders. */
export const REVIEW_REMINDER_JOB = 'reviews.reminders';

/** Sends today's reminders (UTC); returns how many campaigns were reminded of. */
export async function sendReviewReminders(ctx: Ctx, now = new Date()): Promise<number> {
  const day = now.toISOString().slice(0, 10);
  let sent = 0;
  for (const c of await repo.toRemind(ctx.db, day))
    await ctx.tx(async (db) => {
      if (!(await repo.markReminded(db, c.id, day))) return;
      await remind(db, {
        to: c.reviewers,
        item: { id: c.id, name: `the access review “${c.name}”`, path: `/reviews/${c.id}` },
        what: 'Your decisions in the access review',
        date: c.due,
      });
      sent++;
    });
  return sent;
}

/** The reminder job and its daily schedule, for the module to hand to the job runner. */
export function reviewJobs() {
  return {
    types: [
      jobType(REVIEW_REMINDER_JOB, {
        schema: z.object({}).loose(),
        handler: async (ctx) => void (await sendReviewReminders(ctx)),
        maxAttempts: 3,
      }),
    ],
    schedules: [cronSchedule(REVIEW_REMINDER_JOB, '30 7 * * *', { timezone: 'UTC' })],
  };
}
