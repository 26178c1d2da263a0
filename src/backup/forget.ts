/**
 * `forget`: applies a retention policy (or explicit ids) to the snapshots and removes the snapshot
 * files it does not keep. Data stays until `prune`. Takes an exclusive lock, as restic does.
 */
import type { GroupBy, GroupKey, KeepPolicy, PolicySnapshot } from './forget-policy.js';
import { applyPolicy, groupSnapshots } from './forget-policy.js';
import { formatRFC3339Nano } from './gojson.js';
import { withLock } from './lock.js';
import type { LockTiming } from './lock.js';
import { lockTarget } from './repo-adapters.js';
import type { Repository, SnapshotFilter } from './repository.js';
import type { StoredSnapshot } from './snapshot.js';

/** Options of {@link forget}. */
export interface ForgetOptions {
  policy: KeepPolicy;
  /** Default host,paths (restic's default). */
  groupBy: GroupBy;
  filter?: SnapshotFilter;
  /** Explicit snapshot ids (full or prefixes) to remove instead of a policy. */
  ids?: string[];
  dryRun?: boolean;
  lockTiming?: LockTiming;
}

/** One group's outcome, shaped like restic's `forget --json` entries. */
export interface ForgetGroup {
  key: GroupKey;
  keep: StoredSnapshot[];
  remove: StoredSnapshot[];
  reasons: { snapshot: StoredSnapshot; matches: string[] }[];
}

/** Outcome of {@link forget}. */
export interface ForgetResult {
  groups: ForgetGroup[];
  /** Ids of removed snapshot files (empty on a dry run). */
  removed: string[];
}

const asPolicySnapshot = (s: StoredSnapshot): PolicySnapshot & { stored: StoredSnapshot } => ({
  id: s.id,
  time: formatRFC3339Nano(s.time),
  hostname: s.hostname,
  paths: s.paths,
  tags: s.tags,
  stored: s,
});

/** Decides (and unless dry-run, performs) the removal of snapshots. */
export async function forget(repo: Repository, opts: ForgetOptions): Promise<ForgetResult> {
  const run = async (): Promise<ForgetResult> => {
    const all = await repo.listSnapshots(opts.filter ?? {});
    const groups: ForgetGroup[] = [];
    if (opts.ids?.length) {
      const remove: StoredSnapshot[] = [];
      for (const ref of opts.ids) remove.push(await repo.findSnapshot(ref));
      groups.push({ key: { hostname: '', paths: null, tags: null }, keep: [], remove, reasons: [] });
    } else {
      for (const g of groupSnapshots(all.map(asPolicySnapshot), opts.groupBy)) {
        const r = applyPolicy(g.snapshots, opts.policy);
        const back = (p: PolicySnapshot): StoredSnapshot =>
          (p as PolicySnapshot & { stored: StoredSnapshot }).stored;
        groups.push({
          key: g.key,
          keep: r.keep.map(back),
          remove: r.remove.map(back),
          reasons: r.reasons.map((x) => ({ snapshot: back(x.snapshot), matches: x.matches })),
        });
      }
    }
    const removed: string[] = [];
    if (!opts.dryRun) {
      for (const g of groups) {
        for (const s of g.remove) {
          await repo.backend.remove({ type: 'snapshot', name: s.id });
          removed.push(s.id);
        }
      }
    }
    return { groups, removed };
  };
  if (opts.dryRun) return run();
  return withLock(lockTarget(repo), true, run, opts.lockTiming);
}
