import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir, startTimeOf } from './datadir-lock.js';

describe('the embedded database lock', () => {
  let dir: string;
  let other: ChildProcess | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'steward-lock-'));
  });
  afterEach(() => {
    other?.kill('SIGKILL');
    other = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  /** A real other process that is not Steward, whose pid a stale lock names (as after a container restart). */
  const sleeper = () => {
    other = spawn('sleep', ['60'], { stdio: 'ignore' });
    return other.pid ?? 0;
  };
  const writeLock = (holder: object) =>
    writeFileSync(join(dir, 'steward.lock'), JSON.stringify({ host: hostname(), ...holder }));

  it('takes over a lock whose pid now belongs to another program', () => {
    const pid = sleeper();
    writeLock({ pid, started: '1' });
    const release = lockDataDir(dir);
    expect(JSON.parse(readFileSync(join(dir, 'steward.lock'), 'utf8'))).toMatchObject({
      pid: process.pid,
      started: startTimeOf(process.pid),
    });
    release();
  });

  it('takes over an older lock without a start time when its pid runs something other than Node', () => {
    writeLock({ pid: sleeper() });
    lockDataDir(dir)();
  });

  it('still refuses while the Steward process that wrote the lock runs', () => {
    const node = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    other = node;
    const pid = node.pid ?? 0;
    writeLock({ pid, started: startTimeOf(pid) });
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    writeLock({ pid });
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
  });
});
