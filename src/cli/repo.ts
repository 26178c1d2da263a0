/**
 * `steward repo ...`: restic-compatible repository commands (init, backup, snapshots, ls, find,
 * restore, check, forget, prune, key, diff, stats, unlock, repair index|snapshots,
 * tag, list, cat, version). Flag names and exit codes follow restic:
 * 0 ok, 1 error, 3 backup finished but some files could not be read, 10 repository missing,
 * 11 lock conflict, 12 wrong password. Every command takes `--json`.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { BackendNotFoundError } from '../backup/backend/backend.js';
import type { Backend } from '../backup/backend/backend.js';
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
import { registerInspectCommands } from './repo-inspect.js';
import { registerMaintenanceCommands } from './repo-maint.js';
import { registerReadCommands } from './repo-read.js';
import { registerRepairCommands } from './repo-repair.js';
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
}

/** The inherited options of a subcommand. */
export function globals(cmd: Command): GlobalRepoOptions {
  return cmd.optsWithGlobals<GlobalRepoOptions>();
}

/** The repository location from -r/--repo or RESTIC_REPOSITORY. */
export function locationOf(g: GlobalRepoOptions): string {
  const file = g.repositoryFile ?? process.env.RESTIC_REPOSITORY_FILE;
  if (g.repo === undefined && file) return firstLine(readOrFail(file, 'repository file'));
  const loc = g.repo ?? process.env.RESTIC_REPOSITORY;
  if (!loc)
    throw new CliError('Please specify repository location (-r/--repo or RESTIC_REPOSITORY)', EXIT.error);
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
export async function passwordOf(g: GlobalRepoOptions, confirm = false): Promise<string> {
  const command = g.passwordCommand ?? process.env.RESTIC_PASSWORD_COMMAND;
  if (g.passwordCommand && g.passwordFile)
    throw new CliError('Password file and command are mutually exclusive', EXIT.error);
  if (command) return firstLine(runPasswordCommand(command));
  const file = g.passwordFile ?? process.env.RESTIC_PASSWORD_FILE;
  if (file) {
    const pw = firstLine(readOrFail(file, 'password file'));
    if (pw === '') throw new CliError(`an empty password is not a password (${file} is empty)`, EXIT.error);
    return pw;
  }
  const env = process.env.RESTIC_PASSWORD;
  if (env !== undefined && env !== '') return env;
  const pw = await readSecret('enter password for repository', confirm);
  if (pw === '') throw new CliError('an empty password is not a password', EXIT.error);
  return pw;
}

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
        await fn.apply(this, args);
      } finally {
        const backends = openedBy.get(this) ?? [];
        openedBy.delete(this);
        // A failure to say goodbye to the server changes nothing about the command's outcome.
        await Promise.all(backends.map((b) => b.close().catch(() => undefined)));
      }
    });
  }
}

/** Opens the backend of the command's location; it is closed when the command ends. */
export async function backendOf(cmd: Command): Promise<Backend> {
  let backend: Backend;
  try {
    backend = await openBackend(locationOf(globals(cmd)), process.env);
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(e instanceof Error ? e.message : String(e), EXIT.error);
  }
  openedBy.set(cmd, [...(openedBy.get(cmd) ?? []), backend]);
  return backend;
}

/** Opens the repository with restic's exit codes for "missing" (10) and "wrong password" (12). */
export async function openRepo(cmd: Command, opts: { noIndex?: boolean } = {}): Promise<Repository> {
  const g = globals(cmd);
  const backend = await backendOf(cmd);
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
  const password = await passwordOf(g);
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
      '--password-file <file>',
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
    .option('--json', 'JSON output (restic-style messages)');
  registerMaintenanceCommands(repo);
  registerBackupCommand(repo);
  registerReadCommands(repo);
  registerCheckCommand(repo);
  registerRepairCommands(repo);
  registerTagCommand(repo);
  registerInspectCommands(repo);
  for (const c of repo.commands) {
    c.exitOverride();
    for (const s of c.commands) s.exitOverride();
  }
}
