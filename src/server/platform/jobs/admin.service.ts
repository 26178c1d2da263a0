import type { Job, JobQuery, JobSchedule } from '../../../contracts/index.js';
import { record } from '../audit/index.js';
import type { Ctx, Db } from '../context.js';
import { isUniqueViolation } from '../db-errors.js';
import { Conflict, NotFound } from '../errors.js';
import { decodeCursor, pageFrom } from '../pagination.js';
import { allows, can, type Actor } from '../permissions.js';
import * as repo from './jobs.repository.js';
import type { JobRow, JobState } from './jobs.repository.js';

function toView(r: JobRow): Job {
  return {
    id: r.id,
    name: r.name,
    state: r.state,
    payload: r.payload,
    priority: r.priority,
    runAt: r.run_at.toISOString(),
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    dedupeKey: r.dedupe_key,
    lastError: r.last_error,
    lockedBy: r.locked_by,
    leaseUntil: r.lease_until?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    finishedAt: r.finished_at?.toISOString() ?? null,
  };
}

/** Lists jobs, newest first (admins). */
export async function listJobs(ctx: Ctx, actor: Actor, q: JobQuery) {
  can(actor, 'job:admin');
  const after = decodeCursor(q.cursor, ['bigint']);
  const rows = await repo.pageJobs(ctx.db, {
    state: q.state,
    name: q.name,
    afterSeq: after?.[0],
    limit: q.limit + 1,
  });
  return pageFrom(rows, q.limit, toView, (r) => [r.seq]);
}

/** One job (admins; 404 to others). */
export async function getJob(ctx: Ctx, actor: Actor, id: string): Promise<Job> {
  if (!allows(actor, 'job:admin')) throw NotFound('job');
  const r = await repo.findJob(ctx.db, id);
  if (!r) throw NotFound('job');
  return toView(r);
}

/**
 * Moves one job from one of the `from` states by `apply`, in a transaction with its audit entry (`action`);
 * 409 naming the state when the job is in another one.
 */
async function move(
  ctx: Ctx,
  actor: Actor,
  id: string,
  from: readonly JobState[],
  action: 'job.retried' | 'job.discarded',
  apply: (db: Db) => Promise<void>,
): Promise<Job> {
  if (!allows(actor, 'job:admin')) throw NotFound('job');
  return ctx.tx(async (db) => {
    const before = await repo.findJob(db, id, true);
    if (!before) throw NotFound('job');
    if (!from.includes(before.state)) {
      throw Conflict(
        `only ${from.join(' or ')} jobs can be ${action.slice(4)}; this one is ${before.state}`,
        'job_state',
      );
    }
    await apply(db);
    const after = toView((await repo.findJob(db, id)) as JobRow);
    await record(
      db,
      actor,
      action,
      { type: 'job', id },
      { state: before.state, attempts: before.attempts },
      { state: after.state, attempts: after.attempts },
    );
    return after;
  });
}

/**
 * Puts a failed or discarded job back in the queue with fresh attempts (409 in any other state, or while
 * another pending job holds its dedupe key). Audited.
 */
export async function retryJob(ctx: Ctx, actor: Actor, id: string): Promise<Job> {
  try {
    return await move(ctx, actor, id, ['failed', 'discarded'], 'job.retried', (db) =>
      repo.requeue(db, id, new Date()),
    );
  } catch (err) {
    if (isUniqueViolation(err))
      throw Conflict('another pending job holds the same dedupe key', 'job_duplicate');
    throw err;
  }
}

/** Discards a pending or failed job so it never runs (409 while running or when finished). Audited. */
export function discardJob(ctx: Ctx, actor: Actor, id: string): Promise<Job> {
  return move(ctx, actor, id, ['pending', 'failed'], 'job.discarded', (db) =>
    repo.discard(db, id, new Date()),
  );
}

/** The stored cron schedules (admins). */
export async function listSchedules(ctx: Ctx, actor: Actor): Promise<{ items: JobSchedule[] }> {
  can(actor, 'job:admin');
  const rows = await repo.listSchedules(ctx.db);
  return {
    items: rows.map((r) => ({
      key: r.key,
      jobName: r.job_name,
      cron: r.cron,
      timezone: r.timezone,
      nextRunAt: r.next_run_at?.toISOString() ?? null,
      lastRunAt: r.last_run_at?.toISOString() ?? null,
    })),
  };
}
