/**
 * Plans' drill schedules: a cron pattern in a time zone per plan. The `dr.drill_schedule` job (every minute,
 * once across processes) takes the schedules that are due with SKIP LOCKED and moves each to its next firing in
 * the same transaction, then starts their drills: a firing starts at most one drill however many servers run
 * (a plan whose drill is still running skips that firing).
 */
import type { DrillSchedule, UpdateDrillSchedule } from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import { AppError, Invalid, Stale } from '../../platform/errors.js';
import { checkCron, nextRunAfter } from '../../platform/jobs/cron.js';
import { describeCron } from '../../platform/jobs/cron-text.js';
import type { Actor } from '../../platform/permissions.js';
import * as repo from './drills.repository.js';
import type { DrillDeps } from './drills.run.js';
import { startDrill } from './drills.service.js';

/** Who starts scheduled drills. */
const SCHEDULER: Actor = { userId: null, role: 'admin', label: 'drill schedule', via: 'system' };

function viewOf(s: repo.ScheduleRow | undefined): DrillSchedule {
  return {
    cron: s?.cron ?? null,
    timeZone: s?.time_zone ?? 'UTC',
    description: s ? describeCron(s.cron, s.time_zone) : null,
    enabled: s?.enabled ?? false,
    nextRunAt: s?.enabled ? (s.next_run_at?.toISOString() ?? null) : null,
    version: s?.version ?? 0,
  };
}

/** Whether `tz` is an IANA time zone this system knows. */
function knownTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** A plan's drill schedule (version 0: none yet). */
export async function getSchedule(deps: DrillDeps, actor: Actor, planId: string): Promise<DrillSchedule> {
  await deps.plans.load(deps.ctx, actor, planId);
  return viewOf(await repo.scheduleOf(deps.ctx.db, planId));
}

/** Sets a plan's drill schedule (`version` 0 creates it); Stale when someone saved first. */
export async function setSchedule(
  deps: DrillDeps,
  actor: Actor,
  planId: string,
  version: number,
  input: UpdateDrillSchedule,
): Promise<DrillSchedule> {
  const plan = await deps.plans.load(deps.ctx, actor, planId);
  deps.plans.canRun(actor);
  if (Number.isNaN(version)) throw Stale();
  const errors = [];
  const zoneOk = knownTimeZone(input.timeZone);
  if (!zoneOk) errors.push({ path: 'body.timeZone', message: 'not a time zone (e.g. Europe/Berlin or UTC)' });
  try {
    checkCron(input.cron, zoneOk ? input.timeZone : 'UTC');
  } catch {
    errors.push({
      path: 'body.cron',
      message: 'not a cron pattern (e.g. “0 9 * * 1#1”, the first Monday of every month at 09:00)',
    });
  }
  if (errors.length > 0) throw Invalid('the drill schedule is not valid', errors);
  const next = input.enabled ? nextRunAfter(input.cron, input.timeZone, new Date()) : null;
  await deps.ctx.tx(async (db) => {
    const ok = await repo.upsertSchedule(db, planId, version === 0 ? undefined : version, {
      cron: input.cron,
      time_zone: input.timeZone,
      enabled: input.enabled,
      next_run_at: next,
    });
    if (!ok) throw Stale();
    await record(db, actor, 'dr_drill_schedule.set', { type: 'dr_plan', id: planId }, null, {
      plan: plan.name,
      cron: input.cron,
      timeZone: input.timeZone,
      enabled: input.enabled,
    });
  });
  return viewOf(await repo.scheduleOf(deps.ctx.db, planId));
}

/** Starts the drills whose schedule is due at `now`; returns how many started. */
export async function fireDue(deps: DrillDeps, now: Date): Promise<number> {
  const due = await deps.ctx.tx(async (db) => {
    const rows = await repo.lockDueSchedules(db, now);
    for (const s of rows) {
      let next: Date | null = null;
      try {
        next = nextRunAfter(s.cron, s.time_zone, now);
      } catch {
        // A pattern that no longer parses (a time zone gone from the system) stops firing.
      }
      await repo.moveSchedule(db, s.plan_id, next);
    }
    return rows.map((s) => s.plan_id);
  });
  let started = 0;
  for (const planId of due) {
    try {
      await startDrill(deps, SCHEDULER, planId, 'schedule');
      started++;
    } catch (e) {
      // Running already, or the plan has nothing to drill: this firing is skipped.
      if (!(e instanceof AppError)) throw e;
    }
  }
  return started;
}
