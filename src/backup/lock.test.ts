import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireComponent } from '../../test/support/requires.js';
import { resticAvailable, resticRun } from '../../test/interop/restic-helpers.js';
import { isStale, listLocks, Lock, LockConflictError, unlockRepository } from './lock.js';
import type { LockInfo, LockTiming } from './lock.js';
import { lockTarget } from './repo-adapters.js';
import type { Repository } from './repository.js';
import { makeRepo, TEST_PASSWORD } from './testkit.js';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';

const FAST: LockTiming = { checkDelayMs: 20, refreshMs: 3_600_000, staleMs: 30 * 60_000 };

async function lockIds(repo: Repository): Promise<string[]> {
  return (await listLocks(lockTarget(repo))).map((l) => l.id).sort();
}

describe('locks', () => {
  let repo: Repository;
  beforeAll(async () => {
    repo = await makeRepo();
  });
  afterAll(() => {
    rmSync(dirname((repo.backend as unknown as { root: string }).root), { recursive: true, force: true });
  });

  it('lets shared locks coexist and refuses an exclusive one, naming the holder', async () => {
    const t = lockTarget(repo);
    const a = await Lock.acquire(t, false, FAST);
    const b = await Lock.acquire(t, false, FAST);
    const err = await Lock.acquire(t, true, FAST).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(LockConflictError);
    expect((err as Error).message).toContain(`PID ${process.pid} on ${hostname()}`);
    expect(await lockIds(repo)).toHaveLength(2);
    await a.release();
    await b.release();
    const x = await Lock.acquire(t, true, FAST);
    await expect(Lock.acquire(t, false, FAST)).rejects.toThrow(/locked exclusively/);
    await x.release();
    expect(await lockIds(repo)).toEqual([]);
  });

  it('lets at most one of two racing exclusive lockers win', async () => {
    const t = lockTarget(repo);
    const rs = await Promise.allSettled([Lock.acquire(t, true, FAST), Lock.acquire(t, true, FAST)]);
    expect(rs.filter((r) => r.status === 'fulfilled').length).toBeLessThanOrEqual(1);
    for (const r of rs) if (r.status === 'fulfilled') await r.value.release();
    expect(await lockIds(repo)).toEqual([]);
  });

  it('refreshes by writing a new lock file before removing the old one', async () => {
    const l = await Lock.acquire(lockTarget(repo), false, FAST);
    const before = l.id;
    await l.refresh();
    expect(l.id).not.toBe(before);
    expect(await lockIds(repo)).toEqual([l.id]);
    await l.release();
  });

  it('treats old locks and dead local processes as stale; unlock removes only those', async () => {
    const now = Date.now();
    const base: LockInfo = {
      time: new Date(now).toISOString(),
      exclusive: true,
      hostname: 'elsewhere',
      username: 'u',
      pid: 1,
    };
    expect(isStale(base, now)).toBe(false);
    expect(isStale({ ...base, time: new Date(now - 31 * 60_000).toISOString() }, now)).toBe(true);
    expect(isStale({ ...base, hostname: hostname(), pid: process.pid }, now)).toBe(false);
    expect(isStale({ ...base, hostname: hostname(), pid: 2 ** 22 + 12345 }, now)).toBe(true);
    const t = lockTarget(repo);
    await t.saveLockFile(JSON.stringify({ ...base, hostname: hostname(), pid: 2 ** 22 + 12345 }));
    const live = await Lock.acquire(t, false, FAST); // the stale exclusive lock does not block
    expect(await unlockRepository(t, false)).toHaveLength(1);
    expect(await lockIds(repo)).toEqual([live.id]);
    expect(await unlockRepository(t, true)).toEqual([live.id]);
    await live.release();
  });
});

describe('locks vs restic', () => {
  const run = requireComponent('locks vs restic', resticAvailable, 'restic binary not found');
  it.runIf(run)('conflicts with restic in both directions', async () => {
    const repo = await makeRepo();
    const root = (repo.backend as unknown as { root: string }).root;
    try {
      // restic holds a shared lock while it reads stdin.
      const child = spawn('restic', ['-r', root, '--no-cache', 'backup', '--stdin'], {
        env: { ...process.env, RESTIC_PASSWORD: TEST_PASSWORD },
      });
      const t = lockTarget(repo);
      let theirs: string[] = [];
      for (let i = 0; i < 200 && theirs.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 50));
        theirs = await lockIds(repo);
      }
      expect(theirs).toHaveLength(1);
      await expect(Lock.acquire(t, true, FAST)).rejects.toThrow(LockConflictError);
      child.stdin.end('data');
      await new Promise((r) => child.on('exit', r));
      const mine = await Lock.acquire(t, true, FAST);
      const r = resticRun(root, TEST_PASSWORD, ['backup', '--stdin']);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/locked exclusively/);
      await mine.release();
    } finally {
      rmSync(dirname(root), { recursive: true, force: true });
    }
  });
});
