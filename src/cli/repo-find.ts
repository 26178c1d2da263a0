/**
 * `steward repo find`: files and folders by name pattern (`-l` long listing, `-O/--oldest` and `-N/--newest` by
 * modification time), or where objects are used (`--blob`, `--tree`, `--pack` ids, full or short), across the
 * selected snapshots.
 */
import type { Command } from 'commander';
import { findInSnapshots } from '../backup/find.js';
import { findObjects } from '../backup/find-objects.js';
import type { ObjectQuery } from '../backup/find-objects.js';
import { formatRFC3339Nano, localTime } from '../backup/gojson.js';
import type { Repository } from '../backup/repository.js';
import type { StoredSnapshot } from '../backup/snapshot.js';
import { CliError } from './io.js';
import { longLine, nodeJson, resolveSnapshot } from './repo-read.js';
import { collect, EXIT, filterOf, globals, info, openRepo, say, sayJson, withFilterOptions } from './repo.js';

type FindFlags = {
  host: string[];
  tag: string[];
  path: string[];
  ignoreCase?: boolean;
  snapshot: string[];
  long?: boolean;
  oldest?: string;
  newest?: string;
  blob?: boolean;
  tree?: boolean;
  pack?: boolean;
};

/** restic's find times: `2006-01-02`, `2006-01-02 15:04` or `2006-01-02 15:04:05`, local time. */
export function parseFindTime(v: string | undefined, flag: string): bigint | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(v.trim());
  const d = m ? new Date(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)) : null;
  if (!d || Number.isNaN(d.getTime()))
    throw new CliError(
      `${flag}: cannot parse ${JSON.stringify(v)} (use "2006-01-02", "2006-01-02 15:04[:05]")`,
      EXIT.error,
    );
  return BigInt(d.getTime()) * 1_000_000n;
}

/** A snapshot's time as restic's find shows it: local zone, to the second. */
function time(s: StoredSnapshot): string {
  return formatRFC3339Nano(localTime(s.time.ns)).slice(0, 19).replace('T', ' ');
}

async function printObjects(
  r: Repository,
  q: ObjectQuery,
  snaps: StoredSnapshot[],
  json: boolean,
): Promise<void> {
  const found: Record<string, unknown>[] = [];
  for await (const m of findObjects(r, q, snaps)) {
    if (json) {
      found.push({
        object_type: m.objectType,
        id: m.id,
        path: m.path,
        parent_tree: m.parentTree,
        snapshot: m.snapshot.id,
        time: formatRFC3339Nano(m.snapshot.time),
      });
      continue;
    }
    say(`Found ${m.objectType} ${m.id}`);
    if (m.objectType === 'blob') say(` ... in file ${m.path}\n     (tree ${m.parentTree})`);
    else say(` ... path ${m.path}`);
    say(` ... in snapshot ${m.snapshot.id.slice(0, 8)} (${time(m.snapshot)})`);
  }
  if (json) sayJson(found);
}

/** Registers `find`. */
export function registerFindCommand(repo: Command): void {
  withFilterOptions(
    repo
      .command('find')
      .description('find files in snapshots, or where blobs, trees and packs are used')
      .argument('<patterns...>', 'glob patterns (with --blob, --tree, --pack: ids)'),
  )
    .option('-i, --ignore-case', 'ignore case')
    .option('-s, --snapshot <id>', 'search only this snapshot (repeatable)', collect, [])
    .option('-l, --long', 'long listing (mode, owner, size, time)')
    .option('-O, --oldest <time>', 'only what was modified at or after this time')
    .option('-N, --newest <time>', 'only what was modified at or before this time')
    .option('--blob', 'the patterns are data blob ids')
    .option('--tree', 'the patterns are tree ids')
    .option('--pack', 'the patterns are pack ids')
    .action(async (patterns: string[], f: FindFlags, cmd: Command) => {
      const kinds = (['blob', 'tree', 'pack'] as const).filter((k) => f[k]);
      if (kinds.length > 1) throw new CliError('give only one of --blob, --tree and --pack', EXIT.error);
      const oldestNs = parseFindTime(f.oldest, '--oldest');
      const newestNs = parseFindTime(f.newest, '--newest');
      if (kinds.length === 1 && patterns.some((p) => !/^[0-9a-fA-F]+$/.test(p)))
        throw new CliError(`--${kinds[0]}: the patterns must be ids (hexadecimal)`, EXIT.error);
      const r = await openRepo(cmd);
      const snapshots = f.snapshot.length
        ? await Promise.all(f.snapshot.map((id) => resolveSnapshot(r, id, f)))
        : await r.listSnapshots(filterOf(f));
      const json = globals(cmd).json ?? false;
      if (kinds.length === 1) return printObjects(r, { kind: kinds[0]!, ids: patterns }, snapshots, json);
      const bySnap = new Map<string, Record<string, unknown>[]>();
      let shown: string | null = null;
      for await (const m of findInSnapshots(r, patterns, {
        snapshots,
        ignoreCase: f.ignoreCase,
        oldestNs,
        newestNs,
      })) {
        if (json) {
          const list = bySnap.get(m.snapshotId) ?? [];
          list.push(nodeJson(m.path, m.node));
          bySnap.set(m.snapshotId, list);
          continue;
        }
        // As restic 0.14: a heading per snapshot (left out with -q), a blank line between snapshots.
        if (m.snapshotId !== shown) {
          if (shown !== null) info('');
          shown = m.snapshotId;
          const snap = snapshots.find((x) => x.id === m.snapshotId);
          info(
            `Found matching entries in snapshot ${m.snapshotId.slice(0, 8)} from ${snap ? time(snap) : ''}`,
          );
        }
        say(f.long ? longLine(m.path, m.node) : m.path);
      }
      if (json)
        sayJson([...bySnap].map(([snapshot, matches]) => ({ matches, hits: matches.length, snapshot })));
    });
}
