/** All SQL of Steward's own backup: its settings row and its runs. */
import { sql } from 'kysely';
import type { Db } from '../../platform/context.js';

export async function settings(db: Db) {
  return db
    .selectFrom('server_backup_settings as s')
    .leftJoin('backup_targets as t', 't.id', 's.target_id')
    .selectAll('s')
    .select('t.name as target_name')
    .executeTakeFirstOrThrow();
}
export type SettingsRow = Awaited<ReturnType<typeof settings>>;

/** Applies `patch` when the row is at `version`; undefined when it is not (someone else saved first). */
export async function updateSettings(
  db: Db,
  version: number,
  patch: {
    enabled?: boolean;
    target_id?: string | null;
    folder?: string;
    cron?: string;
    time_zone?: string;
    keep_daily?: number;
    keep_weekly?: number;
    keep_monthly?: number;
  },
): Promise<boolean> {
  const r = await db
    .updateTable('server_backup_settings')
    .set({ ...patch, updated_at: new Date(), version: sql<number>`version + 1` })
    .where('version', '=', version)
    .executeTakeFirst();
  return r.numUpdatedRows === 1n;
}

/**
 * Takes the backup for one run: true when this caller holds it now. A claim older than `staleBefore` (a process
 * that died mid-run) is taken over. One statement, so concurrent callers cannot both win.
 */
export async function claim(db: Db, staleBefore: Date): Promise<boolean> {
  const r = await db
    .updateTable('server_backup_settings')
    .set({ running_since: new Date() })
    .where((w) => w.or([w('running_since', 'is', null), w('running_since', '<', staleBefore)]))
    .executeTakeFirst();
  return r.numUpdatedRows === 1n;
}

export async function release(db: Db): Promise<void> {
  await db.updateTable('server_backup_settings').set({ running_since: null }).execute();
}

export async function insertRun(
  db: Db,
  r: { trigger: 'schedule' | 'manual'; target_id: string | null },
): Promise<string> {
  const row = await db
    .insertInto('server_backup_runs')
    .values({ trigger: r.trigger, status: 'running', target_id: r.target_id })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function finishRun(
  db: Db,
  id: string,
  r: {
    status: 'succeeded' | 'failed';
    snapshot_id: string | null;
    database: 'pglite' | 'postgres' | null;
    bytes_total: number;
    bytes_added: number;
    forgotten: number;
    error: string | null;
  },
): Promise<void> {
  await db
    .updateTable('server_backup_runs')
    .set({ ...r, finished_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/**
 * The run whose snapshot a restored database came from: its dump was taken mid-run, so it reads 'running'.
 * True when it was (and now reads succeeded, with that snapshot).
 */
export async function finishRestoredRun(
  db: Db,
  id: string,
  r: { snapshot_id: string; database: 'pglite' | 'postgres'; bytes_total: number; finished_at: Date },
): Promise<boolean> {
  const u = await db
    .updateTable('server_backup_runs')
    .set({ ...r, status: 'succeeded', error: null })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return u.numUpdatedRows === 1n;
}

/** Runs left 'running' by a process that died: failed, so the history tells the truth. */
export async function failAbandoned(db: Db, startedBefore: Date): Promise<void> {
  await db
    .updateTable('server_backup_runs')
    .set({ status: 'failed', finished_at: new Date(), error: 'Steward stopped during the backup' })
    .where('status', '=', 'running')
    .where('started_at', '<', startedBefore)
    .execute();
}

const runColumns = (db: Db) =>
  db
    .selectFrom('server_backup_runs as r')
    .leftJoin('backup_targets as t', 't.id', 'r.target_id')
    .selectAll('r')
    .select('t.name as target_name')
    // The keyset's time at PostgreSQL's precision (microseconds), which a Date would round.
    .select(
      sql<string>`to_char(r.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as(
        'started_key',
      ),
    );

export async function findRun(db: Db, id: string) {
  return runColumns(db).where('r.id', '=', id).executeTakeFirst();
}
export type RunRow = NonNullable<Awaited<ReturnType<typeof findRun>>>;

/** Newest first, after the keyset (started_at, id) of `after`. */
export async function listRuns(db: Db, limit: number, after?: { startedAt: string; id: string }) {
  let q = runColumns(db);
  if (after)
    q = q.where((w) =>
      w.or([
        w('r.started_at', '<', sql<Date>`${after.startedAt}::timestamptz`),
        w.and([w('r.started_at', '=', sql<Date>`${after.startedAt}::timestamptz`), w('r.id', '<', after.id)]),
      ]),
    );
  return q.orderBy('r.started_at', 'desc').orderBy('r.id', 'desc').limit(limit).execute();
}

/** When the last scheduled run started. */
export async function lastScheduledStart(db: Db): Promise<Date | undefined> {
  const r = await db
    .selectFrom('server_backup_runs')
    .select((e) => e.fn.max('started_at').as('at'))
    .where('trigger', '=', 'schedule')
    .executeTakeFirst();
  return r?.at ?? undefined;
}

/** The migrations applied, in order (they go into the backup's manifest). */
export async function migrations(db: Db): Promise<string[]> {
  return (await db.selectFrom('schema_migrations').select('name').orderBy('name').execute()).map(
    (r) => r.name,
  );
}
