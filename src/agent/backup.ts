/**
 * The agent's company backups: it asks Steward for its repository (on Steward's backup endpoint, reached with
 * its own agent token: it never holds storage credentials) and its policy, backs up the policy's folders with
 * the backup engine at low CPU and I/O priority, and reports each run. Runs follow the policy's schedule; a run
 * missed while the machine was off or asleep starts at the next opportunity.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { hostname, platform, setPriority } from 'node:os';
import { join } from 'node:path';
import { Cron } from 'croner';
import type {
  AgentBackupAccess,
  BackupRun,
  ReportBackupChanges,
  ReportBackupRun,
} from '../contracts/index.js';
import { backup, findParent, normaliseTargets } from '../backup/archiver.js';
import { limitBackend } from '../backup/backend/limit.js';
import { openBackend } from '../backup/backend/location.js';
import { errorMessage } from '../backup/errors.js';
import { ExcludeFilter } from '../backup/excludes.js';
import { withLock } from '../backup/lock.js';
import { lockTarget } from '../backup/repo-adapters.js';
import { Repository } from '../backup/repository.js';
import { AgentError, type AgentConfig, request } from './agent.js';
import { postingProgress } from './progress.js';

/** Where the agent remembers its last scheduled run (beside its config). */
export const stateFileOf = (configPath: string) => `${configPath}.backup-state.json`;

interface BackupState {
  /** When the last scheduled run started (ISO). */
  lastRun: string | null;
  /** When the last run that saved a snapshot started (ISO): files changed since are at risk. */
  lastGood?: string | null;
  /** When the agent last counted the files changed since then, between runs (ISO). */
  lastCount?: string | null;
}

/** How often, between runs, the agent counts the files changed since its last good snapshot for Steward. */
export const COUNT_EVERY_MS = 15 * 60_000;

function readState(path: string): BackupState {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as BackupState;
  } catch {
    return { lastRun: null };
  }
}

/**
 * Counts the files under `roots` modified or changed (mtime or ctime) after `since` (every file when null),
 * skipping excluded paths and what cannot be read: a walk of metadata only, stopped after `limit` entries.
 */
export async function countChanged(
  roots: readonly string[],
  since: Date | null,
  excludes: readonly string[],
  limit = 1_000_000,
): Promise<number> {
  const filter = new ExcludeFilter({ excludes: [...excludes] });
  const after = since?.getTime() ?? -Infinity;
  const stack = [...roots];
  let changed = 0;
  for (let seen = 0; stack.length > 0 && seen < limit; seen++) {
    const path = stack.pop()!;
    if (filter.excludedByName(path)) continue;
    const st = await lstat(path).catch(() => null);
    if (!st) continue;
    if (st.isDirectory()) {
      for (const name of await readdir(path).catch(() => [])) stack.push(join(path, name));
    } else if (Math.max(st.mtimeMs, st.ctimeMs) > after) changed++;
  }
  return changed;
}

/** The policy's folders that exist on this machine. */
const foldersOf = (policy: NonNullable<AgentBackupAccess['policy']>) =>
  normaliseTargets(policy.paths[osKey()].filter((p) => existsSync(p)));

function writeState(path: string, s: BackupState): void {
  writeFileSync(`${path}.tmp`, JSON.stringify(s), { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
}

/** This device's repository and policy, or null when Steward has none for it yet. */
export async function fetchAccess(config: AgentConfig): Promise<AgentBackupAccess | null> {
  try {
    return await request<AgentBackupAccess>(
      'GET',
      `${config.server}/api/v1/agents/backup`,
      undefined,
      config.token,
    );
  } catch (e) {
    if (e instanceof AgentError && e.message.startsWith('404')) return null;
    throw e;
  }
}

/**
 * True when the policy's schedule fired after the last run (or, the first time, within the past week) and not
 * after `now`: several runs missed while the machine was off make one run, now.
 */
export function isDue(cron: string, timeZone: string, lastRun: Date | null, now: Date): boolean {
  const from = lastRun ?? new Date(now.getTime() - 7 * 24 * 3600_000);
  const next = new Cron(cron, { timezone: timeZone, paused: true }).nextRun(from);
  return next !== null && next <= now;
}

/** Lowers this process's CPU and I/O priority for the backup (nice 19, idle I/O class where ionice exists). */
function lowerPriority(): void {
  try {
    setPriority(19);
  } catch {
    // not permitted: run at the normal priority
  }
  if (platform() === 'linux')
    spawnSync('ionice', ['-c', '3', '-p', String(process.pid)], { stdio: 'ignore' });
}

/**
 * What the agent's backups use of the machine they run on: its clock (when a run is due, the run's and the
 * snapshot's times), a way to run at low priority, and whether to use worker threads. The agent uses the
 * machine's; a simulation (the storm scenario test) passes its own clock, to play a policy's schedule over a
 * simulated week, keeps its priority and works on one thread (workers started from the TypeScript sources
 * compile them first, seconds per backup).
 */
export interface BackupHost {
  now: () => Date;
  lowerPriority: () => void;
  /** Chunk, hash and encrypt on worker threads (the engine's default when undefined: with more than one core). */
  workers?: boolean;
}

/** This machine: the system clock, and nice 19 with the idle I/O class for the backup. */
export const systemHost: BackupHost = { now: () => new Date(), lowerPriority };

const osKey = (): 'linux' | 'windows' | 'macos' =>
  platform() === 'win32' ? 'windows' : platform() === 'darwin' ? 'macos' : 'linux';

/**
 * Runs one backup by the policy in `access` and reports it; the run's report is returned. When it fails and
 * `lastGood` is given (the start of the last good run, null for none), the report says how many files changed
 * since then: what the device would lose now. The run's times and the snapshot's come from `host`'s clock.
 */
export async function runBackup(
  config: AgentConfig,
  access: AgentBackupAccess,
  lastGood?: Date | null,
  host: BackupHost = systemHost,
): Promise<BackupRun> {
  const policy = access.policy;
  const asked = access.snapshotRequestId ? { snapshotRequestId: access.snapshotRequestId } : {};
  if (!policy) throw new AgentError('no backup policy covers this device');
  const startedAt = host.now();
  const report: ReportBackupRun = {
    startedAt: startedAt.toISOString(),
    finishedAt: startedAt.toISOString(),
    status: 'failed',
    snapshotId: null,
    filesNew: 0,
    filesChanged: 0,
    filesUnmodified: 0,
    bytesProcessed: 0,
    bytesAdded: 0,
    warnings: [],
    error: null,
    ...asked,
  };
  host.lowerPriority();
  const endpoint = await openBackend(`rest:${config.server}${access.repositoryPath}`, {
    RESTIC_REST_USERNAME: access.username,
    RESTIC_REST_PASSWORD: config.token,
  });
  const backend = policy.uploadLimitKiB
    ? limitBackend(endpoint, { uploadBytesPerSec: policy.uploadLimitKiB * 1024 })
    : endpoint;
  const progress = postingProgress(config, report.startedAt);
  try {
    const targets = foldersOf(policy);
    if (targets.length === 0) throw new AgentError(`none of the policy’s folders exists on this machine`);
    const repo = await Repository.open(backend, access.repositoryPassword);
    const hostName = hostname();
    const r = await withLock(lockTarget(repo), false, (lock) =>
      findParent(repo, hostName, targets).then((parent) =>
        backup(repo, {
          targets,
          hostname: hostName,
          parent,
          tags: ['steward'],
          time: startedAt,
          workers: host.workers,
          lock,
          exclude: { excludes: policy.excludes, excludeCaches: policy.excludeCaches },
          excludeLargerThan: policy.excludeLargerThan ?? undefined,
          progress,
        }),
      ),
    );
    Object.assign(report, {
      status: r.warnings.length > 0 ? 'partial' : 'succeeded',
      snapshotId: r.snapshotId,
      filesNew: r.summary.files_new,
      filesChanged: r.summary.files_changed,
      filesUnmodified: r.summary.files_unmodified,
      bytesProcessed: r.summary.total_bytes_processed,
      bytesAdded: r.summary.data_added,
      warnings: [
        ...(r.skippedLarge.files > 0
          ? [`${r.skippedLarge.files} files larger than the policy’s size cap were left out`]
          : []),
        ...r.warnings.map((w) => `${w.item}: ${w.message}`.slice(0, 2000)),
      ].slice(0, 50),
    });
  } catch (e) {
    report.error = errorMessage(e).slice(0, 4000);
  } finally {
    await backend.close().catch(() => undefined);
    // A progress post still in flight must not land after the report.
    await progress.settle();
  }
  if (report.status === 'failed' && lastGood !== undefined)
    report.changedFiles = await countChanged(foldersOf(policy), lastGood, policy.excludes).catch(() => null);
  report.finishedAt = host.now().toISOString();
  return request<BackupRun>('POST', `${config.server}/api/v1/agents/backup/runs`, report, config.token);
}

/**
 * Runs the backup if the policy's schedule has a run due by `host`'s clock (or `force`, or Steward asks for
 * a snapshot now), remembering when it ran, so a
 * run missed while the machine was off starts now, once. Returns the run, or null when none was due.
 */
export async function backupIfDue(
  config: AgentConfig,
  configPath: string,
  force = false,
  host: BackupHost = systemHost,
): Promise<BackupRun | null> {
  const access = await fetchAccess(config);
  if (!access?.policy) {
    if (force) throw new AgentError('Steward has no backup repository or policy for this device yet');
    return null;
  }
  const statePath = stateFileOf(configPath);
  const state = readState(statePath);
  const now = host.now();
  const last = state.lastRun ? new Date(state.lastRun) : null;
  const lastGood = state.lastGood ? new Date(state.lastGood) : null;
  // A "back up now" from Steward (a restore point before a change) runs at once.
  if (!force && !access.snapshotRequestId && !isDue(access.policy.cron, access.policy.timeZone, last, now)) {
    await countForSteward(config, access.policy, statePath, state, lastGood, now);
    return null;
  }
  const run = await runBackup(config, access, lastGood, host);
  writeState(statePath, {
    ...state,
    lastRun: now.toISOString(),
    lastGood: run.status === 'failed' ? (state.lastGood ?? null) : run.startedAt,
  });
  return run;
}

/** Between runs, every {@link COUNT_EVERY_MS}: tells Steward how many files changed since the last good snapshot. */
async function countForSteward(
  config: AgentConfig,
  policy: NonNullable<AgentBackupAccess['policy']>,
  statePath: string,
  state: BackupState,
  lastGood: Date | null,
  now: Date,
): Promise<void> {
  if (state.lastCount && now.getTime() - Date.parse(state.lastCount) < COUNT_EVERY_MS) return;
  // Remembered first: a count that fails is not retried at every check.
  writeState(statePath, { ...state, lastCount: now.toISOString() });
  const body: ReportBackupChanges = {
    since: lastGood?.toISOString() ?? null,
    files: await countChanged(foldersOf(policy), lastGood, policy.excludes),
    countedAt: now.toISOString(),
  };
  await request('POST', `${config.server}/api/v1/agents/backup/changes`, body, config.token);
}
