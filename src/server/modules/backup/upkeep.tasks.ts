/**
 * The upkeep tasks themselves, on an opened repository, with the backup engine: forget by a policy's
 * retention, prune, and a check that reads a rotating part of the packs. Each returns what a person reads in
 * the history (a summary) and the figures behind it; a repository another process holds locked is skipped.
 */
import type { Retention, UpkeepDetails } from '../../../contracts/index.js';
import { checkRepository } from '../../../backup/check.js';
import { forget } from '../../../backup/forget.js';
import { type KeepPolicy, parseDuration } from '../../../backup/forget-policy.js';
import { LockConflictError, type LockTiming, withLock } from '../../../backup/lock.js';
import { prune } from '../../../backup/prune.js';
import { lockTarget } from '../../../backup/repo-adapters.js';
import type { Repository } from '../../../backup/repository.js';

/** How a task ended. */
export interface TaskResult {
  outcome: 'ok' | 'failed' | 'skipped';
  summary: string;
  details: UpkeepDetails;
  error: string | null;
}

/** The rotating check reads one of this many groups of packs a day, so every pack at least every 30 days. */
export const CHECK_GROUPS = 30;
const DAY_MS = 86_400_000;
/** At most this many findings are kept in a task's details (their count is kept too). */
const MAX_FINDINGS = 20;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Bytes as people read them (binary units, as restic prints). */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${v.toFixed(1)} ${units[i]}`;
}

/** A policy's retention as the engine's keep policy. */
export function keepPolicyOf(r: Retention): KeepPolicy {
  return {
    last: r.last,
    hourly: r.hourly,
    daily: r.daily,
    weekly: r.weekly,
    monthly: r.monthly,
    yearly: r.yearly,
    within: r.within ? parseDuration(r.within) : undefined,
  };
}

/** restic's words for a retention: "keep-last 3, keep-daily 7". */
export function describeRetention(r: Retention): string {
  return Object.entries(r)
    .map(([k, v]) => `keep-${k} ${v}`)
    .join(', ');
}

/**
 * Which groups (1..30) the next check reads: the groups after the last one read, one for each day since that
 * check (at least one, at most all), so that a missed day is caught up and every pack is read within 30 days.
 */
export function groupsToRead(
  last: { at: Date; nextGroup: number } | undefined,
  now: Date,
): { groups: number[]; nextGroup: number } {
  const first = last ? last.nextGroup : 1;
  const days = last ? Math.round((now.getTime() - last.at.getTime()) / DAY_MS) : 1;
  const count = Math.min(CHECK_GROUPS, Math.max(1, days));
  const groups = Array.from({ length: count }, (_, i) => ((first - 1 + i) % CHECK_GROUPS) + 1);
  return { groups, nextGroup: ((first - 1 + count) % CHECK_GROUPS) + 1 };
}

/** A pack's group: the first byte of its id modulo 30, plus one (restic's `--read-data-subset n/30`). */
export const groupOf = (packId: string): number => (parseInt(packId.slice(0, 2), 16) % CHECK_GROUPS) + 1;

/** Runs `fn`; a lock held by another process makes the task skipped ("in use"), naming the holder. */
export async function unlessInUse(fn: () => Promise<TaskResult>): Promise<TaskResult> {
  try {
    return await fn();
  } catch (e) {
    if (!(e instanceof LockConflictError)) throw e;
    const h = e.holder;
    return {
      outcome: 'skipped',
      summary: `skipped: in use (${h.exclusive ? 'exclusively ' : ''}locked by ${h.username} on ${h.hostname} since ${h.time.slice(0, 19).replace('T', ' ')} UTC)`,
      details: {},
      error: null,
    };
  }
}

/** Forgets the snapshots the retention does not keep (an exclusive lock, as restic's `forget`). */
export async function forgetTask(
  repo: Repository,
  retention: Retention,
  timing?: LockTiming,
): Promise<TaskResult> {
  return unlessInUse(async () => {
    const res = await forget(repo, {
      policy: keepPolicyOf(retention),
      groupBy: { host: true, paths: true, tags: false },
      lockTiming: timing,
    });
    const kept = res.groups.reduce((n, g) => n + g.keep.length, 0);
    return {
      outcome: 'ok',
      summary: `kept ${plural(kept, 'snapshot')}, removed ${res.removed.length} (${describeRetention(retention)})`,
      details: { retention, snapshotsKept: kept, snapshotsRemoved: res.removed.length },
      error: null,
    };
  });
}

/** Removes data no snapshot uses (restic's `prune` with its defaults). */
export async function pruneTask(repo: Repository, timing?: LockTiming): Promise<TaskResult> {
  return unlessInUse(async () => {
    const s = await prune(repo, { lockTiming: timing });
    const summary =
      s.bytesFreed > 0 || s.packsRemoved > 0
        ? `freed ${formatBytes(s.bytesFreed)}: removed ${plural(s.packsRemoved, 'pack')}, repacked ${s.packsRepacked}`
        : `nothing to free (${formatBytes(s.usedBytes)} in use)`;
    return {
      outcome: 'ok',
      summary,
      details: {
        packsRemoved: s.packsRemoved,
        packsRepacked: s.packsRepacked,
        bytesFreed: s.bytesFreed,
        bytesUsed: s.usedBytes,
      },
      error: null,
    };
  });
}

/**
 * Checks the repository's structure and reads the packs of `groups` (of 30), under an exclusive lock as
 * restic's `check`. Any error found fails the task, with the engine's findings in its details.
 */
export async function checkTask(
  repo: Repository,
  plan: { groups: number[]; nextGroup: number },
  timing?: LockTiming,
): Promise<TaskResult> {
  return unlessInUse(() =>
    withLock(
      lockTarget(repo),
      true,
      async () => {
        const want = new Set(plan.groups);
        // One worker thread opens the blobs (check's own calls share it): upkeep is background work beside
        // the requests the server answers, and reading the packs from storage is what takes the time.
        const res = await repo.withWorkers(
          () =>
            checkRepository(repo, {
              readDataSubset: (packs) => [...packs.keys()].filter((id) => want.has(groupOf(id))),
            }),
          1,
        );
        const g = plan.groups;
        const groups =
          g.length === 1 ? `group ${g[0]}` : g.length <= 3 ? `groups ${g.join(', ')}` : `${g.length} groups`;
        const read = `read ${res.packsRead} of ${plural(res.packs, 'pack')} (${groups} of ${CHECK_GROUPS})`;
        const details: UpkeepDetails = {
          packsRead: res.packsRead,
          packsTotal: res.packs,
          groups: g,
          groupsOf: CHECK_GROUPS,
          nextGroup: plan.nextGroup,
          snapshots: res.snapshots,
          errors: res.errors.slice(0, MAX_FINDINGS).map((e) => e.message),
          errorCount: res.errors.length,
          warningCount: res.warnings.length,
        };
        if (res.errors.length === 0)
          return { outcome: 'ok', summary: `${read}: no errors found`, details, error: null };
        return {
          outcome: 'failed',
          summary: `${read}: ${plural(res.errors.length, 'error')} found`,
          details,
          error: res.errors
            .slice(0, 3)
            .map((e) => e.message)
            .join('; '),
        };
      },
      timing,
    ),
  );
}
