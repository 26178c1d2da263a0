/** All SQL of disaster-recovery drills: drills, their steps, and plans' drill schedules. */
import { sql } from 'kysely';
import type { Db } from '../../platform/context.js';

/** A step as inserted when a drill starts. */
export interface NewStep {
  position: number;
  kind: 'restore' | 'manual';
  title: string;
  ci_id: string | null;
  device_name: string | null;
}

/**
 * Starts a drill of a plan with its steps; undefined when the plan has one running already (the partial unique
 * index decides, so of two callers at once exactly one starts a drill).
 */
export async function insertDrill(
  db: Db,
  d: {
    plan_id: string;
    plan_name: string;
    plan_version: number;
    plan_scope: string;
    service_ci_id: string | null;
    service_name: string | null;
    trigger: 'schedule' | 'manual';
    started_by: string | null;
    started_by_label: string;
    rto_target_seconds: number | null;
    rpo_target_seconds: number | null;
  },
  steps: readonly NewStep[],
): Promise<string | undefined> {
  const row = await db
    .insertInto('dr_drills')
    .values(d)
    .onConflict((oc) => oc.column('plan_id').where('status', '=', sql.lit('running')).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!row) return undefined;
  if (steps.length > 0)
    await db
      .insertInto('dr_drill_steps')
      .values(steps.map((s) => ({ ...s, drill_id: row.id, details: '{}' })))
      .execute();
  return row.id;
}

const drillColumns = [
  'd.id',
  'd.plan_id',
  'd.plan_name',
  'd.plan_version',
  'd.plan_scope',
  'd.service_ci_id',
  'd.service_name',
  'd.trigger',
  'd.status',
  'd.started_at',
  'd.finished_at',
  'd.started_by',
  'd.started_by_label',
  'd.rto_target_seconds',
  'd.rpo_target_seconds',
  'd.measured_rto_seconds',
  'd.achieved_rpo_seconds',
  'd.failure',
  'd.evidence_sha256',
  'd.problem_ticket_id',
  'd.problem_key',
] as const;

function drillQuery(db: Db) {
  return db.selectFrom('dr_drills as d').select(drillColumns);
}

export async function findDrill(db: Db, id: string) {
  return drillQuery(db).select('d.evidence').where('d.id', '=', id).executeTakeFirst();
}
export type DrillRow = NonNullable<Awaited<ReturnType<typeof findDrill>>>;

/** Locks a drill for finishing or ticking (one writer decides at a time). */
export async function lockDrill(db: Db, id: string) {
  return db
    .selectFrom('dr_drills')
    .select(['id', 'status', 'plan_id', 'started_at'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** A page of a plan's drills, newest first, after the keyset (started_at, id) of the last one seen. */
export async function pageOfPlan(
  db: Db,
  planId: string,
  after: { at: string; id: string } | undefined,
  limit: number,
) {
  let q = drillQuery(db)
    // The keyset's time at PostgreSQL's precision (microseconds), which a Date would round.
    .select(
      sql<string>`to_char(d.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as(
        'started_key',
      ),
    )
    .where('d.plan_id', '=', planId);
  if (after) q = q.where(sql<boolean>`(d.started_at, d.id) < (${after.at}::timestamptz, ${after.id}::uuid)`);
  return q.orderBy('d.started_at', 'desc').orderBy('d.id', 'desc').limit(limit).execute();
}
export type DrillListRow = Awaited<ReturnType<typeof pageOfPlan>>[number];

/** How a plan's finished drills went (for the trend). */
export async function trendOfPlan(db: Db, planId: string) {
  return db
    .selectFrom('dr_drills')
    .select((eb) => [
      eb.fn.countAll<number>().as('drills'),
      sql<number>`count(*) FILTER (WHERE status = 'passed')`.as('passed'),
      sql<number>`count(*) FILTER (WHERE status = 'failed')`.as('failed'),
      sql<number>`count(*) FILTER (WHERE status = 'passed' AND measured_rto_seconds <= rto_target_seconds)`.as(
        'within_rto',
      ),
      sql<number>`count(*) FILTER (WHERE status = 'passed' AND achieved_rpo_seconds <= rpo_target_seconds)`.as(
        'within_rpo',
      ),
      sql<Date | null>`max(finished_at) FILTER (WHERE status = 'passed')`.as('last_passed_at'),
    ])
    .where('plan_id', '=', planId)
    .where('status', '<>', 'running')
    .executeTakeFirstOrThrow();
}

export async function stepsOf(db: Db, drillId: string) {
  return db
    .selectFrom('dr_drill_steps as s')
    .selectAll('s')
    .where('s.drill_id', '=', drillId)
    .orderBy('s.position')
    .execute();
}
export type StepRow = Awaited<ReturnType<typeof stepsOf>>[number];

/** Only steps of a running drill change (a cancelled drill's steps are evidence; its trigger would refuse). */
const stillRunning = sql<boolean>`EXISTS (SELECT 1 FROM dr_drills d WHERE d.id = drill_id AND d.status = 'running')`;

/** Marks a restore step running (unless it is finished already: a retried job skips finished steps). */
export async function startStep(db: Db, drillId: string, position: number): Promise<boolean> {
  const r = await db
    .updateTable('dr_drill_steps')
    .set({ status: 'running', started_at: new Date() })
    .where('drill_id', '=', drillId)
    .where('position', '=', position)
    .where('status', 'in', ['pending', 'running'])
    .where(stillRunning)
    .executeTakeFirst();
  return r.numUpdatedRows === 1n;
}

/** Records a restore step's outcome. */
export async function finishStep(
  db: Db,
  drillId: string,
  position: number,
  s: {
    status: 'passed' | 'failed';
    snapshot_id: string | null;
    snapshot_time: Date | null;
    files: number;
    bytes: number;
    verified_files: number;
    mismatches: number;
    details: Record<string, unknown>;
    error: string | null;
  },
): Promise<void> {
  await db
    .updateTable('dr_drill_steps')
    .set({ ...s, details: JSON.stringify(s.details), finished_at: new Date() })
    .where('drill_id', '=', drillId)
    .where('position', '=', position)
    .where('status', '=', 'running')
    .where(stillRunning)
    .execute();
}

/** Ticks a manual step off; false when it is not a pending manual step. */
export async function tickStep(
  db: Db,
  drillId: string,
  position: number,
  by: { id: string | null; label: string },
  note: string | null,
): Promise<boolean> {
  const now = new Date();
  const r = await db
    .updateTable('dr_drill_steps')
    .set({
      status: 'passed',
      ticked_by: by.id,
      ticked_by_label: by.label,
      ticked_at: now,
      finished_at: now,
      ...(note ? { details: JSON.stringify({ note }) } : {}),
    })
    .where('drill_id', '=', drillId)
    .where('position', '=', position)
    .where('kind', '=', 'manual')
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return r.numUpdatedRows === 1n;
}

/** Notes the job that runs the drill's restores (in the transaction that queued it). */
export async function setJob(db: Db, id: string, jobId: string): Promise<void> {
  await db.updateTable('dr_drills').set({ job_id: jobId }).where('id', '=', id).execute();
}

/** Running drills whose job is known, oldest first (at most `limit`). */
export async function runningWithJobs(db: Db, limit: number) {
  return db
    .selectFrom('dr_drills')
    .select(['id', 'job_id'])
    .where('status', '=', 'running')
    .where('job_id', 'is not', null)
    .orderBy('started_at')
    .limit(limit)
    .execute();
}

/** Ends a running drill with its evidence; false when it was not running any more. */
export async function finishDrill(
  db: Db,
  id: string,
  f: {
    status: 'passed' | 'failed' | 'cancelled';
    finished_at: Date;
    measured_rto_seconds: number | null;
    achieved_rpo_seconds: number | null;
    failure: string | null;
    evidence: Record<string, unknown>;
    evidence_sha256: string;
    problem_ticket_id: string | null;
    problem_key: string | null;
  },
): Promise<boolean> {
  const r = await db
    .updateTable('dr_drills')
    .set({ ...f, evidence: JSON.stringify(f.evidence) })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return r.numUpdatedRows === 1n;
}

export async function scheduleOf(db: Db, planId: string) {
  return db.selectFrom('dr_drill_schedules').selectAll().where('plan_id', '=', planId).executeTakeFirst();
}
export type ScheduleRow = NonNullable<Awaited<ReturnType<typeof scheduleOf>>>;

/** Sets a plan's schedule (created on first use); false when `version` is stale. */
export async function upsertSchedule(
  db: Db,
  planId: string,
  version: number | undefined,
  s: { cron: string; time_zone: string; enabled: boolean; next_run_at: Date | null },
): Promise<boolean> {
  if (version === undefined) {
    const r = await db
      .insertInto('dr_drill_schedules')
      .values({ plan_id: planId, ...s })
      .onConflict((oc) => oc.column('plan_id').doNothing())
      .returning('plan_id')
      .executeTakeFirst();
    return r !== undefined;
  }
  const r = await db
    .updateTable('dr_drill_schedules')
    .set({ ...s, updated_at: new Date(), version: sql<number>`version + 1` })
    .where('plan_id', '=', planId)
    .where('version', '=', version)
    .executeTakeFirst();
  return r.numUpdatedRows === 1n;
}

/** Locks the schedules due at `now` that no other process is firing (SKIP LOCKED). */
export async function lockDueSchedules(db: Db, now: Date) {
  return db
    .selectFrom('dr_drill_schedules')
    .selectAll()
    .where('enabled', '=', true)
    .where('next_run_at', '<=', now)
    .orderBy('next_run_at')
    .limit(50)
    .forUpdate()
    .skipLocked()
    .execute();
}

export async function moveSchedule(db: Db, planId: string, next: Date | null): Promise<void> {
  await db
    .updateTable('dr_drill_schedules')
    .set({ next_run_at: next })
    .where('plan_id', '=', planId)
    .execute();
}

/** Drills that finished since `since` (compliance evidence), newest first, at most 200. */
export async function drillOutcomesSince(db: Db, since: Date) {
  const rows = await db
    .selectFrom('dr_drills')
    .select(['plan_name', 'status', 'finished_at', 'failure'])
    .where('finished_at', '>=', since)
    .where('status', 'in', ['passed', 'failed'])
    .orderBy('finished_at', 'desc')
    .limit(200)
    .execute();
  return rows.map((r) => ({
    plan: r.plan_name,
    passed: r.status === 'passed',
    at: r.finished_at!.toISOString(),
    failure: r.failure,
  }));
}
