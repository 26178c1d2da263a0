/**
 * `steward repo snapshots`: lists snapshots as restic 0.14 does, with `--latest N` (the newest N of each host and
 * path set), `--group-by host,paths,tags` (a table per group, or `[{group_key, snapshots}]` with --json) and
 * `-c/--compact` (no paths column).
 */
import type { Command } from 'commander';
import { SnapshotNotFoundError } from '../backup/errors.js';
import type { GroupKey } from '../backup/forget-policy.js';
import { groupSnapshots, parseGroupBy } from '../backup/forget-policy.js';
import { formatRFC3339Nano } from '../backup/gojson.js';
import type { Repository } from '../backup/repository.js';
import type { StoredSnapshot } from '../backup/snapshot.js';
import { CliError } from './io.js';
import { snapshotJson } from './repo-read.js';
import { EXIT, filterOf, globals, openRepo, say, sayJson, withFilterOptions } from './repo.js';

type FilterFlags = { host: string[]; tag: string[]; path: string[] };
type SnapshotsFlags = FilterFlags & { latest?: string; groupBy?: string; compact?: boolean };

const byTime = (a: StoredSnapshot, b: StoredSnapshot): number =>
  a.time.ns < b.time.ns ? -1 : a.time.ns > b.time.ns ? 1 : 0;

/**
 * The snapshots named on the command line, as restic's `snapshots` takes them: `latest` is the newest snapshot
 * matching the filter, an id prefix names one snapshot, each at most once; a name that matches nothing is skipped
 * with restic's "Ignoring" warning. Oldest first.
 */
async function snapshotsNamed(r: Repository, ids: string[], f: FilterFlags): Promise<StoredSnapshot[]> {
  const found = new Map<string, StoredSnapshot>();
  for (const ref of ids) {
    try {
      const s = await r.findSnapshot(ref, ref === 'latest' ? filterOf(f) : {});
      found.set(s.id, s);
    } catch (e) {
      if (!(e instanceof SnapshotNotFoundError)) throw e;
      process.stderr.write(
        ref === 'latest'
          ? `Ignoring "latest", no snapshot matched given filter\n`
          : `Ignoring ${JSON.stringify(ref)}: no matching ID found for prefix ${JSON.stringify(ref)}\n`,
      );
    }
  }
  return [...found.values()].sort(byTime);
}

/** restic's FilterLastSnapshots: the newest `n` of each host and path set, oldest first. */
export function lastSnapshots(list: StoredSnapshot[], n: number): StoredSnapshot[] {
  const seen = new Map<string, number>();
  const out: StoredSnapshot[] = [];
  for (const s of [...list].sort((a, b) => byTime(b, a))) {
    const key = `${s.hostname ?? ''}|${s.paths.join('|')}`;
    const count = seen.get(key) ?? 0;
    if (count < n) {
      seen.set(key, count + 1);
      out.push(s);
    }
  }
  return out.sort(byTime);
}

/** restic's group header: `snapshots for (host [h], tags [a, b], paths [/x, /y]):`. */
function groupHeader(k: GroupKey): string {
  const parts: string[] = [];
  if (k.hostname !== '') parts.push(`host [${k.hostname}]`);
  if (k.tags !== null) parts.push(`tags [${k.tags.join(', ')}]`);
  if (k.paths !== null) parts.push(`paths [${k.paths.join(', ')}]`);
  return `snapshots${parts.length ? ` for (${parts.join(', ')})` : ''}:`;
}

function printTable(list: StoredSnapshot[], compact: boolean): void {
  const rule = '-'.repeat(compact ? 44 : 72);
  say(
    compact
      ? 'ID        Time                 Host        Tags'
      : 'ID        Time                 Host        Tags        Paths',
  );
  say(rule);
  for (const s of list) {
    const t = formatRFC3339Nano(s.time).slice(0, 19).replace('T', ' ');
    const head = `${s.id.slice(0, 8)}  ${t}  ${(s.hostname ?? '').padEnd(10)}  ${(s.tags ?? []).join(',')}`;
    if (compact) say(head.trimEnd());
    else
      say(
        `${s.id.slice(0, 8)}  ${t}  ${(s.hostname ?? '').padEnd(10)}  ${(s.tags ?? []).join(',').padEnd(10)}  ${s.paths.join('\n' + ' '.repeat(58))}`,
      );
  }
  say(rule);
  say(`${list.length} snapshots`);
}

function parseLatest(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new CliError('--latest must be a whole number of at least 1', EXIT.error);
  return n;
}

/** Registers `snapshots`. */
export function registerSnapshotsCommand(repo: Command): void {
  withFilterOptions(
    repo
      .command('snapshots')
      .description('list snapshots')
      .argument('[ids...]', 'snapshot ids (default: all)'),
  )
    .option('--latest <n>', 'only the newest n snapshots of each host and path set')
    .option('-g, --group-by <fields>', 'group by host, paths and/or tags (comma-separated)')
    .option('-c, --compact', 'compact table (no paths)')
    .action(async (ids: string[], f: SnapshotsFlags, cmd: Command) => {
      const latest = parseLatest(f.latest);
      let groupBy;
      try {
        groupBy = parseGroupBy(f.groupBy ?? '');
      } catch (e) {
        throw new CliError(e instanceof Error ? e.message : String(e), EXIT.error);
      }
      const grouped = groupBy.host || groupBy.paths || groupBy.tags;
      const r = await openRepo(cmd, { noIndex: true });
      const all = ids.length ? await snapshotsNamed(r, ids, f) : await r.listSnapshots(filterOf(f));
      const groups = groupSnapshots(all, groupBy).map((g) => ({
        key: g.key,
        snapshots: latest === undefined ? g.snapshots : lastSnapshots(g.snapshots, latest),
      }));
      if (globals(cmd).json) {
        if (grouped)
          return sayJson(groups.map((g) => ({ group_key: g.key, snapshots: g.snapshots.map(snapshotJson) })));
        return sayJson((groups[0]?.snapshots ?? []).map(snapshotJson));
      }
      for (const g of groups) {
        if (g.snapshots.length === 0) continue; // restic prints nothing, not an empty table
        if (grouped) say(groupHeader(g.key));
        printTable(g.snapshots, f.compact ?? false);
      }
    });
}
