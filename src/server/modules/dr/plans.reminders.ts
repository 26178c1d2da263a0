/**
 * Review reminders: a daily job tells each plan's owner (or the admins, when it has none), in Steward and by
 * e-mail, that its review is due, `REVIEW_REMIND_DAYS` days ahead, once per plan and review date. The reminder is
 * noted in the same transaction as its notifications, so a crash neither loses one nor sends one twice.
 */
import { z } from 'zod';
import type { Ctx } from '../../platform/context.js';
import { defineJob, schedule } from '../../platform/jobs/index.js';
import { remind } from '../notifications/index.js';
import { activeAdminIds } from '../users/index.js';
import * as repo from './plans.repository.js';
import { today } from './plans.view.js';

/** How many days ahead a plan's review is reminded of. */
export const REVIEW_REMIND_DAYS = 14;

/** The job that sends review reminders. */
export const REVIEW_JOB = 'dr.plan_review_reminders';

/** Sends the reminders due on `now`'s day (UTC); returns how many plans were reminded of. */
export async function sendReviewReminders(ctx: Ctx, now = new Date()): Promise<number> {
  const until = today(new Date(now.getTime() + REVIEW_REMIND_DAYS * 86_400_000));
  let sent = 0;
  for (;;) {
    const due = await repo.reviewsDue(ctx.db, until, 100);
    if (due.length === 0) return sent;
    for (const p of due)
      await ctx.tx(async (db) => {
        if (!(await repo.markReviewReminded(db, p.id, p.review_day))) return;
        const people = p.owner_id ? [p.owner_id] : await activeAdminIds(db);
        await remind(db, {
          to: people,
          item: { id: p.id, name: `the disaster recovery plan “${p.name}”`, path: `/dr/plans/${p.id}` },
          what: 'The review',
          date: p.review_day,
        });
        sent++;
      });
  }
}

defineJob(REVIEW_JOB, {
  schema: z.object({}).loose(),
  handler: async (ctx) => void (await sendReviewReminders(ctx)),
  maxAttempts: 3,
});
schedule(REVIEW_JOB, '0 7 * * *', { timezone: 'UTC' });
