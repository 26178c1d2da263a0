import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** Thrown when another live process holds the embedded database. */
export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError';
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(
      `the embedded database in ${dir} is in use by Steward process ${pid}; ` +
        'stop it first, or run this against the running server (its API), or use DATABASE_URL=postgres://…',
    );
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A process's start time in clock ticks since boot (/proc/<pid>/stat, field 22), or undefined without /proc. */
export function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** The program a process runs (/proc/<pid>/cmdline, first word), or undefined without /proc. */
function programOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0];
  } catch {
    return undefined;
  }
}

/**
 * Whether the lock's holder still holds it: a live process on this host that is the one that wrote the lock.
 * A pid is reused (after a container restart the lock's pid often belongs to something else), so where /proc
 * exists the holder must have the start time recorded in the lock, or, for a lock written without one, run
 * Node (Steward) at all.
 */
function holds(holder: { pid?: number; host?: string; started?: string }): boolean {
  const pid = holder.pid ?? 0;
  if (pid <= 0 || holder.host !== hostname() || pid === process.pid || !alive(pid)) return false;
  const started = startTimeOf(pid);
  if (started === undefined) return true;
  if (holder.started !== undefined) return holder.started === started;
  return /(^|\/)node[^/]*$/.test(programOf(pid) ?? '');
}

/**
 * Takes the exclusive lock on a PGlite data folder: two processes opening the same folder corrupt it.
 * A lock whose holder is gone (dead, or its pid now another program's) is taken over. Returns the release function.
 */
export function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'steward.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      const started = startTimeOf(process.pid);
      writeSync(
        fd,
        JSON.stringify({ pid: process.pid, host: hostname(), started, at: new Date().toISOString() }),
      );
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let holder: { pid?: number; host?: string; started?: string } = {};
      try {
        holder = JSON.parse(readFileSync(path, 'utf8')) as typeof holder;
      } catch {
        // unreadable or half-written lock: treat as stale
      }
      if (holds(holder)) throw new DataDirLockedError(dir, holder.pid ?? 0);
      rmSync(path, { force: true });
    }
  }
  throw new Error(`could not lock ${dir}`);
}
