import { sql } from 'kysely';
import { z } from 'zod';
import type { Ctx } from '../../platform/context.js';
import { cronSchedule, type JobSet, jobType } from '../../platform/jobs/index.js';
import type { Actor } from '../../platform/permissions.js';
import * as settings from '../settings/index.js';
import { applyChange } from './change.js';
import * as repo from './tickets.repository.js';

/** The job that closes tickets resolved long enough ago. */
export const AUTO_CLOSE_JOB = 'tickets.auto_close';

/** Who closes tickets that nobody confirmed: recorded as `system` on the timeline and in the audit trail. */
const SYSTEM: Actor = { userId: null, role: 'admin', label: 'system', via: 'system' };
const BATCH = 200;

/**
 * Closes tickets resolved longer ago than the service desk's `autoCloseDays` (a requester who neither
 * confirmed nor reopened has accepted the resolution). Each ticket closes in its own short transaction,
 * re-checked under its row lock, so a reopen that races the job wins. Returns how many were closed.
 */
export async function autoCloseResolved(ctx: Ctx, now: Date = new Date()): Promise<number> {
  const days = await settings.autoCloseDaysOf(ctx.db);
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  let closed = 0;
  for (;;) {
    const ids = await repo.resolvedBefore(ctx.db, cutoff, BATCH);
    let done = 0;
    for (const id of ids) {
      done += await ctx.tx(async (db) => {
        const t = await repo.findVisible(db, id, sql<boolean>`true`, true);
        if (!t || t.status !== 'resolved' || !t.resolved_at || t.resolved_at > cutoff) return 0;
        await applyChange(db, SYSTEM, t, { status: 'closed' }, { action: 'ticket.auto_closed' });
        return 1;
      });
    }
    closed += done;
    if (ids.length < BATCH || done === 0) return closed;
  }
}

/** The hourly `tickets.auto_close` job, at minute 17. */
export function autoCloseJobs(): JobSet {
  return {
    types: [
      jobType(AUTO_CLOSE_JOB, {
        schema: z.object({}).loose(),
        handler: async (ctx) => void (await autoCloseResolved(ctx)),
        maxAttempts: 3,
      }),
    ],
    schedules: [cronSchedule(AUTO_CLOSE_JOB, '17 * * * *', { timezone: 'UTC' })],
  };
}
