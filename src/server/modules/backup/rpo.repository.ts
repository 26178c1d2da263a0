/** SQL of recovery point monitoring: what agents counted as changed, and the alerts about devices. */
import { sql } from 'kysely';
import type { Db } from '../../platform/context.js';

/** Files changed since the last good snapshot, as an agent last counted them. */
export interface ChangesRow {
  ci_id: string;
  since: Date | null;
  files: number;
  seen_at: Date;
}

/** Stores what an agent counted, unless it already told of a later count. */
export async function putChanges(db: Db, r: ChangesRow): Promise<boolean> {
  const res = await sql`INSERT INTO backup_changes (ci_id, since, files, seen_at)
      VALUES (${r.ci_id}, ${r.since}, ${r.files}, ${r.seen_at})
      ON CONFLICT (ci_id) DO UPDATE SET since = excluded.since, files = excluded.files, seen_at = excluded.seen_at
      WHERE backup_changes.seen_at <= excluded.seen_at`.execute(db);
  return Number(res.numAffectedRows ?? 0) > 0;
}

/** The last counts of devices (all of them when `ids` is undefined). */
export async function changesOf(db: Db, ids?: readonly string[]): Promise<Map<string, ChangesRow>> {
  let q = db.selectFrom('backup_changes').selectAll();
  if (ids) q = q.where('ci_id', '=', (eb) => eb.fn.any(eb.val([...ids])));
  return new Map((await q.execute()).map((r) => [r.ci_id, r]));
}

/** An open alert and the key of its incident. */
export interface OpenAlert {
  id: string;
  ci_id: string;
  reason: 'rpo_breached' | 'failing';
  ticket_id: string | null;
  ticket_key: string | null;
}

/** Open alerts (of `ids`, or all), with their incident's key. */
export async function openAlerts(db: Db, ids?: readonly string[]): Promise<Map<string, OpenAlert>> {
  const rows = await sql<OpenAlert>`SELECT a.id, a.ci_id, a.reason, a.ticket_id, a.ticket_key
      FROM backup_alerts a
      WHERE a.closed_at IS NULL
        AND (${ids ? [...ids] : null}::uuid[] IS NULL OR a.ci_id = ANY(${ids ? [...ids] : null}::uuid[]))`.execute(
    db,
  );
  return new Map(rows.rows.map((r) => [r.ci_id, r]));
}

/**
 * Opens the device's alert, atomically: with one already open (the partial unique index) it does nothing and
 * returns undefined, so any number of racing evaluations open one.
 */
export async function openAlert(
  db: Db,
  ciId: string,
  reason: 'rpo_breached' | 'failing',
): Promise<string | undefined> {
  const r = await sql<{ id: string }>`INSERT INTO backup_alerts (ci_id, reason) VALUES (${ciId}, ${reason})
      ON CONFLICT (ci_id) WHERE closed_at IS NULL DO NOTHING RETURNING id`.execute(db);
  return r.rows[0]?.id;
}

/** Links an alert to the incident opened for it. */
export async function setAlertTicket(db: Db, id: string, ticket: { id: string; key: string }): Promise<void> {
  await db
    .updateTable('backup_alerts')
    .set({ ticket_id: ticket.id, ticket_key: ticket.key })
    .where('id', '=', id)
    .execute();
}

/** Closes the device's open alert; returns it, or undefined when none was open (another evaluation closed it). */
export async function closeAlert(
  db: Db,
  ciId: string,
  why: string,
): Promise<{ id: string; reason: string; ticket_id: string | null } | undefined> {
  return db
    .updateTable('backup_alerts')
    .set({ closed_at: new Date(), close_reason: why.slice(0, 500) })
    .where('ci_id', '=', ciId)
    .where('closed_at', 'is', null)
    .returning(['id', 'reason', 'ticket_id'])
    .executeTakeFirst();
}

/** Devices whose last `n` runs all failed (of `ids`, or all). */
export async function failingStreaks(db: Db, n: number, ids?: readonly string[]): Promise<Set<string>> {
  const list = ids ? [...ids] : null;
  const rows = await sql<{ ci_id: string }>`SELECT d.ci_id FROM (
        SELECT DISTINCT ci_id FROM backup_runs
        WHERE (${list}::uuid[] IS NULL OR ci_id = ANY(${list}::uuid[]))) d
      CROSS JOIN LATERAL (SELECT count(*) FILTER (WHERE status = 'failed') AS failed, count(*) AS runs
        FROM (SELECT status FROM backup_runs r WHERE r.ci_id = d.ci_id ORDER BY started_at DESC LIMIT ${n}) x) s
      WHERE s.runs = ${n} AND s.failed = ${n}`.execute(db);
  return new Set(rows.rows.map((r) => r.ci_id));
}

/** The error of a device's last failed run. */
export async function lastError(db: Db, ciId: string): Promise<string | null> {
  const r = await db
    .selectFrom('backup_runs')
    .select('error')
    .where('ci_id', '=', ciId)
    .where('status', '=', 'failed')
    .orderBy('started_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r?.error ?? null;
}
