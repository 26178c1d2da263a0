/**
 * Steward backs itself up: on the admin's schedule (or on demand) its database dump, configuration and audit
 * checkpoints go as one snapshot into a restic repository on a registered storage target, under a password
 * derived from the master key. Retention keeps daily, weekly and monthly snapshots. One run at a time, decided
 * by an atomic claim in the database.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type {
  ServerBackupRun,
  ServerBackupSettings,
  UpdateServerBackupSettings,
} from '../../../contracts/index.js';
import { backup, findParent } from '../../../backup/archiver.js';
import type { Backend } from '../../../backup/backend/backend.js';
import { errorMessage } from '../../../backup/errors.js';
import { forget } from '../../../backup/forget.js';
import { initRepository } from '../../../backup/init.js';
import { withLock } from '../../../backup/lock.js';
import { prune } from '../../../backup/prune.js';
import { lockTarget } from '../../../backup/repo-adapters.js';
import { Repository } from '../../../backup/repository.js';
import type { Database } from '../../db/connect.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context.js';
import { Conflict, Invalid, Stale } from '../../platform/errors.js';
import { checkCron, nextRunAfter } from '../../platform/jobs/cron.js';
import type { MasterKey } from '../../platform/master-key.js';
import { decodeCursor, pageFrom } from '../../platform/pagination.js';
import { type Actor, can } from '../../platform/permissions.js';
import { SERVER_BACKUP_TAG, serverBackupPassword, stageServerBackup } from '../../platform/server-backup.js';
import type { BackupStorage } from '../backup/index.js';
import * as repo from './server-backup.repository.js';

/** What Steward's own backup needs from the composition root. */
export interface ServerBackupDeps {
  ctx: Ctx;
  database: Database;
  masterKey: MasterKey;
  storage: BackupStorage;
  /** The staging folder of a run is created below it (and removed after). */
  dataDir: string;
  checkpointFile: string;
  /** The variables Steward reads, as given (recorded, passwords left out). */
  env: Record<string, string>;
  version: string;
}

/** A run still claimed after this long belongs to a process that died. */
const RUN_TIMEOUT_MS = 6 * 3600_000;
const SYSTEM: Actor = { userId: null, role: 'admin', label: 'Steward (scheduled backup)', via: 'system' };

function nextRun(s: repo.SettingsRow, lastScheduled: Date | undefined): Date | null {
  if (!s.enabled || !s.target_id) return null;
  try {
    return nextRunAfter(s.cron, s.time_zone, lastScheduled ?? s.updated_at);
  } catch {
    return null;
  }
}

function settingsView(s: repo.SettingsRow, lastScheduled: Date | undefined): ServerBackupSettings {
  return {
    enabled: s.enabled,
    targetId: s.target_id,
    targetName: s.target_name,
    folder: s.folder,
    cron: s.cron,
    timeZone: s.time_zone,
    keepDaily: s.keep_daily,
    keepWeekly: s.keep_weekly,
    keepMonthly: s.keep_monthly,
    runningSince: s.running_since?.toISOString() ?? null,
    nextRunAt: nextRun(s, lastScheduled)?.toISOString() ?? null,
    version: s.version,
  };
}

function runView(r: repo.RunRow): ServerBackupRun {
  return {
    id: r.id,
    trigger: r.trigger,
    status: r.status,
    startedAt: r.started_at.toISOString(),
    finishedAt: r.finished_at?.toISOString() ?? null,
    targetName: r.target_name,
    snapshotId: r.snapshot_id,
    database: r.database,
    bytesTotal: Number(r.bytes_total),
    bytesAdded: Number(r.bytes_added),
    forgotten: r.forgotten,
    error: r.error,
  };
}

export async function getSettings({ ctx }: ServerBackupDeps, actor: Actor): Promise<ServerBackupSettings> {
  can(actor, 'backup:admin');
  return settingsView(await repo.settings(ctx.db), await repo.lastScheduledStart(ctx.db));
}

export async function updateSettings(
  deps: ServerBackupDeps,
  actor: Actor,
  version: number,
  input: UpdateServerBackupSettings,
): Promise<ServerBackupSettings> {
  can(actor, 'backup:admin');
  // An If-Match that names no version of ours ("0", "*") matches none: 412, not an integer cast failing in SQL.
  if (!Number.isSafeInteger(version)) throw Stale();
  const { ctx, storage } = deps;
  // Asked before the transaction: the target lives in the backups module's tables (and PGlite has one connection).
  if (input.targetId && !(await storage.name(input.targetId)))
    throw Invalid('no such storage target', [{ path: 'targetId', message: 'no such storage target' }]);
  return ctx.tx(async (db) => {
    const before = await repo.settings(db);
    const cron = input.cron ?? before.cron;
    const timeZone = input.timeZone ?? before.time_zone;
    try {
      checkCron(cron, timeZone);
    } catch (e) {
      throw Invalid(errorMessage(e), [
        { path: input.cron ? 'cron' : 'timeZone', message: 'invalid schedule' },
      ]);
    }
    const targetId = input.targetId === undefined ? before.target_id : input.targetId;
    if ((input.enabled ?? before.enabled) && !targetId)
      throw Invalid('choose a storage target before turning the backup on', [
        { path: 'targetId', message: 'required when enabled' },
      ]);
    const saved = await repo.updateSettings(db, version, {
      enabled: input.enabled,
      target_id: input.targetId,
      folder: input.folder,
      cron: input.cron,
      time_zone: input.timeZone,
      keep_daily: input.keepDaily,
      keep_weekly: input.keepWeekly,
      keep_monthly: input.keepMonthly,
    });
    if (!saved) throw Stale();
    const after = await repo.settings(db);
    const view = settingsView(after, await repo.lastScheduledStart(db));
    await record(
      db,
      actor,
      'dr.server_backup_settings_updated',
      { type: 'server_backup', id: null },
      settingsView(before, undefined),
      view,
    );
    return view;
  });
}

export async function listRuns(
  { ctx }: ServerBackupDeps,
  actor: Actor,
  q: { cursor?: string | undefined; limit: number },
): Promise<{ items: ServerBackupRun[]; nextCursor: string | null }> {
  can(actor, 'backup:admin');
  const after = decodeCursor(q.cursor, ['timestamp', 'uuid'] as const);
  const rows = await repo.listRuns(ctx.db, q.limit + 1, after && { startedAt: after[0], id: after[1] });
  return pageFrom(rows, q.limit, runView, (r) => [r.started_key, r.id]);
}

/**
 * Starts a run: claims the backup (Conflict when one is running), records the run and returns it at once;
 * `done` settles when the run has finished (it never rejects: a failure is recorded on the run).
 */
export async function startRun(
  deps: ServerBackupDeps,
  actor: Actor,
  trigger: 'schedule' | 'manual',
): Promise<{ run: ServerBackupRun; done: Promise<ServerBackupRun> }> {
  can(actor, 'backup:admin');
  const { ctx } = deps;
  const s = await repo.settings(ctx.db);
  if (!s.target_id) throw Invalid('choose a storage target for Steward’s own backup first');
  if (!(await repo.claim(ctx.db, new Date(Date.now() - RUN_TIMEOUT_MS))))
    throw Conflict('a backup of Steward is running already', 'backup_running');
  try {
    await repo.failAbandoned(ctx.db, new Date(Date.now() - RUN_TIMEOUT_MS));
    const id = await ctx.tx(async (db) => {
      const runId = await repo.insertRun(db, { trigger, target_id: s.target_id });
      await record(db, actor, 'dr.server_backup_started', { type: 'server_backup', id: runId }, null, {
        trigger,
        target: s.target_name,
      });
      return runId;
    });
    const run = runView((await repo.findRun(ctx.db, id))!);
    // perform() releases the claim with the run's outcome, in one transaction: a run seen finished is over.
    const done = perform(deps, s, id, actor).catch(async (e: unknown) => {
      await repo.release(ctx.db);
      throw e;
    });
    return { run, done };
  } catch (e) {
    await repo.release(ctx.db);
    throw e;
  }
}

/** Opens the repository of Steward's backups, creating it on the first run. */
async function openOrCreate(backend: Backend, password: string): Promise<Repository> {
  if (await backend.exists({ type: 'config', name: '' })) return Repository.open(backend, password);
  return initRepository(backend, password);
}

async function perform(deps: ServerBackupDeps, s: repo.SettingsRow, runId: string, actor: Actor) {
  const { ctx, database } = deps;
  const staging = join(deps.dataDir, 'server-backup');
  let backend: Backend | undefined;
  const outcome = { status: 'failed' as 'succeeded' | 'failed', snapshot_id: null as string | null };
  const figures = {
    database: database.kind,
    bytes_total: 0,
    bytes_added: 0,
    forgotten: 0,
    error: null as string | null,
  };
  try {
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true, mode: 0o700 });
    await stageServerBackup(staging, database, {
      version: deps.version,
      checkpointFile: deps.checkpointFile,
      env: deps.env,
      migrations: await repo.migrations(ctx.db),
    });
    backend = (await deps.storage.open(s.target_id!, s.folder)).backend;
    const repository = await openOrCreate(backend, serverBackupPassword(deps.masterKey));
    const r = await withLock(lockTarget(repository), false, async (lock) =>
      backup(repository, {
        targets: [staging],
        hostname: SERVER_BACKUP_TAG,
        tags: [SERVER_BACKUP_TAG],
        parent: await findParent(repository, SERVER_BACKUP_TAG, [staging]),
        lock,
      }),
    );
    if (r.warnings.length > 0) throw new Error(`the backup skipped files: ${r.warnings[0]?.message ?? ''}`);
    Object.assign(outcome, { status: 'succeeded', snapshot_id: r.snapshotId });
    figures.bytes_total = r.summary.total_bytes_processed;
    figures.bytes_added = r.summary.data_added;
    const f = await forget(repository, {
      policy: { last: 1, daily: s.keep_daily, weekly: s.keep_weekly, monthly: s.keep_monthly },
      groupBy: { host: true, paths: false, tags: false },
      filter: { tags: [[SERVER_BACKUP_TAG]] },
    });
    figures.forgotten = f.removed.length;
    if (f.removed.length > 0) await prune(repository);
  } catch (e) {
    figures.error = errorMessage(e).slice(0, 4000);
  } finally {
    await backend?.close().catch(() => undefined);
    rmSync(staging, { recursive: true, force: true });
  }
  // A run whose snapshot was saved but whose retention failed still succeeded: the error says what to look at.
  await ctx.tx(async (db) => {
    await repo.finishRun(db, runId, { ...outcome, ...figures });
    await repo.release(db);
    await record(
      db,
      actor,
      `dr.server_backup_${outcome.status}`,
      { type: 'server_backup', id: runId },
      null,
      {
        snapshot: outcome.snapshot_id,
        error: figures.error,
      },
    );
  });
  return runView((await repo.findRun(ctx.db, runId))!);
}

/** The scheduled check (every few minutes): starts a run when the admin's schedule has one due. */
export async function runIfDue(deps: ServerBackupDeps, now = new Date()): Promise<ServerBackupRun | null> {
  const s = await repo.settings(deps.ctx.db);
  const due = nextRun(s, await repo.lastScheduledStart(deps.ctx.db));
  if (!due || due > now || s.running_since) return null;
  const { done } = await startRun(deps, SYSTEM, 'schedule');
  return done;
}
