/**
 * Read-side `repo` subcommands: snapshots, ls, find, restore, diff, stats (check: repo-check.ts). They call the
 * backup library's read functions and print text or restic-shaped JSON.
 */
import type { Command } from 'commander';
import { diffTrees } from '../backup/diff.js';
import { formatRFC3339Nano } from '../backup/gojson.js';
import { listSnapshotNodes } from '../backup/ls.js';
import { formatBytes } from '../backup/progress.js';
import type { Repository } from '../backup/repository.js';
import { errorMessage } from '../backup/errors.js';
import { restoreSnapshot } from '../backup/restore.js';
import { RestoreSelector } from '../backup/restore-filter.js';
import { encodeSnapshot } from '../backup/snapshot.js';
import type { StoredSnapshot } from '../backup/snapshot.js';
import { snapshotStats } from '../backup/stats.js';
import { linkTargetBytes } from '../backup/tree.js';
import type { Node } from '../backup/tree.js';
import { CliError } from './io.js';
import {
  collect,
  EXIT,
  filterOf,
  globals,
  info,
  openRepo,
  readLocked,
  say,
  sayJson,
  withFilterOptions,
} from './repo.js';

type FilterFlags = { host: string[]; tag: string[]; path: string[] };
type RestoreFlags = {
  target: string;
  include: string[];
  iinclude: string[];
  exclude: string[];
  iexclude: string[];
  verify?: boolean;
};

/** A snapshot as restic's `--json` shows it. */
export function snapshotJson(s: StoredSnapshot): Record<string, unknown> {
  return {
    ...(JSON.parse(encodeSnapshot(s)) as Record<string, unknown>),
    id: s.id,
    short_id: s.id.slice(0, 8),
  };
}

function permString(mode: number | undefined, type: string): string {
  const m = (mode ?? 0) >>> 0;
  const t =
    type === 'dir'
      ? 'd'
      : type === 'symlink'
        ? 'L'
        : type === 'fifo'
          ? 'p'
          : type === 'socket'
            ? 'S'
            : type === 'dev'
              ? 'D'
              : type === 'chardev'
                ? 'c'
                : '-';
  let s = '';
  for (let i = 8; i >= 0; i--) s += m & (1 << i) ? 'rwx'[(8 - i) % 3] : '-';
  return t + s;
}

/** A node as restic's `ls --json` shows it. */
export function nodeJson(path: string, n: Node): Record<string, unknown> {
  return {
    name: n.name.toString('utf8'),
    type: n.type,
    path,
    uid: n.uid,
    gid: n.gid,
    ...(n.size ? { size: n.size } : {}),
    mode: n.mode ?? 0,
    permissions: permString(n.mode, n.type),
    mtime: formatRFC3339Nano(n.mtime),
    atime: formatRFC3339Nano(n.atime),
    ctime: formatRFC3339Nano(n.ctime),
    struct_type: 'node',
  };
}

/** A node as restic's `ls -l` and `find -l` show it (its formatNode: `%s %5d %5d %6d %s %s` and ` -> target`). */
export function longLine(path: string, n: Node): string {
  const target = n.type === 'symlink' ? ` -> ${linkTargetBytes(n).toString('utf8')}` : '';
  return `${permString(n.mode, n.type)} ${String(n.uid).padStart(5)} ${String(n.gid).padStart(5)} ${String(n.size ?? 0).padStart(6)} ${formatRFC3339Nano(n.mtime).slice(0, 19).replace('T', ' ')} ${path}${target}`;
}

/** The snapshot `ref` names (`latest`: the newest that matches the filter); a clear error when none does. */
export async function resolveSnapshot(
  repo: Repository,
  ref: string,
  f: FilterFlags,
): Promise<StoredSnapshot> {
  try {
    return await repo.findSnapshot(ref, filterOf(f));
  } catch (e) {
    throw new CliError(e instanceof Error ? e.message : String(e), EXIT.error);
  }
}

/** Registers the read commands. */
export function registerReadCommands(repo: Command): void {
  withFilterOptions(
    repo
      .command('ls')
      .description('list files in a snapshot')
      .argument('<snapshot>', 'snapshot id or "latest"')
      .argument('[dirs...]', 'only these folders'),
  )
    .option('-l, --long', 'long listing')
    .option('--recursive', 'with dirs: include everything below them')
    .action(
      async (
        ref: string,
        dirs: string[],
        f: FilterFlags & { long?: boolean; recursive?: boolean },
        cmd: Command,
      ) => {
        const r = await openRepo(cmd);
        const s = await resolveSnapshot(r, ref, f);
        const json = globals(cmd).json;
        if (json) sayJson({ ...snapshotJson(s), struct_type: 'snapshot' });
        else say(`snapshot ${s.id.slice(0, 8)} of [${s.paths.join(' ')}] at ${formatRFC3339Nano(s.time)}:`);
        for await (const e of listSnapshotNodes(r, s.tree, { paths: dirs, recursive: f.recursive })) {
          if (json) sayJson(nodeJson(e.path, e.node));
          else if (f.long) say(longLine(e.path, e.node));
          else say(e.path);
        }
      },
    );

  withFilterOptions(
    repo
      .command('restore')
      .description('restore a snapshot')
      .argument('<snapshot>', 'snapshot id or "latest"'),
  )
    .requiredOption('-t, --target <dir>', 'directory to restore into')
    .option('-i, --include <pattern>', 'restore only what matches a pattern (repeatable)', collect, [])
    .option('--iinclude <pattern>', 'like --include, case-insensitive (repeatable)', collect, [])
    .option('-e, --exclude <pattern>', 'do not restore what matches a pattern (repeatable)', collect, [])
    .option('--iexclude <pattern>', 'like --exclude, case-insensitive (repeatable)', collect, [])
    .option('--verify', 're-read restored files and verify them')
    .action(async (ref: string, f: FilterFlags & RestoreFlags, cmd: Command) => {
      const filters = { include: f.include, iinclude: f.iinclude, exclude: f.exclude, iexclude: f.iexclude };
      try {
        new RestoreSelector(filters); // bad patterns fail before the repository is opened
      } catch (e) {
        throw new CliError(errorMessage(e), EXIT.error);
      }
      const r = await openRepo(cmd);
      const s = await resolveSnapshot(r, ref, f);
      const res = await readLocked(cmd, r, false, () =>
        restoreSnapshot(r, s.tree, { target: f.target, ...filters, verify: f.verify }),
      );
      for (const u of res.unmatchedFilters)
        process.stderr.write(`warning: ${u} matched nothing in snapshot ${s.id.slice(0, 8)}\n`);
      if (globals(cmd).json) {
        sayJson({
          message_type: 'summary',
          snapshot_id: s.id,
          files_restored: res.files,
          dirs_restored: res.dirs,
          links_restored: res.links,
          total_bytes: res.bytes,
          errors: res.errors,
          warnings: res.warnings,
          verify_errors: res.verifyErrors,
          unmatched_filters: res.unmatchedFilters,
        });
      } else {
        info(
          `restored snapshot ${s.id.slice(0, 8)} to ${f.target}: ${res.files} files, ${res.dirs} dirs, ${formatBytes(res.bytes)}`,
        );
        for (const w of res.warnings) process.stderr.write(`warning: ${w.path}: ${w.message}\n`);
        for (const e of [...res.errors, ...res.verifyErrors])
          process.stderr.write(`error: ${e.path}: ${e.message}\n`);
      }
      if (res.errors.length || res.verifyErrors.length) process.exitCode = EXIT.error;
    });

  repo
    .command('diff')
    .description('show differences between two snapshots')
    .argument('<a>', 'first snapshot')
    .argument('<b>', 'second snapshot')
    .action(async (a: string, b: string, _f: unknown, cmd: Command) => {
      const r = await openRepo(cmd);
      const none = { host: [], tag: [], path: [] };
      const sa = await resolveSnapshot(r, a, none);
      const sb = await resolveSnapshot(r, b, none);
      const d = await diffTrees(r, sa.tree, sb.tree);
      if (globals(cmd).json) {
        for (const c of d.changes) sayJson({ message_type: 'change', path: c.path, modifier: c.kind });
        sayJson({
          message_type: 'statistics',
          source_snapshot: sa.id,
          target_snapshot: sb.id,
          changed_files: d.changedFiles,
          added: d.added,
          removed: d.removed,
        });
        return;
      }
      say(`comparing snapshot ${sa.id.slice(0, 8)} to ${sb.id.slice(0, 8)}:\n`);
      for (const c of d.changes) say(`${c.kind.padEnd(5)}${c.path}`);
      say(`\nFiles:   ${d.added.files} new, ${d.removed.files} removed, ${d.changedFiles} changed`);
      say(`Added:   ${formatBytes(d.added.bytes)}\nRemoved: ${formatBytes(d.removed.bytes)}`);
    });

  withFilterOptions(
    repo
      .command('stats')
      .description('repository statistics')
      .argument('[snapshots...]', 'snapshot ids (default: all)'),
  )
    .option('--mode <mode>', 'restore-size | raw-data', 'restore-size')
    .action(async (ids: string[], f: FilterFlags & { mode: string }, cmd: Command) => {
      if (f.mode !== 'restore-size' && f.mode !== 'raw-data')
        throw new CliError('--mode must be restore-size or raw-data', EXIT.error);
      const r = await openRepo(cmd);
      const snaps = ids.length
        ? await Promise.all(ids.map((i) => resolveSnapshot(r, i, f)))
        : await r.listSnapshots(filterOf(f));
      const st = await snapshotStats(r, snaps, f.mode);
      if (globals(cmd).json) {
        return sayJson({
          total_size: st.totalSize,
          total_file_count: st.totalFileCount,
          ...(f.mode === 'raw-data'
            ? { total_uncompressed_size: st.totalUncompressedSize, total_blob_count: st.totalBlobCount }
            : {}),
          snapshots_count: st.snapshots,
        });
      }
      say(`Stats in ${f.mode} mode:\n     Snapshots processed:  ${st.snapshots}`);
      if (st.totalBlobCount) say(`        Total Blob Count:  ${st.totalBlobCount}`);
      if (st.totalFileCount) say(`        Total File Count:  ${st.totalFileCount}`);
      say(`              Total Size:  ${formatBytes(st.totalSize)}`);
    });
}
