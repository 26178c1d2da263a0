/** Scheduled reports and their runs (this module's tables kpi_reports and kpi_report_runs). */
import { type Selectable, sql } from 'kysely';
import type { KpiReportRunsTable, KpiReportsTable } from '../../db/schema.js';
import type { Db } from '../../platform/context.js';

export type ReportRow = Omit<Selectable<KpiReportsTable>, 'kpis' | 'user_ids' | 'team_ids'> & {
  kpis: string[];
  user_ids: string[];
  team_ids: string[];
};
export type RunRow = Omit<Selectable<KpiReportRunsTable>, 'recipients'> & {
  recipients: { id: string; name: string; sent: boolean }[] | null;
};

/** The stored fields of a report (what create and update write). */
export interface ReportFields {
  name: string;
  dashboard_id: string | null;
  kpis: string[];
  team_id: string | null;
  service_id: string | null;
  period: 'last_week' | 'last_month';
  pdf: boolean;
  csv: boolean;
  user_ids: string[];
  team_ids: string[];
  frequency: 'weekly' | 'monthly';
  day: number;
  hour: number;
  time_zone: string;
  enabled: boolean;
  next_run_at: Date | null;
}

const json = (f: ReportFields) => ({
  ...f,
  kpis: JSON.stringify(f.kpis),
  user_ids: JSON.stringify(f.user_ids),
  team_ids: JSON.stringify(f.team_ids),
});

/** The caller's own reports (an admin: every report), by name. */
export async function listReports(db: Db, ownerId: string | null): Promise<ReportRow[]> {
  let q = db.selectFrom('kpi_reports').selectAll().orderBy('name').orderBy('id').limit(500);
  if (ownerId !== null) q = q.where('owner_id', '=', ownerId);
  return (await q.execute()) as ReportRow[];
}

/** A report of `ownerId` (null: anyone's), else undefined. */
export async function findReport(db: Db, id: string, ownerId: string | null, lock = false) {
  let q = db.selectFrom('kpi_reports').selectAll().where('id', '=', id);
  if (ownerId !== null) q = q.where('owner_id', '=', ownerId);
  if (lock) q = q.forUpdate();
  return (await q.executeTakeFirst()) as ReportRow | undefined;
}

export async function insertReport(db: Db, ownerId: string, f: ReportFields): Promise<string> {
  const r = await db
    .insertInto('kpi_reports')
    .values({ owner_id: ownerId, ...json(f) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

/** Updates a report at `version`; false when it is stale. */
export async function updateReport(db: Db, id: string, version: number, f: ReportFields): Promise<boolean> {
  const r = await db
    .updateTable('kpi_reports')
    .set((eb) => ({ ...json(f), updated_at: new Date(), version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function deleteReport(db: Db, id: string): Promise<void> {
  await db.deleteFrom('kpi_reports').where('id', '=', id).execute();
}

/** Locks the enabled reports due at `now` that no other process is firing (SKIP LOCKED). */
export async function lockDue(db: Db, now: Date) {
  return (await db
    .selectFrom('kpi_reports')
    .selectAll()
    .where('enabled', '=', true)
    .where('next_run_at', '<=', now)
    .orderBy('next_run_at')
    .limit(50)
    .forUpdate()
    .skipLocked()
    .execute()) as ReportRow[];
}

export async function moveNextRun(db: Db, id: string, next: Date | null): Promise<void> {
  await db.updateTable('kpi_reports').set({ next_run_at: next }).where('id', '=', id).execute();
}

/** A new run; undefined when the due time has a run already. */
export async function insertRun(
  db: Db,
  v: {
    report_id: string;
    trigger: 'schedule' | 'manual';
    due_at: Date | null;
    requested_by: string | null;
    period_from: string;
    period_to: string;
  },
): Promise<string | undefined> {
  const r = await db
    .insertInto('kpi_report_runs')
    .values(v)
    .onConflict((oc) => oc.columns(['report_id', 'due_at']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return r?.id;
}

export async function findRun(db: Db, id: string) {
  return (await db.selectFrom('kpi_report_runs').selectAll().where('id', '=', id).executeTakeFirst()) as
    RunRow | undefined;
}

/** The newest runs of a report. */
export async function runsOf(db: Db, reportId: string, limit = 50): Promise<RunRow[]> {
  return (await db
    .selectFrom('kpi_report_runs')
    .selectAll()
    .where('report_id', '=', reportId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()) as RunRow[];
}

/**
 * Takes a run for sending, atomically: one that is queued or failed (a retry), or one whose sender vanished
 * mid-send (claimed more than `staleMinutes` ago). Undefined when another process has it or it was sent.
 */
export async function claimRun(db: Db, id: string, staleMinutes = 15): Promise<RunRow | undefined> {
  const r = await sql<RunRow>`UPDATE kpi_report_runs SET status = 'sending', attempts = attempts + 1,
      claimed_at = now()
    WHERE id = ${id} AND (status IN ('queued', 'failed')
      OR (status = 'sending' AND claimed_at < now() - make_interval(mins => ${staleMinutes})))
    RETURNING *`.execute(db);
  return r.rows[0];
}

/** Stores the run's recipients and what was sent to them. */
export async function setRecipients(db: Db, id: string, recipients: NonNullable<RunRow['recipients']>) {
  await db
    .updateTable('kpi_report_runs')
    .set({ recipients: JSON.stringify(recipients) })
    .where('id', '=', id)
    .execute();
}

/** Ends an attempt: sent, or failed with the reason; the report keeps its last outcome. */
export async function finishRun(db: Db, run: RunRow, error: string | null): Promise<void> {
  const now = new Date();
  await db
    .updateTable('kpi_report_runs')
    .set({ status: error === null ? 'sent' : 'failed', error, finished_at: now })
    .where('id', '=', run.id)
    .execute();
  await db
    .updateTable('kpi_reports')
    .set(error === null ? { last_sent_at: now } : { last_failed_at: now, last_error: error })
    .where('id', '=', run.report_id)
    .execute();
}
