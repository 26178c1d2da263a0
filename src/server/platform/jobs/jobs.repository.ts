import { sql } from 'kysely';
import type { Db } from '../context.js';
import { isUniqueViolation } from '../db-errors.js';

/** A job's lifecycle state. */
export type JobState = 'pending' | 'running' | 'succeeded' | 'failed' | 'discarded';

/** A stored job. */
export interface JobRow {
  id: string;
  seq: string;
  name: string;
  payload: unknown;
  state: JobState;
  priority: number;
  run_at: Date;
  attempts: number;
  max_attempts: number;
  dedupe_key: string | null;
  lease_until: Date | null;
  claim_token: string | null;
  locked_by: string | null;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

/** A stored schedule. */
export interface ScheduleRow {
  key: string;
  job_name: string;
  cron: string;
  timezone: string;
  payload: unknown;
  next_run_at: Date | null;
  last_run_at: Date | null;
}

/** Inserts a job; with a dedupe key, returns the pending job holding that key instead when there is one. */
export async function insertJob(
  db: Db,
  j: {
    name: string;
    payload: string;
    runAt: Date;
    dedupeKey: string | null;
    priority: number;
    maxAttempts: number;
  },
): Promise<string> {
  const values = {
    name: j.name,
    payload: j.payload,
    run_at: j.runAt,
    dedupe_key: j.dedupeKey,
    priority: j.priority,
    max_attempts: j.maxAttempts,
  };
  if (j.dedupeKey === null) {
    const row = await db.insertInto('jobs').values(values).returning('id').executeTakeFirstOrThrow();
    return row.id;
  }
  // The pending holder may start running between our insert and our look-up: then insert again.
  for (let i = 0; i < 5; i++) {
    const row = await db
      .insertInto('jobs')
      .values(values)
      .onConflict((oc) =>
        oc
          .columns(['name', 'dedupe_key'])
          .where('state', '=', 'pending')
          .where('dedupe_key', 'is not', null)
          .doNothing(),
      )
      .returning('id')
      .executeTakeFirst();
    if (row) return row.id;
    const held = await db
      .selectFrom('jobs')
      .select('id')
      .where('name', '=', j.name)
      .where('dedupe_key', '=', j.dedupeKey)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    if (held) return held.id;
  }
  throw new Error(`could not enqueue ${j.name} with dedupe key ${j.dedupeKey}`);
}

/**
 * Claims up to `limit` due pending jobs of the given types: one short statement that locks them with
 * SKIP LOCKED (so concurrent runners never take the same row), marks them running with a lease and a fresh
 * claim token, and counts the attempt.
 */
export async function claim(
  db: Db,
  o: { now: Date; leaseUntil: Date; worker: string; names: string[]; limit: number },
): Promise<JobRow[]> {
  if (o.names.length === 0 || o.limit <= 0) return [];
  const { rows } = await sql<JobRow>`
    WITH c AS (
      SELECT id FROM jobs
       WHERE state = 'pending' AND run_at <= ${o.now} AND name = ANY(${o.names}::text[])
       ORDER BY priority DESC, run_at, id
       LIMIT ${o.limit}
       FOR UPDATE SKIP LOCKED
    )
    UPDATE jobs j
       SET state = 'running', attempts = j.attempts + 1, lease_until = ${o.leaseUntil},
           claim_token = gen_random_uuid(), locked_by = ${o.worker}, updated_at = ${o.now}
      FROM c WHERE j.id = c.id
    RETURNING j.*`.execute(db);
  return rows;
}

/** Extends the leases of jobs this runner still runs. */
export async function extendLeases(db: Db, tokens: string[], leaseUntil: Date): Promise<void> {
  if (tokens.length === 0) return;
  await db
    .updateTable('jobs')
    .set({ lease_until: leaseUntil })
    .where('claim_token', 'in', tokens)
    .where('state', '=', 'running')
    .execute();
}

/** Marks a claimed job succeeded; false when the claim was lost (lease reaped meanwhile). */
export async function complete(db: Db, id: string, token: string, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('jobs')
    .set({
      state: 'succeeded',
      finished_at: now,
      updated_at: now,
      lease_until: null,
      claim_token: null,
      last_error: null,
    })
    .where('id', '=', id)
    .where('claim_token', '=', token)
    .where('state', '=', 'running')
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/**
 * Records a failed attempt: back to pending at `retryAt`, or failed for good when `retryAt` is null. A retry
 * whose dedupe key is already held by another pending job is discarded instead (that job does the work).
 */
export async function fail(
  db: Db,
  o: { id: string; token: string; now: Date; error: string; retryAt: Date | null },
): Promise<boolean> {
  const run = async (allowPending: boolean) =>
    sql`
      UPDATE jobs j
         SET state = CASE
               WHEN ${o.retryAt}::timestamptz IS NULL THEN 'failed'
               WHEN NOT ${allowPending}::boolean OR (j.dedupe_key IS NOT NULL AND EXISTS (
                 SELECT 1 FROM jobs d WHERE d.name = j.name AND d.dedupe_key = j.dedupe_key AND d.state = 'pending'))
                 THEN 'discarded'
               ELSE 'pending' END,
             run_at = coalesce(${o.retryAt}::timestamptz, j.run_at),
             finished_at = CASE WHEN ${o.retryAt}::timestamptz IS NULL THEN ${o.now}::timestamptz ELSE NULL END,
             last_error = ${o.error}, lease_until = NULL, claim_token = NULL, updated_at = ${o.now}
       WHERE j.id = ${o.id} AND j.claim_token = ${o.token} AND j.state = 'running'`.execute(db);
  try {
    return ((await run(true)).numAffectedRows ?? 0n) > 0n;
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    return ((await run(false)).numAffectedRows ?? 0n) > 0n;
  }
}

/**
 * Returns running jobs whose lease expired before `now` (their runner crashed or hung) to pending, or fails
 * them when they have used every attempt. Returns how many were reaped.
 */
export async function reapExpired(db: Db, now: Date): Promise<number> {
  const r = await sql`
    WITH r AS (
      SELECT id FROM jobs WHERE state = 'running' AND lease_until < ${now}
       ORDER BY lease_until LIMIT 100 FOR UPDATE SKIP LOCKED
    )
    UPDATE jobs j
       SET state = CASE
             WHEN j.attempts >= j.max_attempts THEN 'failed'
             WHEN j.dedupe_key IS NOT NULL AND EXISTS (
               SELECT 1 FROM jobs d WHERE d.name = j.name AND d.dedupe_key = j.dedupe_key AND d.state = 'pending')
               THEN 'discarded'
             ELSE 'pending' END,
           finished_at = CASE WHEN j.attempts >= j.max_attempts THEN ${now}::timestamptz ELSE NULL END,
           run_at = ${now}, lease_until = NULL, claim_token = NULL, updated_at = ${now},
           last_error = 'lease expired: the runner of attempt ' || j.attempts || ' (' || coalesce(j.locked_by, '?') ||
                        ') stopped before finishing it'
      FROM r WHERE j.id = r.id`.execute(db);
  return Number(r.numAffectedRows ?? 0n);
}

/** Deletes succeeded and discarded jobs that finished before `before` (at most 1,000 per call). */
export async function purgeFinished(db: Db, before: Date): Promise<number> {
  const r = await sql`
    DELETE FROM jobs WHERE id IN (
      SELECT id FROM jobs WHERE state IN ('succeeded', 'discarded') AND finished_at < ${before} LIMIT 1000)`.execute(
    db,
  );
  return Number(r.numAffectedRows ?? 0n);
}

/** One job by id. */
export async function findJob(db: Db, id: string, forUpdate = false): Promise<JobRow | undefined> {
  let q = db.selectFrom('jobs').selectAll().where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  return await q.executeTakeFirst();
}

/** A page of jobs, newest first, filtered by state and name. */
export async function pageJobs(
  db: Db,
  o: {
    state?: JobState | undefined;
    name?: string | undefined;
    afterSeq?: string | undefined;
    limit: number;
  },
): Promise<JobRow[]> {
  let q = db.selectFrom('jobs').selectAll();
  if (o.state) q = q.where('state', '=', o.state);
  if (o.name) q = q.where('name', '=', o.name);
  if (o.afterSeq !== undefined) q = q.where(sql<boolean>`seq < ${o.afterSeq}::bigint`);
  return await q.orderBy('seq', 'desc').limit(o.limit).execute();
}

/** Sets a failed or discarded job back to pending with fresh attempts. */
export async function requeue(db: Db, id: string, now: Date): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ state: 'pending', attempts: 0, run_at: now, finished_at: null, updated_at: now })
    .where('id', '=', id)
    .execute();
}

/** Discards a pending or failed job. */
export async function discard(db: Db, id: string, now: Date): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ state: 'discarded', finished_at: now, updated_at: now })
    .where('id', '=', id)
    .execute();
}

/**
 * Stores a schedule. A new schedule, or one whose pattern or time zone changed, gets `nextRunAt`; an
 * unchanged one keeps its stored next firing, so a firing missed while no process ran happens once on start.
 */
export async function upsertSchedule(
  db: Db,
  s: {
    key: string;
    jobName: string;
    cron: string;
    timezone: string;
    payload: string;
    nextRunAt: Date | null;
    now: Date;
  },
): Promise<void> {
  await sql`
    INSERT INTO job_schedules (key, job_name, cron, timezone, payload, next_run_at, updated_at)
    VALUES (${s.key}, ${s.jobName}, ${s.cron}, ${s.timezone}, ${s.payload}::jsonb, ${s.nextRunAt}, ${s.now})
    ON CONFLICT (key) DO UPDATE SET
      job_name = EXCLUDED.job_name, payload = EXCLUDED.payload, updated_at = EXCLUDED.updated_at,
      next_run_at = CASE
        WHEN job_schedules.cron IS DISTINCT FROM EXCLUDED.cron OR job_schedules.timezone IS DISTINCT FROM EXCLUDED.timezone
          OR job_schedules.next_run_at IS NULL
        THEN EXCLUDED.next_run_at ELSE job_schedules.next_run_at END,
      cron = EXCLUDED.cron, timezone = EXCLUDED.timezone`.execute(db);
}

/** Locks the due schedules among `keys` that no other runner holds (call inside a transaction). */
export async function lockDueSchedules(db: Db, keys: string[], now: Date): Promise<ScheduleRow[]> {
  if (keys.length === 0) return [];
  return await db
    .selectFrom('job_schedules')
    .select(['key', 'job_name', 'cron', 'timezone', 'payload', 'next_run_at', 'last_run_at'])
    .where('key', 'in', keys)
    .where('next_run_at', '<=', now)
    .forUpdate()
    .skipLocked()
    .execute();
}

/** Moves a schedule to its next firing. */
export async function advanceSchedule(db: Db, key: string, fired: Date, next: Date | null): Promise<void> {
  await db
    .updateTable('job_schedules')
    .set({ last_run_at: fired, next_run_at: next })
    .where('key', '=', key)
    .execute();
}

/** Every stored schedule, by key. */
export async function listSchedules(db: Db): Promise<ScheduleRow[]> {
  return await db
    .selectFrom('job_schedules')
    .select(['key', 'job_name', 'cron', 'timezone', 'payload', 'next_run_at', 'last_run_at'])
    .orderBy('key')
    .execute();
}
