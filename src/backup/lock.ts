/**
 * Repository locks, interoperable with restic's (fact sheet §10): a lock is an encrypted JSON file in
 * `locks/`. Creating one writes it, waits ~200 ms, then re-lists, so two writers racing each see the
 * other; an exclusive lock excludes every other lock, shared locks coexist. A lock is stale when
 * older than 30 minutes or when it is on this host and its PID is dead. A holder refreshes every
 * 5 minutes by writing a new lock and then deleting the old one (so the lock id changes).
 */
import { hostname as osHostname, userInfo } from 'node:os';
import type { Backend } from './backend/backend.js';
import { BackendNotFoundError } from './backend/backend.js';

/** The JSON stored in a lock file (Go field order). */
export interface LockInfo {
  time: string;
  exclusive: boolean;
  hostname: string;
  username: string;
  pid: number;
  uid?: number;
  gid?: number;
}

/** What lock handling needs from an open repository. */
export interface LockRepo {
  readonly backend: Backend;
  /** Encrypts (and, for v2, compresses) JSON bytes and stores them as a `lock` file; returns the id. */
  saveLockFile(json: string): Promise<string>;
  /** Loads and decrypts one lock file; returns its JSON text. */
  loadLockFile(id: string): Promise<string>;
}

/** Raised when another process holds a conflicting lock. */
export class LockConflictError extends Error {
  override readonly name = 'LockConflictError';
  constructor(
    readonly holder: LockInfo,
    readonly lockId: string,
  ) {
    const who = `PID ${holder.pid} on ${holder.hostname} by ${holder.username}${holder.uid !== undefined ? ` (UID ${holder.uid}, GID ${holder.gid ?? 0})` : ''}`;
    super(
      `repository is already locked ${holder.exclusive ? 'exclusively ' : ''}by ${who}\n` +
        `lock was created at ${holder.time}\nstorage ID ${lockId.slice(0, 8)}\n` +
        'the `unlock` command can be used to remove stale locks',
    );
  }
}

/** Timing knobs; tests shorten them. */
export interface LockTiming {
  /** Pause between writing a lock and re-listing (restic: 200 ms). */
  checkDelayMs: number;
  /** Refresh period (restic: 5 min). */
  refreshMs: number;
  /** Age after which any lock is stale (restic: 30 min). */
  staleMs: number;
}

/** restic's timings. */
export const DEFAULT_LOCK_TIMING: LockTiming = {
  checkDelayMs: 200,
  refreshMs: 5 * 60_000,
  staleMs: 30 * 60_000,
};

/** True when a process with this id runs on this machine. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM means the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when a lock may be ignored and removed by `unlock`. */
export function isStale(
  lock: LockInfo,
  now = Date.now(),
  timing: LockTiming = DEFAULT_LOCK_TIMING,
  host = osHostname(),
): boolean {
  const t = Date.parse(lock.time);
  if (Number.isNaN(t) || now - t > timing.staleMs) return true;
  return lock.hostname === host && !processAlive(lock.pid);
}

function newLockInfo(exclusive: boolean, now: Date): LockInfo {
  const u = userInfo();
  const info: LockInfo = {
    time: formatLockTime(now),
    exclusive,
    hostname: osHostname(),
    username: u.username,
    pid: process.pid,
  };
  if (u.uid >= 0) {
    info.uid = u.uid;
    info.gid = u.gid;
  }
  return info;
}

/** RFC3339 with nanoseconds in UTC (restic parses any RFC3339 offset). */
function formatLockTime(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

function lockJson(l: LockInfo): string {
  // Field order as Go writes the struct; uid/gid are omitempty.
  const o: Record<string, unknown> = {
    time: l.time,
    exclusive: l.exclusive,
    hostname: l.hostname,
    username: l.username,
    pid: l.pid,
  };
  if (l.uid) o.uid = l.uid;
  if (l.gid) o.gid = l.gid;
  return JSON.stringify(o);
}

/** Reads every lock of the repository; unreadable or vanished lock files are skipped (restic ignores them too). */
export async function listLocks(repo: LockRepo): Promise<{ id: string; lock: LockInfo | null }[]> {
  const out: { id: string; lock: LockInfo | null }[] = [];
  for await (const f of repo.backend.list('lock')) {
    try {
      out.push({ id: f.name, lock: JSON.parse(await repo.loadLockFile(f.name)) as LockInfo });
    } catch (e) {
      if (e instanceof BackendNotFoundError) continue;
      out.push({ id: f.name, lock: null });
    }
  }
  return out;
}

async function findConflict(
  repo: LockRepo,
  exclusive: boolean,
  ownId: string | null,
  timing: LockTiming,
): Promise<{ id: string; lock: LockInfo } | null> {
  for (const { id, lock } of await listLocks(repo)) {
    if (id === ownId || lock === null || isStale(lock, Date.now(), timing)) continue;
    if (exclusive || lock.exclusive) return { id, lock };
  }
  return null;
}

/** Every lock this process holds, so a signal handler can remove them before exiting. */
const held = new Set<Lock>();

/**
 * Releases every lock this process holds (errors ignored). For a signal handler that is about to end the
 * process: without it the lock would stay in the repository until it goes stale.
 */
export async function releaseHeldLocks(): Promise<void> {
  await Promise.all([...held].map((l) => l.release().catch(() => undefined)));
}

/** A held lock. Call {@link Lock.release} when done (also on errors). */
export class Lock {
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> = Promise.resolve();
  /** The last refresh failure, if any; the operation should abort when this is set. */
  refreshError: Error | undefined;

  private constructor(
    private readonly repo: LockRepo,
    readonly info: LockInfo,
    public id: string,
    timing: LockTiming,
  ) {
    this.timer = setInterval(() => {
      this.refreshing = this.refresh().catch((e: unknown) => {
        this.refreshError = e instanceof Error ? e : new Error(String(e));
      });
    }, timing.refreshMs);
    this.timer.unref();
  }

  /** Takes a shared or exclusive lock, or throws {@link LockConflictError} naming the holder. */
  static async acquire(
    repo: LockRepo,
    exclusive: boolean,
    timing: LockTiming = DEFAULT_LOCK_TIMING,
  ): Promise<Lock> {
    const before = await findConflict(repo, exclusive, null, timing);
    if (before) throw new LockConflictError(before.lock, before.id);
    const info = newLockInfo(exclusive, new Date());
    const id = await repo.saveLockFile(lockJson(info));
    await new Promise((r) => setTimeout(r, timing.checkDelayMs));
    const after = await findConflict(repo, exclusive, id, timing);
    if (after) {
      await repo.backend.remove({ type: 'lock', name: id }).catch(() => undefined);
      throw new LockConflictError(after.lock, after.id);
    }
    const lock = new Lock(repo, info, id, timing);
    held.add(lock);
    return lock;
  }

  /** Writes a fresh lock file, then removes the old one (restic's refresh order). */
  async refresh(): Promise<void> {
    const info = { ...this.info, time: formatLockTime(new Date()) };
    const newId = await this.repo.saveLockFile(lockJson(info));
    const old = this.id;
    this.id = newId;
    this.info.time = info.time;
    await this.repo.backend.remove({ type: 'lock', name: old }).catch((e: unknown) => {
      if (!(e instanceof BackendNotFoundError)) throw e;
    });
  }

  /** Stops refreshing and deletes the lock file. */
  async release(): Promise<void> {
    held.delete(this);
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.refreshing;
    await this.repo.backend.remove({ type: 'lock', name: this.id }).catch((e: unknown) => {
      if (!(e instanceof BackendNotFoundError)) throw e;
    });
  }
}

/** Runs `fn` under a lock and always releases it. */
export async function withLock<T>(
  repo: LockRepo,
  exclusive: boolean,
  fn: (lock: Lock) => Promise<T>,
  timing?: LockTiming,
): Promise<T> {
  const lock = await Lock.acquire(repo, exclusive, timing);
  let result: T;
  try {
    result = await fn(lock);
  } catch (e) {
    // The operation's own error is what the user must see; a lock that cannot be removed as well (the
    // storage is gone) goes stale and `unlock` removes it.
    await lock.release().catch(() => undefined);
    throw e;
  }
  await lock.release();
  return result;
}

/**
 * `unlock`: removes stale (and unreadable) locks, or every lock with `removeAll`, and the temporary files
 * that killed writers left behind; returns the removed lock ids.
 */
export async function unlockRepository(
  repo: LockRepo,
  removeAll: boolean,
  timing: LockTiming = DEFAULT_LOCK_TIMING,
): Promise<string[]> {
  const removed: string[] = [];
  for (const { id, lock } of await listLocks(repo)) {
    if (removeAll || lock === null || isStale(lock, Date.now(), timing)) {
      await repo.backend.remove({ type: 'lock', name: id }).catch(() => undefined);
      removed.push(id);
    }
  }
  await repo.backend.removeStaleTemp?.().catch(() => 0);
  return removed;
}
