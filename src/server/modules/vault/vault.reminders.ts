/**
 * Rotation reminders: a daily job tells the people who manage a credential (or the admins, when nobody does),
 * in Steward and by e-mail, that its rotation is due, `ROTATION_REMIND_DAYS` ahead, once per credential and due
 * date; the reminder is noted in the same transaction as its notifications.
 */
import { z } from 'zod';
import type { Ctx } from '../../platform/context.js';
import { cronSchedule, jobType } from '../../platform/jobs/index.js';
import { credentialItem } from '../cmdb/index.js';
import { remind } from '../notifications/index.js';
import { teamMembers } from '../teams/index.js';
import { activeAdminIds } from '../users/index.js';
import { day } from './vault.service.js';
import * as repo from './vault.repository.js';

/** How many days ahead a rotation is reminded of. */
export const ROTATION_REMIND_DAYS = 7;

/** The job that sends rotation reminders. */
export const ROTATION_JOB = 'vault.rotation_reminders';

/** Sends the rotation reminders due on `now`'s day (UTC); returns how many credentials were reminded of. */
export async function sendRotationReminders(ctx: Ctx, now = new Date()): Promise<number> {
  const until = day(ROTATION_REMIND_DAYS, now);
  let sent = 0;
  for (;;) {
    const due = await repo.rotationsDue(ctx.db, until, 100);
    if (due.length === 0) return sent;
    for (const d of due)
      await ctx.tx(async (db) => {
        if (!(await repo.markReminded(db, d.ci_id, d.due))) return;
        const item = await credentialItem(db, d.ci_id);
        if (!item) return;
        const managers = (await repo.shares(db, d.ci_id)).filter((s) => s.level === 'manage');
        const people = [
          ...managers.flatMap((s) => (s.user_id ? [s.user_id] : [])),
          ...(await teamMembers(
            db,
            managers.flatMap((s) => (s.team_id ? [s.team_id] : [])),
          )),
        ];
        await remind(db, {
          to: people.length > 0 ? [...new Set(people)] : await activeAdminIds(db),
          item: { id: item.id, name: `the credential “${item.name}”`, path: `/inventory/${item.id}` },
          what: 'The password rotation',
          date: d.due,
        });
        sent++;
      });
  }
}

/** The rotation-reminder job and its daily schedule, for the module to hand to the job runner. */
export function rotationJobs() {
  return {
    types: [
      jobType(ROTATION_JOB, {
        schema: z.object({}).loose(),
        handler: async (ctx) => void (await sendRotationReminders(ctx)),
        maxAttempts: 3,
      }),
    ],
    schedules: [cronSchedule(ROTATION_JOB, '15 7 * * *', { timezone: 'UTC' })],
  };
}
