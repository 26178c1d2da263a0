/**
 * Backup runs as agents report them, and what they say about each device's recovery point: the last good
 * snapshot, the work at risk since, against the RPO target of the device's policy.
 */
import type {
  BackupProgress,
  BackupRun,
  DeviceBackupStatus,
  ReportBackupRun,
} from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context.js';
import { Conflict, Invalid, NotFound, Unauthenticated } from '../../platform/errors.js';
import { type Actor, can } from '../../platform/permissions.js';
import { agentOfToken, computersInUse, type DeviceScope } from '../cmdb/index.js';
import * as policies from './policies.repository.js';
import * as rpoRepo from './rpo.repository.js';
import { winning } from './policies.service.js';
import { clearProgress } from './progress.repository.js';
import { runningOn } from './progress.service.js';
import * as runsRepo from './runs.repository.js';
import { answerRequests } from './snapshots.service.js';

/** Clocks of agents drift: a run may end at most this far in the future. */
const SKEW_MS = 5 * 60_000;

function check(r: ReportBackupRun, now: number): void {
  const start = Date.parse(r.startedAt);
  const end = Date.parse(r.finishedAt);
  if (end < start)
    throw Invalid('the run finished before it started', [
      { path: 'finishedAt', message: 'before startedAt' },
    ]);
  if (end > now + SKEW_MS)
    throw Invalid('the run finishes in the future: check the device’s clock', [
      { path: 'finishedAt', message: 'in the future' },
    ]);
  if ((r.status === 'failed') !== (r.snapshotId === null))
    throw Invalid(
      r.status === 'failed' ? 'a failed run saved no snapshot' : 'a run that saved a snapshot names it',
      [{ path: 'snapshotId', message: r.status === 'failed' ? 'must be null' : 'required' }],
    );
}

/** Records a run reported by the agent holding `token`, for its own device. */
export async function reportRun(ctx: Ctx, token: string, r: ReportBackupRun): Promise<BackupRun> {
  const agent = await agentOfToken(ctx, token);
  if (!agent) throw Unauthenticated('the agent token is unknown or revoked');
  const ciId = agent.ciId;
  if (!ciId) throw Conflict('report the machine first: this agent has no device yet', 'not_reported');
  check(r, Date.now());
  const actor: Actor = { userId: null, role: 'agent', label: `agent:${agent.hostname}`, via: 'token' };
  const row = await ctx.tx(async (db) => {
    const inserted = await runsRepo.insertRun(db, {
      ci_id: ciId,
      started_at: r.startedAt,
      finished_at: r.finishedAt,
      status: r.status,
      snapshot_id: r.snapshotId,
      files_new: r.filesNew,
      files_changed: r.filesChanged,
      files_unmodified: r.filesUnmodified,
      bytes_processed: r.bytesProcessed,
      bytes_added: r.bytesAdded,
      warnings: JSON.stringify(r.warnings),
      error: r.error,
    });
    // A run too short to post progress has its start audited now, so every run has a start and an end entry.
    if (!(await clearProgress(db, ciId, r.startedAt)))
      await record(db, actor, 'backup.run_started', { type: 'ci', id: ciId }, null, {
        device: agent.hostname,
        startedAt: r.startedAt,
      });
    // What is at risk now: nothing changed as of a good run's start; a failed run says what it counted.
    if (r.status !== 'failed' || (r.changedFiles ?? null) !== null)
      await rpoRepo.putChanges(db, {
        ci_id: ciId,
        since: r.status === 'failed' ? null : new Date(r.startedAt),
        files: r.status === 'failed' ? (r.changedFiles ?? 0) : 0,
        seen_at: new Date(r.startedAt),
      });
    await record(db, actor, 'backup.run_reported', { type: 'ci', id: ciId }, null, {
      device: agent.hostname,
      status: r.status,
      snapshot: r.snapshotId?.slice(0, 8) ?? null,
      error: r.error,
    });
    await answerRequests(db, actor, ciId, r);
    // Last, so that the device's summary row is locked only briefly (parallel reports of a device queue on it).
    await runsRepo.noteRun(db, {
      ci_id: ciId,
      started_at: inserted.started_at,
      status: r.status,
      snapshot_id: r.snapshotId,
    });
    return inserted;
  });
  return { ...r, id: row.id, ciId, reportedAt: row.reported_at.toISOString() };
}

/** What is known of a device besides its policy and runs: the agent's last count, the open alert. */
interface Seen {
  changes: rpoRepo.ChangesRow | undefined;
  alert: rpoRepo.OpenAlert | undefined;
}

function statusOf(
  d: DeviceScope,
  policy: { name: string; rpo_minutes: number } | undefined,
  runs: runsRepo.LastRuns | undefined,
  seen: Seen,
  now: number,
  running: BackupProgress | undefined,
): DeviceBackupStatus {
  const good = runs?.good_at ?? null;
  const atRisk = good ? Math.max(0, Math.floor((now - good.getTime()) / 60_000)) : null;
  const risk = policy && atRisk !== null ? atRisk / policy.rpo_minutes : null;
  let state: DeviceBackupStatus['state'] = 'ok';
  if (!policy) state = 'no_policy';
  else if (!good) state = 'never_backed_up';
  else if (risk !== null && risk > 1) state = 'breached';
  return {
    ciId: d.id,
    name: d.name,
    policy: policy?.name ?? null,
    rpoTargetMinutes: policy?.rpo_minutes ?? null,
    lastGoodAt: good?.toISOString() ?? null,
    lastRunAt: runs?.last_at?.toISOString() ?? null,
    lastRunStatus: runs?.last_status ?? null,
    atRiskMinutes: atRisk,
    risk,
    state,
    ...changedSince(good, seen.changes),
    incident:
      seen.alert?.ticket_id && seen.alert.ticket_key
        ? { id: seen.alert.ticket_id, key: seen.alert.ticket_key, reason: seen.alert.reason }
        : null,
    running: running ?? null,
  };
}

/** The agent's last count, if it was made after the last good snapshot began (an older one says nothing). */
function changedSince(good: Date | null, c: rpoRepo.ChangesRow | undefined) {
  if (!c || (good && c.seen_at < good)) return { changedFiles: null, changedSeenAt: null };
  return { changedFiles: c.files, changedSeenAt: c.seen_at.toISOString() };
}

const ORDER: Record<DeviceBackupStatus['state'], number> = {
  never_backed_up: 0,
  breached: 1,
  ok: 2,
  no_policy: 3,
};

/** Orders device statuses riskiest first (never backed up, then breached by how far, then the rest). */
export function byRisk(a: DeviceBackupStatus, b: DeviceBackupStatus): number {
  return ORDER[a.state] - ORDER[b.state] || (b.risk ?? 0) - (a.risk ?? 0) || a.name.localeCompare(b.name);
}

/** Every computer's recovery point, riskiest first (never backed up, then breached by how far, then the rest). */
export async function fleetStatus(ctx: Ctx, actor: Actor, only?: string): Promise<DeviceBackupStatus[]> {
  can(actor, 'backup:admin');
  return recoveryPoints(ctx, only);
}

/**
 * Every computer's recovery point, riskiest first, for other modules (the RPO compliance KPI), which check the
 * caller's permission themselves.
 */
export async function recoveryPoints(ctx: Ctx, only?: string): Promise<DeviceBackupStatus[]> {
  const devices = await computersInUse(ctx, only);
  const all = await policies.assignments(ctx.db);
  const byId = new Map((await policies.listPolicies(ctx.db)).map((p) => [p.id, p]));
  const ids = only ? [only] : undefined;
  const runs = await runsRepo.lastRuns(ctx.db, ids);
  const [changes, alerts, running] = await Promise.all([
    rpoRepo.changesOf(ctx.db, ids),
    rpoRepo.openAlerts(ctx.db, ids),
    runningOn(
      ctx,
      devices.map((d) => d.id),
      (id) => runs.get(id)?.last_at ?? null,
    ),
  ]);
  const now = Date.now();
  const out = devices.map((d) => {
    const win = winning(all, d);
    const seen = { changes: changes.get(d.id), alert: alerts.get(d.id) };
    return statusOf(d, win && byId.get(win.policy_id), runs.get(d.id), seen, now, running.get(d.id));
  });
  return out.sort(byRisk);
}

/** One device's recovery point; 404 when it is not a computer in use. */
export async function deviceStatus(ctx: Ctx, actor: Actor, ciId: string): Promise<DeviceBackupStatus> {
  const [s] = await fleetStatus(ctx, actor, ciId);
  if (!s) throw NotFound('computer');
  return s;
}

/**
 * The last good snapshot of each device among `ciIds` that has one: when its run began (what a restore gets
 * back) and restic's snapshot id. For other modules (disaster-recovery plans and drills), which check the
 * caller's permission themselves.
 */
export async function lastGoodSnapshots(
  ctx: Ctx,
  ciIds: readonly string[],
): Promise<Map<string, { at: Date; snapshotId: string | null }>> {
  const rows = await runsRepo.lastSnapshots(ctx.db, ciIds);
  return new Map(rows.map((r) => [r.ci_id, { at: r.started_at, snapshotId: r.snapshot_id }]));
}

/** A stored run as the API shows it. */
export function runView(r: runsRepo.RunRow): BackupRun {
  return {
    id: r.id,
    ciId: r.ci_id,
    startedAt: r.started_at.toISOString(),
    finishedAt: r.finished_at.toISOString(),
    status: r.status,
    snapshotId: r.snapshot_id,
    filesNew: r.files_new,
    filesChanged: r.files_changed,
    filesUnmodified: r.files_unmodified,
    bytesProcessed: Number(r.bytes_processed),
    bytesAdded: Number(r.bytes_added),
    warnings: r.warnings,
    error: r.error,
    reportedAt: r.reported_at.toISOString(),
  };
}

/** A device's runs, newest first (at most `limit`). */
export async function runsOf(ctx: Ctx, actor: Actor, ciId: string, limit: number): Promise<BackupRun[]> {
  can(actor, 'backup:admin');
  return (await runsRepo.runsOf(ctx.db, ciId, limit)).map(runView);
}
