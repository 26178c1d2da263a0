/**
 * `steward repo snapshots`: lists snapshots as restic 0.14 does, with `--latest N` (the newest N of each host and
 * path set), `--group-by host,paths,tags` (a table per group, or `[{group_key, snapshots}]` with --json) and
 * `-c/--compact` (no paths column).
 */
import type { Command } from 'commander';
import { SnapshotNotFoundError } from '../backup/errors.js';
import type { GroupKey } from '../backup/forget-policy.js';
import { groupSnapshots, parseGroupBy } from '../backup/forget-policy.js';
import { formatRFC3339Nano, localTime } from '../backup/gojson.js';
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

/** restic's group header: `snapshots for (host [h], tags [a, b], paths [/x, /y]):`; none for an empty key. */
function groupHeader(k: GroupKey): string | null {
  if (k.hostname === '' && k.tags === null && k.paths === null) return null;
  const parts: string[] = [];
  if (k.hostname !== '') parts.push(`host [${k.hostname}]`);
  if (k.tags !== null) parts.push(`tags [${k.tags.join(', ')}]`);
  if (k.paths !== null) parts.push(`paths [${k.paths.join(', ')}]`);
  return `snapshots${parts.length ? ` for (${parts.join(', ')})` : ''}:`;
}

/**
 * restic 0.14's table (internal/ui/table): each column as wide as its widest line (header included), cells two
 * spaces apart, a cell's lines one below the other, every line trimmed on the right; a dashed rule under the
 * header and after the rows. With `gap`, a blank line before every row but the first.
 */
export function resticTable(headers: string[], rows: string[][], footer: string[], gap = false): string[] {
  const len = (x: string): number => Buffer.byteLength(x);
  const widths = headers.map((h) => len(h));
  for (const row of rows)
    row.forEach((cell, i) => {
      for (const l of cell.split('\n')) widths[i] = Math.max(widths[i] ?? 0, len(l));
    });
  const total = widths.reduce((a, b) => a + b, 0) + 2 * (headers.length - 1);
  const lines = (cells: string[]): string[] => {
    const split = cells.map((c) => c.split('\n'));
    const height = Math.max(1, ...split.map((c) => c.length));
    return Array.from({ length: height }, (_, k) =>
      split
        .map((c, i) => {
          const v = c[k] ?? '';
          return v + ' '.repeat(Math.max(0, (widths[i] ?? 0) - len(v)));
        })
        .join('  ')
        .trimEnd(),
    );
  };
  const rule = '-'.repeat(total);
  const body = rows.flatMap((r, i) => (gap && i > 0 ? ['', ...lines(r)] : lines(r)));
  return [...lines(headers), rule, ...body, rule, ...footer];
}

/** The snapshot table of restic 0.14's `snapshots` (time in the local zone, oldest first). */
function printTable(list: StoredSnapshot[], compact: boolean): void {
  const rows = list.map((s) => {
    const t = formatRFC3339Nano(localTime(s.time.ns)).slice(0, 19).replace('T', ' ');
    const head = [s.id.slice(0, 8), t, s.hostname ?? ''];
    return compact
      ? [...head, (s.tags ?? []).join('\n')]
      : [...head, (s.tags ?? []).join(','), s.paths.join('\n')];
  });
  const headers = compact
    ? ['ID', 'Time', 'Host', 'Tags  ']
    : ['ID', 'Time', 'Host      ', 'Tags      ', 'Paths'];
  const gap = !compact && list.some((s) => s.paths.length > 1);
  for (const l of resticTable(headers, rows, [`${list.length} snapshots`], gap)) say(l);
}

const goSort = (list: string[]): string[] =>
  [...list].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

/** restic sorts each snapshot's paths for its listing (text and JSON), and its tags when grouping by tags. */
const sortedFor =
  (byTags: boolean) =>
  (s: StoredSnapshot): StoredSnapshot => ({
    ...s,
    paths: goSort(s.paths),
    ...(byTags && s.tags ? { tags: goSort(s.tags) } : {}),
  });

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
      const all = (ids.length ? await snapshotsNamed(r, ids, f) : await r.listSnapshots(filterOf(f))).map(
        sortedFor(groupBy.tags),
      );
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
        const header = grouped ? groupHeader(g.key) : null;
        if (header !== null) say(header);
        printTable(g.snapshots, f.compact ?? false);
      }
    });
}
