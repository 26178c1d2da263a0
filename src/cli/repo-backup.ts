/**
 * `steward repo backup`: restic's flags, progress (terminal line or `--json` status/summary lines),
 * and exit code 3 when the snapshot was saved but some items could not be read.
 */
import type { Command } from 'commander';
import { backup, findParent, normaliseTargets } from '../backup/archiver.js';
import type { ExcludeOptions } from '../backup/excludes.js';
import { readPatternFile } from '../backup/excludes.js';
import type { CompressionMode } from '../backup/packer.js';
import { formatBytes, jsonProgress, summaryMessage, terminalProgress } from '../backup/progress.js';
import { lstat, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { CliError } from './io.js';
import { checkStdinUse, runStdinBackup } from './repo-backup-stdin.js';
import { parseSize } from './repo-maint.js';
import { collect, EXIT, globals, info, locked, openRepo, sayJson, verbose, verbosityOf } from './repo.js';

interface BackupFlags {
  tag: string[];
  host?: string;
  exclude: string[];
  excludeFile: string[];
  iexclude: string[];
  iexcludeFile: string[];
  excludeCaches?: boolean;
  excludeIfPresent: string[];
  oneFileSystem?: boolean;
  parent?: string;
  force?: boolean;
  compression: string;
  packSize?: string;
  time?: string;
  workers?: boolean;
  dryRun?: boolean;
  filesFrom: string[];
  filesFromVerbatim: string[];
  filesFromRaw: string[];
  stdin?: boolean;
  stdinFilename: string;
  ignoreInode?: boolean;
  ignoreCtime?: boolean;
  excludeLargerThan?: string;
}

/**
 * Reads backup targets from files, as restic's `--files-from` (one per line; blank lines and lines
 * starting with `#` skipped; surrounding spaces trimmed), `--files-from-verbatim` (one per line, taken
 * as they are) and `--files-from-raw` (NUL-separated, e.g. `find -print0`). `-` reads standard input.
 */
export async function readTargetFiles(
  flags: Pick<BackupFlags, 'filesFrom' | 'filesFromVerbatim' | 'filesFromRaw'>,
): Promise<string[]> {
  const read = async (file: string): Promise<string> => {
    try {
      if (file !== '-') return await readFile(file, 'utf8');
      const parts: Buffer[] = [];
      for await (const c of process.stdin) parts.push(c as Buffer);
      return Buffer.concat(parts).toString('utf8');
    } catch (e) {
      throw new CliError(`cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`, EXIT.error);
    }
  };
  const out: string[] = [];
  for (const f of flags.filesFrom) {
    for (const line of (await read(f)).split(/\r?\n/)) {
      const t = line.trim();
      if (t !== '' && !t.startsWith('#')) out.push(t);
    }
  }
  for (const f of flags.filesFromVerbatim) out.push(...(await read(f)).split('\n').filter((l) => l !== ''));
  for (const f of flags.filesFromRaw) out.push(...(await read(f)).split('\0').filter((l) => l !== ''));
  return out;
}

/** Parses `--pack-size` (MiB, 4..128 like restic). */
export function parsePackSize(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 4 || n > 128)
    throw new CliError('--pack-size must be a whole number of MiB between 4 and 128', EXIT.error);
  return n * 1024 * 1024;
}

/** Parses `--compression`. */
export function parseCompression(v: string): CompressionMode {
  if (v === 'auto' || v === 'off' || v === 'max') return v;
  throw new CliError('--compression must be auto, off or max', EXIT.error);
}

function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

// --time as restic takes it ("2024-01-02 03:04:05" or ISO 8601).
function timeOf(v: string | undefined): Date | undefined {
  if (v === undefined) return undefined;
  const time = new Date(v.includes('T') ? v : v.replace(' ', 'T'));
  if (Number.isNaN(time.getTime())) throw new CliError(`invalid --time ${v}`, EXIT.error);
  return time;
}

// --tag: each flag a comma-separated list.
function tagsOf(flags: string[]): string[] {
  return flags.flatMap((t) => t.split(',')).filter((t) => t !== '');
}

// The --stdin variant (repo-backup-stdin.ts), with the flags it shares with a file backup checked here.
async function backupFromStdin(cmd: Command, args: string[], flags: BackupFlags): Promise<void> {
  const from = flags.filesFrom.length + flags.filesFromVerbatim.length + flags.filesFromRaw.length;
  checkStdinUse(args, from, globals(cmd));
  await runStdinBackup(cmd, {
    stdinFilename: flags.stdinFilename,
    tags: tagsOf(flags.tag),
    host: flags.host ?? hostname(),
    parent: flags.parent,
    force: flags.force,
    time: timeOf(flags.time),
    compression: parseCompression(flags.compression),
    packSize: parsePackSize(flags.packSize),
    dryRun: flags.dryRun,
  });
}

/** Registers `backup`. */
export function registerBackupCommand(repo: Command): void {
  repo
    .command('backup')
    .description('create a snapshot of files and directories')
    .argument('[paths...]', 'files and directories to back up')
    .option(
      '--files-from <file>',
      'read the targets from a file, one per line, # comments (repeatable)',
      collect,
      [],
    )
    .option(
      '--files-from-verbatim <file>',
      'read the targets from a file, one per line, as they are (repeatable)',
      collect,
      [],
    )
    .option('--files-from-raw <file>', 'read NUL-separated targets from a file (repeatable)', collect, [])
    .option('-n, --dry-run', 'do not write anything; report what would be added')
    .option('--tag <tags>', 'add tags (comma-separated; repeatable)', collect, [])
    .option('-H, --host <hostname>', 'hostname to record (default: this machine)')
    .option('--stdin', 'read the backup from standard input (e.g. a database dump)')
    .option('--stdin-filename <name>', 'file name to store standard input under', 'stdin')
    .option('-e, --exclude <pattern>', 'exclude a pattern (repeatable)', collect, [])
    .option('--exclude-file <file>', 'read exclude patterns from a file (repeatable)', collect, [])
    .option('--iexclude <pattern>', 'like --exclude, case-insensitive (repeatable)', collect, [])
    .option('--iexclude-file <file>', 'like --exclude-file, case-insensitive (repeatable)', collect, [])
    .option('--exclude-caches', 'exclude directories holding a CACHEDIR.TAG')
    .option(
      '--exclude-if-present <name[:header]>',
      'exclude directories holding this file (repeatable)',
      collect,
      [],
    )
    .option('--exclude-larger-than <size>', 'leave out files larger than this (suffixes k, m, g, t)')
    .option('-x, --one-file-system', 'do not cross file system boundaries')
    .option('--parent <snapshot>', 'parent snapshot (default: latest of the same host and paths)')
    .option('-f, --force', 'read every file (ignore the parent snapshot)')
    .option('--ignore-inode', 'a changed inode number (or ctime) alone does not make a file changed')
    .option('--ignore-ctime', 'a changed ctime alone does not make a file changed')
    .option('--compression <mode>', 'auto | off | max', 'auto')
    .option('--pack-size <MiB>', 'target pack size in MiB (4..128, default 16)')
    .option('--time <time>', 'snapshot time (default now), e.g. "2024-01-02 03:04:05"')
    .option('--workers', 'chunk, hash and encrypt on worker threads (default when there are 2+ cores)')
    .option('--no-workers', 'do all work on one thread')
    .action(async (args: string[], flags: BackupFlags, cmd: Command) => {
      const g = globals(cmd);
      if (flags.stdin) return backupFromStdin(cmd, args, flags);
      const paths = [...args, ...(await readTargetFiles(flags))];
      if (paths.length === 0)
        throw new CliError('nothing to back up: give paths or --files-from', EXIT.error);
      const json = g.json ?? false;
      verbose('open repository');
      const repoObj = await openRepo(cmd);
      verbose('lock repository');
      const exclude: ExcludeOptions = {
        excludes: [...flags.exclude],
        iexcludes: [...flags.iexclude],
        excludeCaches: flags.excludeCaches,
        excludeIfPresent: flags.excludeIfPresent,
        oneFileSystem: flags.oneFileSystem,
      };
      for (const f of flags.excludeFile) exclude.excludes!.push(...(await readPatternFile(f, process.env)));
      for (const f of flags.iexcludeFile) exclude.iexcludes!.push(...(await readPatternFile(f, process.env)));
      const host = flags.host ?? hostname();
      const time = timeOf(flags.time);
      const excludeLargerThan =
        flags.excludeLargerThan === undefined
          ? undefined
          : parseSize(flags.excludeLargerThan, 'exclude-larger-than');
      const tags = tagsOf(flags.tag);
      const level = verbosityOf(g);
      const quiet = level === 0;
      // Per item, as restic 0.14: `verbose_status` messages from -v with --json, text lines from -vv.
      const progress = json
        ? jsonProgress((l) => process.stdout.write(l), level >= 2)
        : quiet
          ? undefined
          : terminalProgress(
              (s) => process.stdout.write(s),
              (s) => process.stderr.write(s),
              process.stdout.isTTY === true,
              level >= 3,
            );
      const result = await locked(repoObj, false, async (lock) => {
        const present = await Promise.all(
          normaliseTargets(paths).map((p) =>
            lstat(p).then(
              () => true,
              () => false,
            ),
          ),
        );
        if (!present.some((x) => x))
          throw new CliError('all target directories/files do not exist', EXIT.error);
        let parent = null;
        if (flags.parent) parent = await repoObj.findSnapshot(flags.parent);
        else if (!flags.force) parent = await findParent(repoObj, host, normaliseTargets(paths));
        if (parent && !json) info(`using parent snapshot ${parent.id.slice(0, 8)}`);
        else if (!json) info('no parent snapshot found, will read all files');
        if (!json) {
          verbose('load index files');
          verbose(`start scan on [${paths.join(' ')}]`);
          verbose(`start backup on [${paths.join(' ')}]`);
        }
        return backup(repoObj, {
          targets: paths,
          tags,
          hostname: host,
          parent,
          // As restic 0.14: --ignore-inode implies --ignore-ctime (neither is reliable on FUSE).
          excludeLargerThan,
          changeIgnore: { inode: flags.ignoreInode, ctime: flags.ignoreCtime || flags.ignoreInode },
          exclude,
          compression: parseCompression(flags.compression),
          packSize: parsePackSize(flags.packSize),
          progress,
          scan: json || (!quiet && process.stdout.isTTY === true),
          time,
          workers: flags.workers,
          dryRun: flags.dryRun,
          lock,
        });
      });
      const s = result.summary;
      if (json)
        sayJson(
          summaryMessage(s, {
            durationMs: result.durationMs,
            snapshotId: result.snapshotId,
            dryRun: flags.dryRun,
          }),
        );
      else {
        if (process.stdout.isTTY) process.stdout.write('\r\x1b[2K');
        info('');
        info(
          `Files:       ${String(s.files_new).padStart(5)} new, ${String(s.files_changed).padStart(5)} changed, ${String(s.files_unmodified).padStart(5)} unmodified`,
        );
        info(
          `Dirs:        ${String(s.dirs_new).padStart(5)} new, ${String(s.dirs_changed).padStart(5)} changed, ${String(s.dirs_unmodified).padStart(5)} unmodified`,
        );
        verbose(`Data Blobs:  ${String(s.data_blobs).padStart(5)} new`);
        verbose(`Tree Blobs:  ${String(s.tree_blobs).padStart(5)} new`);
        info(
          `${flags.dryRun ? 'Would add' : 'Added'} to the repository: ${formatBytes(s.data_added).padEnd(5)} (${formatBytes(s.data_added_packed).padEnd(5)} stored)`,
        );
        info('');
        info(
          `processed ${s.total_files_processed} files, ${formatBytes(s.total_bytes_processed)} in ${clock(result.durationMs)}`,
        );
        if (!flags.dryRun) info(`snapshot ${result.snapshotId.slice(0, 8)} saved`);
      }
      if (result.warnings.length > 0) {
        process.stderr.write(
          `Warning: at least one source file could not be read (${result.warnings.length} problems)\n`,
        );
        process.exitCode = EXIT.partial;
      }
    });
}
