/**
 * The compliance register's jobs: the daily evidence collection (every mapping in force and effective), and the
 * daily review reminders (owners of controls whose review is due within a week, once a day, the day noted in the
 * reminder's transaction so that two runners do not both remind).
 */
import { z } from 'zod';
import type { Ctx } from '../../platform/context.js';
import { cronSchedule, type JobSet, jobType } from '../../platform/jobs/index.js';
import { remind } from '../notifications/index.js';
import * as repo from './compliance.repository.js';
import { collectAll, type EvidenceDeps } from './evidence.service.js';

/** The job that collects evidence. */
export const COLLECT_JOB = 'compliance.collect';
/** The job that reminds owners of due reviews. */
export const REVIEW_JOB = 'compliance.review_reminders';
/** How many days ahead of a review its owner is reminded. */
export const REVIEW_NOTICE_DAYS = 7;

/** Reminds owners of reviews due by a week from `now`; returns how many controls were reminded of. */
export async function sendReviewReminders(ctx: Ctx, now = new Date()): Promise<number> {
  const today = now.toISOString().slice(0, 10);
  const until = new Date(now.getTime() + REVIEW_NOTICE_DAYS * 86_400_000).toISOString().slice(0, 10);
  let sent = 0;
  for (const c of await repo.reviewsDue(ctx.db, today, until))
    await ctx.tx(async (db) => {
      if (!(await repo.markReminded(db, c.id, today))) return;
      await remind(db, {
        to: [c.owner_id!],
        item: {
          id: c.id,
          name: `control ${c.ref} ${c.title} (${c.framework_name})`,
          path: `/compliance/controls/${c.id}`,
        },
        what: 'The review',
        date: c.next_review!,
      });
      sent++;
    });
  return sent;
}

/** The jobs and their daily schedules, for the module to hand to the job runner. */
export function complianceJobs(deps: EvidenceDeps): JobSet {
  return {
    types: [
      jobType(COLLECT_JOB, {
        schema: z.object({}).loose(),
        handler: async (ctx) => void (await collectAll(ctx, deps)),
        maxAttempts: 3,
      }),
      jobType(REVIEW_JOB, {
        schema: z.object({}).loose(),
        handler: async (ctx) => void (await sendReviewReminders(ctx)),
        maxAttempts: 3,
      }),
    ],
    schedules: [
      cronSchedule(COLLECT_JOB, '40 2 * * *', { timezone: 'UTC' }),
      cronSchedule(REVIEW_JOB, '45 7 * * *', { timezone: 'UTC' }),
    ],
  };
}
