/**
 * Write errors and interruptions end a `steward repo backup` cleanly (issue 21, item 2): a full disk (a
 * small tmpfs), a data folder the user may not write (EACCES), a REST server killed mid-backup, Ctrl-C
 * and SIGTERM. Each gives one clear line and a non-zero exit, removes the lock when the storage is still
 * there, and leaves a repository restic's `check` accepts; temp files of a killed writer are removed by
 * the next backup, unlock or prune. The real CLI runs as a child process.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backup } from '../../src/backup/archiver.js';
import { LocalBackend } from '../../src/backup/backend/local.js';
import { RestBackend } from '../../src/backup/backend/rest.js';
import { initRepository } from '../../src/backup/init.js';
import { prune } from '../../src/backup/prune.js';
import { Repository } from '../../src/backup/repository.js';
import { removeTempDirs, tempDir, TEST_KDF } from '../../src/backup/testkit.js';
import { hasProgram, requireComponent, SKIP_REPORT } from '../support/requires.js';
import { startRclone } from './backend-servers.js';
import { runCli, SLOW_CLI_MS, type CliResult } from '../support/server.js';
import { prng } from './fixture.js';
import { restic, resticAvailable } from './restic-helpers.js';

const PW = 'write-errors-pw';
const run = requireComponent(
  'backup write errors',
  resticAvailable,
  'restic is not installed (apt-get install restic)',
);
const hasRclone = hasProgram('rclone', ['version']);
const isRoot = process.getuid?.() === 0;

function noteSkip(suite: string, why: string): void {
  mkdirSync(dirname(SKIP_REPORT), { recursive: true });
  appendFileSync(SKIP_REPORT, `${suite}: ${why}\n`);
}

/** True when this process may mount a tmpfs (root in a container that allows it). */
function canMount(): boolean {
  if (!isRoot) return false;
  const d = tempDir('steward-mount-probe-');
  const ok = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', d]).status === 0;
  if (ok) spawnSync('umount', [d]);
  return ok;
}
const mountOk = run && canMount();
// Not a component a machine can install: a skip is reported, never a failure, even under CI.
if (run && !mountOk)
  noteSkip('backup write errors: full disk', 'cannot mount a tmpfs (needs root and CAP_SYS_ADMIN)');
if (run && !isRoot) noteSkip('backup write errors: EACCES', 'needs root to run the backup as another user');

/** Files under `dir` (recursively) whose name starts with `prefix`. */
function filesNamed(dir: string, prefix: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...filesNamed(join(dir, e.name), prefix));
    else if (e.name.startsWith(prefix)) out.push(e.name);
  }
  return out;
}

const packs = (repoDir: string): number =>
  filesNamed(join(repoDir, 'data'), '').filter((n) => !n.startsWith('.')).length;

/** A fresh local repository and a source of `files` MiB of new random bytes in a new folder. */
async function setup(
  files: number,
): Promise<{ dir: string; repoDir: string; src: string; env: Record<string, string> }> {
  const dir = tempDir('steward-write-errors-');
  const repoDir = join(dir, 'repo');
  const src = join(dir, 'src');
  mkdirSync(src);
  for (let i = 0; i < files; i++)
    writeFileSync(join(src, `f${i}`), prng((Date.now() % 100_000) + i, 1024 * 1024));
  writeFileSync(join(dir, 'pw'), PW);
  await initRepository(new LocalBackend(repoDir), PW, { kdf: TEST_KDF });
  return { dir, repoDir, src, env: { RESTIC_REPOSITORY: repoDir, RESTIC_PASSWORD_FILE: join(dir, 'pw') } };
}

/** One clear line, no stack trace, and not a saved snapshot. */
function expectCleanError(r: CliResult, message: RegExp): void {
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toMatch(/Unhandled|Node\.js v/);
  expect(r.stdout).not.toMatch(/snapshot \w+ saved/);
}

describe.runIf(run)('write errors during steward repo backup', { timeout: SLOW_CLI_MS }, () => {
  afterAll(removeTempDirs);

  it.runIf(mountOk)(
    'a full disk: "unable to save snapshot: no space left on device", lock removed',
    async () => {
      const dir = tempDir('steward-full-');
      const mnt = join(dir, 'mnt');
      mkdirSync(mnt);
      expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', mnt]).status).toBe(0);
      try {
        const repoDir = join(mnt, 'repo');
        const src = join(dir, 'src');
        mkdirSync(src);
        for (let i = 0; i < 12; i++) writeFileSync(join(src, `f${i}`), prng(500 + i, 1024 * 1024));
        writeFileSync(join(dir, 'pw'), PW);
        await initRepository(new LocalBackend(repoDir), PW, { kdf: TEST_KDF });
        const r = await runCli(['repo', 'backup', '--pack-size', '4', src], {
          RESTIC_REPOSITORY: repoDir,
          RESTIC_PASSWORD_FILE: join(dir, 'pw'),
        });
        expectCleanError(r, /^steward: unable to save snapshot: no space left on device/m);
        expect(readdirSync(join(repoDir, 'locks'))).toEqual([]);
        expect(readdirSync(join(repoDir, 'snapshots'))).toEqual([]);
        // Room again: the repository is valid and the next backup works.
        expect(spawnSync('mount', ['-o', 'remount,size=64m', mnt]).status).toBe(0);
        restic(repoDir, PW, ['check']);
        const ok = await backup(await Repository.open(new LocalBackend(repoDir), PW), { targets: [src] });
        expect(ok.warnings).toEqual([]);
        restic(repoDir, PW, ['check', '--read-data']);
      } finally {
        spawnSync('umount', [mnt]);
      }
    },
  );

  it.runIf(isRoot)('a data folder the user may not write (EACCES): one line, lock removed', async () => {
    const { dir, repoDir, src, env } = await setup(6);
    // Root writes anywhere: the backup runs as `nobody`, who owns the repository but not its data folders.
    expect(spawnSync('chown', ['-R', '65534:65534', dir]).status).toBe(0);
    for (const d of readdirSync(join(repoDir, 'data'))) chmodSync(join(repoDir, 'data', d), 0o555);
    const r = await runCli(['repo', 'backup', '--pack-size', '4', src], env, '', {
      as: { uid: 65534, gid: 65534 },
    });
    expectCleanError(r, /^steward: unable to save snapshot: permission denied: cannot save data\//m);
    expect(readdirSync(join(repoDir, 'locks'))).toEqual([]);
    restic(repoDir, PW, ['check']);
  });

  it.runIf(hasRclone)(
    'the REST server killed mid-backup: one line; unlock and check after it is back',
    async () => {
      const server = await startRclone();
      const dir = tempDir('steward-rest-killed-');
      const src = join(dir, 'src');
      mkdirSync(src);
      for (let i = 0; i < 24; i++) writeFileSync(join(src, `f${i}`), prng(900 + i, 1024 * 1024));
      writeFileSync(join(dir, 'pw'), PW);
      const url = `http://127.0.0.1:${server.port}/`;
      await initRepository(new RestBackend({ url }), PW, { kdf: TEST_KDF });
      let restarted: Awaited<ReturnType<typeof startRclone>> | undefined;
      try {
        const r = await runCli(
          ['repo', 'backup', '--pack-size', '4', src],
          { RESTIC_REPOSITORY: `rest:${url}`, RESTIC_PASSWORD_FILE: join(dir, 'pw') },
          '',
          {
            whileRunning: async () => {
              while (packs(server.dir) < 1) await new Promise((res) => setTimeout(res, 20));
              await server.stop({ keepDir: true });
            },
          },
        );
        expectCleanError(r, /^steward: unable to save snapshot: rest:.*ECONNREFUSED/m);
        // The lock could not be removed with the server gone; back up, `unlock` sees it is stale (dead PID).
        restarted = await startRclone(undefined, server.dir);
        const again = `rest:http://127.0.0.1:${restarted.port}/`;
        const u = await runCli(['repo', 'unlock'], {
          RESTIC_REPOSITORY: again,
          RESTIC_PASSWORD_FILE: join(dir, 'pw'),
        });
        expect(u.code).toBe(0);
        restic(again, PW, ['check']);
      } finally {
        await restarted?.stop();
        await server.stop();
      }
    },
  );

  it.each([
    ['SIGINT', 'interrupt', 130],
    ['SIGTERM', 'terminated', 1],
  ] as const)(
    '%s: "signal %s received, cleaning up", lock removed, repository valid',
    async (sig, name, code) => {
      const { repoDir, src, env } = await setup(32);
      const r = await runCli(['repo', 'backup', '--pack-size', '4', src], env, '', {
        whileRunning: async (child) => {
          while (packs(repoDir) < 1 && child.exitCode === null)
            await new Promise((res) => setTimeout(res, 10));
          child.kill(sig);
        },
      });
      expect(r.stdout).not.toMatch(/snapshot \w+ saved/);
      expect(r.code).toBe(code);
      expect(r.stderr).toContain(`signal ${name} received, cleaning up`);
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect(readdirSync(join(repoDir, 'locks'))).toEqual([]);
      restic(repoDir, PW, ['check']);
    },
  );
});

describe.runIf(run)('temp files of a killed backup', { timeout: SLOW_CLI_MS }, () => {
  let repoDir = '';
  let src = '';
  let env: Record<string, string> = {};
  beforeAll(async () => {
    ({ repoDir, src, env } = await setup(32));
  });
  afterAll(removeTempDirs);

  /**
   * Runs a CLI backup and kills it (SIGKILL) while it writes a temp file; returns the temp files left. On a busy
   * machine the poll can miss the moment a temp file exists (the backup renames it first, or ends): it tries again
   * with new content, a few times.
   */
  async function killMidWrite(seed: number): Promise<string[]> {
    for (let attempt = 0; attempt < 5; attempt++) {
      for (let i = 0; i < 32; i++)
        writeFileSync(join(src, `f${i}`), prng(seed * 1000 + attempt * 100 + i, 1024 * 1024));
      await runCli(['repo', 'backup', '--pack-size', '4', src], env, '', {
        whileRunning: async (child) => {
          while (filesNamed(join(repoDir, 'data'), '.steward-tmp-').length === 0 && child.exitCode === null)
            await new Promise((res) => setImmediate(res));
          child.kill('SIGKILL');
        },
      });
      const left = filesNamed(repoDir, '.steward-tmp-');
      if (left.length > 0) return left;
    }
    return [];
  }

  it('are removed by the next unlock', async () => {
    expect((await killMidWrite(1)).length).toBeGreaterThan(0);
    const u = await runCli(['repo', 'unlock'], env);
    expect(u.code).toBe(0);
    expect(filesNamed(repoDir, '.steward-tmp-')).toEqual([]);
    expect(readdirSync(join(repoDir, 'locks'))).toEqual([]);
  });

  it('are removed by the next backup', async () => {
    expect((await killMidWrite(2)).length).toBeGreaterThan(0);
    // The killed backup's lock is stale (dead PID on this host): the next shared lock ignores it.
    await backup(await Repository.open(new LocalBackend(repoDir), PW), {
      targets: [src],
      workers: false,
      dryRun: false,
    });
    expect(filesNamed(repoDir, '.steward-tmp-')).toEqual([]);
  });

  it('are removed by the next prune', async () => {
    expect((await killMidWrite(3)).length).toBeGreaterThan(0);
    await prune(await Repository.open(new LocalBackend(repoDir), PW));
    expect(filesNamed(repoDir, '.steward-tmp-')).toEqual([]);
    restic(repoDir, PW, ['unlock']);
    restic(repoDir, PW, ['check', '--read-data']);
  });
});
