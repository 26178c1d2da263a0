/**
 * `steward repo ...`: restic-compatible repository commands (init, backup, snapshots, ls, find,
 * restore, check, forget, prune, key, diff, stats, unlock, repair index|snapshots,
 * tag, list, cat, version, dump, copy). Flag names and exit codes follow restic:
 * 0 ok, 1 error, 3 backup finished but some files could not be read, 10 repository missing,
 * 11 lock conflict, 12 wrong password. Every command takes `--json`.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { BackendNotFoundError } from '../backup/backend/backend.js';
import type { Backend } from '../backup/backend/backend.js';
import { cachedBackend, defaultCacheDir } from '../backup/backend/cache.js';
import type { CacheStats } from '../backup/backend/cache.js';
import { limitBackend } from '../backup/backend/limit.js';
import { openBackend } from '../backup/backend/location.js';
import { WrongPasswordError } from '../backup/errors.js';
import { UnusableKeysError } from '../backup/keys.js';
import { LockConflictError, withLock } from '../backup/lock.js';
import type { Lock } from '../backup/lock.js';
import { lockTarget } from '../backup/repo-adapters.js';
import { Repository } from '../backup/repository.js';
import type { SnapshotFilter } from '../backup/repository.js';
import { CliError, readSecret } from './io.js';
import { registerBackupCommand } from './repo-backup.js';
import { registerCheckCommand } from './repo-check.js';
import { registerCopyCommand } from './repo-copy.js';
import { registerDumpCommand } from './repo-dump.js';
import { registerFindCommand } from './repo-find.js';
import { registerInspectCommands } from './repo-inspect.js';
import { registerMaintenanceCommands } from './repo-maint.js';
import { registerReadCommands } from './repo-read.js';
import { backendOptionsOf, bandwidthOf, checkGlobalOptions } from './repo-options.js';
import { registerRepairCommands } from './repo-repair.js';
import { registerSnapshotsCommand } from './repo-snapshots.js';
import { registerTagCommand } from './repo-tag.js';
import { cleanupOnSignal } from './signals.js';

/** restic's exit codes. */
export const EXIT = { ok: 0, error: 1, partial: 3, noRepo: 10, locked: 11, wrongPassword: 12 } as const;

/** Options every `repo` subcommand inherits. */
export interface GlobalRepoOptions {
  repo?: string;
  passwordFile?: string;
  passwordCommand?: string;
  repositoryFile?: string;
  keyHint?: string;
  json?: boolean;
  /** -q: 0; default 1; each -v adds one (restic's levels, at most 3). */
  verbose?: number;
  quiet?: boolean;
  /** false with --no-lock. */
  lock?: boolean;
  cacert?: string[];
  option?: string[];
  cacheDir?: string;
  /** false with --no-cache. */
  cache?: boolean;
  /** KiB/s, as restic's --limit-upload / --limit-download. */
  limitUpload?: string;
  limitDownload?: string;
}

/** The output level of the running command: 0 quiet, 1 normal, 2 -v, 3 -vv. */
let verbosity = 1;

/** The output level of the running command (restic's: 0 with -q, 1 by default, 2 with -v, 3 with -vv). */
export function verbosityOf(g: GlobalRepoOptions): number {
  if (g.quiet) return 0;
  return Math.min(3, 1 + (g.verbose ?? 0));
}

/** Prints a line unless -q (restic's Verbosef): progress notes and summaries, not the results asked for. */
export function info(line: string): void {
  if (verbosity >= 1) say(line);
}

/** Prints a line with -v (level 2) and above. */
export function verbose(line: string, level = 2): void {
  if (verbosity >= level) say(line);
}

/** The inherited options of a subcommand. */
export function globals(cmd: Command): GlobalRepoOptions {
  return cmd.optsWithGlobals<GlobalRepoOptions>();
}

/**
 * The repository location from -r/--repo, --repository-file, RESTIC_REPOSITORY_FILE or RESTIC_REPOSITORY
 * (`copy`'s source: `env` RESTIC_FROM_ and the --from-* flags).
 */
export function locationOf(g: GlobalRepoOptions, env = 'RESTIC_'): string {
  const file = g.repositoryFile ?? process.env[`${env}REPOSITORY_FILE`];
  if (g.repo === undefined && file) return firstLine(readOrFail(file, 'repository file'));
  const loc = g.repo ?? process.env[`${env}REPOSITORY`];
  if (!loc) {
    const flag = env === 'RESTIC_' ? '-r/--repo' : '--from-repo';
    throw new CliError(`Please specify repository location (${flag} or ${env}REPOSITORY)`, EXIT.error);
  }
  return loc;
}

function firstLine(text: string): string {
  return text.replace(/\r?\n$/, '').split(/\r?\n/)[0] ?? '';
}

function readOrFail(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(
      `cannot read ${what} ${file}: ${e instanceof Error ? e.message : String(e)}`,
      EXIT.error,
    );
  }
}

// --password-command: run through the shell as restic does; its standard output is the password.
function runPasswordCommand(command: string): string {
  const r = spawnSync('/bin/sh', ['-c', command], {
    encoding: 'utf8',
    stdio: ['inherit', 'pipe', 'inherit'],
  });
  if (r.status !== 0)
    throw new CliError(`password command ${JSON.stringify(command)} failed (exit ${r.status})`, EXIT.error);
  return r.stdout;
}

/** The password: --password-command, --password-file, RESTIC_PASSWORD_FILE, RESTIC_PASSWORD, else a prompt (stdin when not a TTY). */
export async function passwordOf(g: GlobalRepoOptions, confirm = false, env = 'RESTIC_'): Promise<string> {
  const command = g.passwordCommand ?? process.env[`${env}PASSWORD_COMMAND`];
  if (g.passwordCommand && g.passwordFile)
    throw new CliError('Password file and command are mutually exclusive', EXIT.error);
  if (command) return firstLine(runPasswordCommand(command));
  const file = g.passwordFile ?? process.env[`${env}PASSWORD_FILE`];
  if (file) {
    const pw = firstLine(readOrFail(file, 'password file'));
    if (pw === '') throw new CliError(`an empty password is not a password (${file} is empty)`, EXIT.error);
    return pw;
  }
  const given = process.env[`${env}PASSWORD`];
  if (given !== undefined && given !== '') return given;
  const pw = await readSecret(`enter password for ${env === 'RESTIC_' ? '' : 'source '}repository`, confirm);
  if (pw === '') throw new CliError('an empty password is not a password', EXIT.error);
  return pw;
}

/** What the local cache did in this process (hits, misses, damaged entries dropped). */
export const cacheStats: CacheStats = { hits: 0, misses: 0, damaged: 0 };

/** The backends each running command has opened; {@link RepoCommand} closes them when the command ends. */
const openedBy = new WeakMap<Command, Backend[]>();

/**
 * A `repo` subcommand whose action, however it ends (success, error), closes every backend it opened through
 * {@link backendOf}: an SFTP connection left open would keep the process alive after the work is done. Commands
 * registered on `repo` (and their subcommands) are created as this class by commander's `createCommand`.
 */
class RepoCommand extends Command {
  override createCommand(name?: string): Command {
    return new RepoCommand(name);
  }

  override action(fn: Parameters<Command['action']>[0]): this {
    return super.action(async (...args: unknown[]) => {
      try {
        const g = globals(this);
        verbosity = verbosityOf(g);
        checkGlobalOptions(g);
        await fn.apply(this, args);
      } finally {
        const backends = openedBy.get(this) ?? [];
        openedBy.delete(this);
        // A failure to say goodbye to the server changes nothing about the command's outcome.
        await Promise.all(backends.map((b) => b.close().catch(() => undefined)));
        verbosity = 1;
      }
    });
  }

  // restic's `--verbose=N` is N times `-v` (commander's -v takes no value, so `-v backup` stays a command).
  override parseOptions(argv: string[]): ReturnType<Command['parseOptions']> {
    const end = argv.indexOf('--');
    const head = end < 0 ? argv : argv.slice(0, end);
    const tail = end < 0 ? [] : argv.slice(end);
    const out = head.flatMap((a) => {
      const m = /^--verbose=(\d+)$/.exec(a);
      if (!m) return [a];
      const n = Number(m[1]);
      if (n > 3) throw new CliError('--verbose: the highest level is 3', EXIT.error);
      return Array.from({ length: n }, () => '-v');
    });
    return super.parseOptions([...out, ...tail]);
  }
}

/** Where a command opens a repository: its own (-r) or `copy`'s source (the --from-* flags, RESTIC_FROM_*). */
export interface RepoSource {
  options: GlobalRepoOptions;
  /** Environment prefix: RESTIC_ or RESTIC_FROM_. */
  env: string;
}

/**
 * Opens the backend of the command's location (or `source`'s); it is closed when the command ends. `noCache`
 * bypasses the local cache (check and repair read the repository itself, as restic's check does).
 */
export async function backendOf(cmd: Command, source?: RepoSource, noCache = false): Promise<Backend> {
  let backend: Backend;
  try {
    const g = source ? { ...globals(cmd), ...source.options } : globals(cmd);
    const location = locationOf(g, source?.env);
    backend = limitBackend(
      await openBackend(location, process.env, backendOptionsOf(g, location)),
      bandwidthOf(g),
    );
    // restic's local cache of snapshot and index files (--cache-dir, default ~/.cache/steward; --no-cache).
    if (g.cache !== false && !noCache)
      backend = cachedBackend(backend, g.cacheDir ?? defaultCacheDir(), cacheStats);
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(e instanceof Error ? e.message : String(e), EXIT.error);
  }
  openedBy.set(cmd, [...(openedBy.get(cmd) ?? []), backend]);
  return backend;
}

/** Opens the repository with restic's exit codes for "missing" (10) and "wrong password" (12). */
export async function openRepo(
  cmd: Command,
  opts: { noIndex?: boolean; source?: RepoSource; noCache?: boolean } = {},
): Promise<Repository> {
  const g = opts.source ? { ...globals(cmd), ...opts.source.options } : globals(cmd);
  const backend = await backendOf(cmd, opts.source, opts.noCache);
  let exists: boolean;
  try {
    exists = await backend.exists({ type: 'config', name: '' });
  } catch (e) {
    throw new CliError(
      `cannot access repository at ${backend.location}: ${e instanceof Error ? e.message : String(e)}`,
      EXIT.error,
    );
  }
  if (!exists)
    throw new CliError(
      `repository does not exist: unable to open config file at ${backend.location}\nIs there a repository at the following location?`,
      EXIT.noRepo,
    );
  const password = await passwordOf(g, false, opts.source?.env);
  try {
    const repo = await Repository.open(backend, password, { keyHint: g.keyHint, noIndex: opts.noIndex });
    repo.onWarning = (m) => process.stderr.write(`Warning: ${m}\n`);
    return repo;
  } catch (e) {
    if (e instanceof UnusableKeysError) throw new CliError(e.message, EXIT.error);
    if (e instanceof WrongPasswordError) throw new CliError(e.message, EXIT.wrongPassword);
    if (e instanceof BackendNotFoundError) throw new CliError(e.message, EXIT.noRepo);
    throw e;
  }
}

/**
 * Runs `fn` under a repository lock; a conflict becomes exit code 11 naming the holder. SIGINT and
 * SIGTERM meanwhile remove the lock before the process ends.
 */
export async function locked<T>(
  repo: Repository,
  exclusive: boolean,
  fn: (lock: Lock) => Promise<T>,
): Promise<T> {
  const uninstall = cleanupOnSignal();
  try {
    return await withLock(lockTarget(repo), exclusive, fn);
  } catch (e) {
    if (e instanceof LockConflictError)
      throw new CliError(`unable to create lock in backend: ${e.message}`, EXIT.locked);
    throw e;
  } finally {
    uninstall();
  }
}

/**
 * A lock for a command that only reads (restic's snapshots, ls, find, restore, dump, check, …): skipped with
 * --no-lock, so read-only repositories can be read.
 */
export async function readLocked<T>(
  cmd: Command,
  repo: Repository,
  exclusive: boolean,
  fn: () => Promise<T>,
): Promise<T> {
  if (globals(cmd).lock === false) return fn();
  return locked(repo, exclusive, fn);
}

/** Collects a repeatable option. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** restic's --host/--tag/--path selection. Tags: each flag is a comma-separated group. */
export function filterOf(o: { host?: string[]; tag?: string[]; path?: string[] }): SnapshotFilter {
  const f: SnapshotFilter = {};
  if (o.host?.length) f.hosts = o.host;
  if (o.path?.length) f.paths = o.path;
  if (o.tag?.length) f.tags = o.tag.map((t) => t.split(',').filter((x) => x !== ''));
  return f;
}

/** Adds --host/--tag/--path to a command. */
export function withFilterOptions(cmd: Command): Command {
  return cmd
    .option('--host <host>', 'only snapshots of this host (repeatable)', collect, [])
    .option(
      '--tag <tags>',
      'only snapshots with these tags (comma-separated; repeatable = any of)',
      collect,
      [],
    )
    .option('--path <path>', 'only snapshots that include this path (repeatable)', collect, []);
}

/** Writes a line to stdout. */
export function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Writes one compact JSON document per line (restic's --json style). */
export function sayJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** Registers `repo` and its subcommands on the program. */
export function registerRepoCommands(program: Command): void {
  const repo = new RepoCommand('repo');
  program.addCommand(repo);
  repo
    .description(
      'restic-compatible backup repositories (restic can read what Steward writes, and the other way round)',
    )
    .option(
      '-r, --repo <location>',
      'repository location (default: $RESTIC_REPOSITORY): /path, sftp:..., rest:..., s3:...',
    )
    .option(
      '-p, --password-file <file>',
      'read the password from a file (default: $RESTIC_PASSWORD_FILE, $RESTIC_PASSWORD)',
    )
    .option(
      '--password-command <command>',
      'run a shell command to get the password (default: $RESTIC_PASSWORD_COMMAND)',
    )
    .option(
      '--repository-file <file>',
      'read the repository location from a file (default: $RESTIC_REPOSITORY_FILE)',
    )
    .option('--key-hint <id>', 'key id to try first')
    .option('--json', 'JSON output (restic-style messages)')
    .option('-q, --quiet', 'print only results and errors, no progress or summaries')
    .option(
      '-v, --verbose',
      'more output (repeat, or --verbose=N, up to 3)',
      (_v: string, n: number) => n + 1,
      0,
    )
    .option('--no-lock', 'do not lock the repository for reading (read-only repositories)')
    .option('--cacert <file>', 'trust these root certificates for https (repeatable)', collect, [])
    .option('-o, --option <key=value>', 'extended option, e.g. s3.region=eu-west-1 (repeatable)', collect, [])
    .option(
      '--cache-dir <dir>',
      'keep snapshot and index files in this folder (default: $XDG_CACHE_HOME/steward or ~/.cache/steward)',
    )
    .option('--no-cache', 'keep no local cache: read everything from the repository')
    .option('--limit-upload <KiB/s>', 'limit uploads to this many KiB/s (default: unlimited)')
    .option('--limit-download <KiB/s>', 'limit downloads to this many KiB/s (default: unlimited)');
  registerMaintenanceCommands(repo);
  registerBackupCommand(repo);
  registerSnapshotsCommand(repo);
  registerReadCommands(repo);
  registerFindCommand(repo);
  registerCheckCommand(repo);
  registerRepairCommands(repo);
  registerTagCommand(repo);
  registerInspectCommands(repo);
  registerDumpCommand(repo);
  registerCopyCommand(repo);
  for (const c of repo.commands) {
    c.exitOverride();
    for (const s of c.commands) s.exitOverride();
  }
}
