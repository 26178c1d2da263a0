/**
 * Warranty and contract expiry reminders: a daily job tells an item's owner and its team's members (or the
 * admins, when nobody owns it), in Steward and by e-mail, `REMIND_DAYS` days ahead, once per item,
 * kind and date. Each reminder is recorded in the same transaction as its notifications, so a crash neither
 * loses one nor sends one twice.
 */
import { z } from 'zod';
import type { Ctx } from '../../platform/context.js';
import { cronSchedule, type JobSet, jobType } from '../../platform/jobs/index.js';
import { remind } from '../notifications/index.js';
import * as repo from './cmdb.repository.js';

/** The job that sends the reminders due today. */
export const REMINDERS_JOB = 'cmdb.expiry_reminders';

/** How many days ahead an ending warranty or contract is reminded of. */
export const REMIND_DAYS = 30;

const day = (d: Date) => d.toISOString().slice(0, 10);

/** Sends the reminders due on `today` (UTC date); returns how many items were reminded of. */
export async function sendExpiryReminders(ctx: Ctx, today: Date = new Date()): Promise<number> {
  const from = day(today);
  const to = day(new Date(today.getTime() + REMIND_DAYS * 86_400_000));
  let sent = 0;
  for (;;) {
    const due = await repo.expiringUnreminded(ctx.db, from, to, 200);
    if (due.length === 0) return sent;
    for (const d of due) {
      await ctx.tx(async (db) => {
        if (!(await repo.markReminded(db, d.id, d.kind, d.due))) return;
        const people = d.people.length > 0 ? d.people : await repo.adminIds(db);
        await remind(db, {
          to: people,
          item: { id: d.id, name: d.name },
          what: d.kind === 'warranty' ? 'The warranty end' : 'The contract end',
          date: d.due,
        });
        sent++;
      });
    }
  }
}

/** The daily `cmdb.expiry_reminders` job, at 07:00 UTC. */
export function reminderJobs(): JobSet {
  return {
    types: [
      jobType(REMINDERS_JOB, {
        schema: z.object({}).loose(),
        handler: async (ctx) => void (await sendExpiryReminders(ctx)),
        maxAttempts: 3,
      }),
    ],
    schedules: [cronSchedule(REMINDERS_JOB, '0 7 * * *', { timezone: 'UTC' })],
  };
}
