/**
 * A pack that cannot be stored must never end in a saved snapshot (issue 21, item 1). The storage fails
 * for real: a local backend that refuses the nth pack write (a test fixture), and an HTTP proxy answering
 * 500 to pack uploads in front of a real REST server (`rclone serve restic`). After a failed backup there
 * is no snapshot, no index names a pack that is not stored, restic's own `check` passes and the next
 * backup works; a transient outage is ridden out by retries.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backup, BackupAbortedError } from '../../src/backup/archiver.js';
import type { Backend } from '../../src/backup/backend/backend.js';
import { LocalBackend } from '../../src/backup/backend/local.js';
import { RestBackend } from '../../src/backup/backend/rest.js';
import { checkRepository } from '../../src/backup/check.js';
import { initRepository } from '../../src/backup/init.js';
import { Repository } from '../../src/backup/repository.js';
import { removeTempDirs, tempDir, TEST_KDF } from '../../src/backup/testkit.js';
import {
  failAllPacks,
  FailingBackend,
  failFirstAttempts,
  failPack,
  startFailingProxy,
  type FailRule,
} from '../support/failing-storage.js';
import { hasProgram, requireComponent } from '../support/requires.js';
import { startRclone, type RunningServer } from './backend-servers.js';
import { runCli, SLOW_CLI_MS } from '../support/server.js';
import { prng } from './fixture.js';
import { restic, resticAvailable } from './restic-helpers.js';

const PW = 'failure-pw';
const run = requireComponent(
  'backup failures',
  resticAvailable,
  'restic is not installed (apt-get install restic)',
);
const restOk =
  run &&
  requireComponent('backup failures: REST', hasProgram('rclone', ['version']), 'rclone is not installed');

/** 24 files of 256 KiB of fresh random bytes (seeded), so every run has new packs to write. */
function fillSource(src: string, seed: number): void {
  mkdirSync(src, { recursive: true });
  for (let i = 0; i < 24; i++) writeFileSync(join(src, `f${i}`), prng(seed * 1000 + i, 256 * 1024));
}

/** Every pack id named by an index the repository holds. */
async function indexedPacks(backend: Backend): Promise<Set<string>> {
  const repo = await Repository.open(backend, PW);
  return new Set(repo.index.packs());
}

async function snapshotCount(backend: Backend): Promise<number> {
  let n = 0;
  for await (const _ of backend.list('snapshot')) n++;
  return n;
}

/** What must hold after a backup that failed: nothing names the refused packs, restic agrees, next backup works. */
async function expectCleanFailure(
  backend: Backend,
  refused: Set<string>,
  resticRepo: string,
  seed: number,
  src: string,
): Promise<void> {
  expect(refused.size).toBeGreaterThan(0);
  expect(await snapshotCount(backend)).toBe(0);
  const indexed = await indexedPacks(backend);
  for (const p of refused) expect(indexed.has(p)).toBe(false);
  restic(resticRepo, PW, ['check']);
  const repo = await Repository.open(backend, PW);
  expect((await checkRepository(repo)).errors).toEqual([]);
  fillSource(src, seed);
  const ok = await backup(repo, { targets: [src], packSize: 1024 * 1024, workers: false });
  expect(ok.warnings).toEqual([]);
  restic(resticRepo, PW, ['check', '--read-data']);
}

describe.runIf(run)('a pack the local backend cannot store', () => {
  afterAll(removeTempDirs);

  it('aborts the backup: no snapshot, no index naming the pack, restic check passes', async () => {
    const dir = tempDir('steward-fail-local-');
    const repoDir = join(dir, 'repo');
    const src = join(dir, 'src');
    fillSource(src, 1);
    await initRepository(new LocalBackend(repoDir), PW, { kdf: TEST_KDF });
    const failing = new FailingBackend(new LocalBackend(repoDir), failPack(3));
    const repo = await Repository.open(failing, PW);
    const err = await backup(repo, { targets: [src], packSize: 1024 * 1024 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackupAbortedError);
    expect((err as Error).message).toMatch(/^unable to save snapshot: no space left on device/);
    expect(existsSync(join(repoDir, 'snapshots')) && readdirSync(join(repoDir, 'snapshots'))).toEqual([]);
    await expectCleanFailure(new LocalBackend(repoDir), failing.refused, repoDir, 2, src);
  });
});

describe.runIf(restOk)('a REST server that answers 500 to pack uploads', { timeout: SLOW_CLI_MS }, () => {
  let server: RunningServer;
  let dir = '';
  beforeAll(async () => {
    server = await startRclone();
    dir = tempDir('steward-fail-rest-');
  });
  afterAll(async () => {
    await server?.stop();
    removeTempDirs();
  });

  /** A fresh repository in its own folder of the REST server, reached through a failing proxy. */
  async function throughProxy(name: string, rule: FailRule) {
    const direct = `http://127.0.0.1:${server.port}/${name}/`;
    await initRepository(new RestBackend({ url: direct }), PW, { kdf: TEST_KDF });
    const proxy = await startFailingProxy(server.port, rule);
    const src = join(dir, name);
    fillSource(src, name.length);
    return {
      proxy,
      src,
      direct,
      viaProxy: new RestBackend({ url: `http://127.0.0.1:${proxy.port}/${name}/`, retryBaseMs: 5 }),
    };
  }

  it.each([
    ['one pack, permanently', 'one-pack', failPack(2)],
    ['every pack', 'every-pack', failAllPacks],
  ])('%s: the backup aborts after retries and saves nothing', async (_what, name, rule) => {
    const t = await throughProxy(name, rule);
    try {
      const repo = await Repository.open(t.viaProxy, PW);
      await expect(backup(repo, { targets: [t.src], packSize: 1024 * 1024 })).rejects.toThrow(
        /^unable to save snapshot: .*HTTP 500/,
      );
      // Retried with back-off before giving up: several 500s for the refused pack.
      expect(t.proxy.failures()).toBeGreaterThan(t.proxy.refused.size);
      await expectCleanFailure(
        new RestBackend({ url: t.direct }),
        t.proxy.refused,
        `rest:${t.direct}`,
        9,
        t.src,
      );
    } finally {
      await t.proxy.stop();
    }
  });

  it('fails twice, then succeeds: retries with back-off save the snapshot', async () => {
    const t = await throughProxy('transient', failFirstAttempts(2));
    try {
      const repo = await Repository.open(t.viaProxy, PW);
      const r = await backup(repo, { targets: [t.src], packSize: 1024 * 1024 });
      expect(r.warnings).toEqual([]);
      expect(t.proxy.failures()).toBeGreaterThanOrEqual(2 * 6);
      restic(`rest:${t.direct}`, PW, ['check', '--read-data']);
    } finally {
      await t.proxy.stop();
    }
  });

  it('steward repo backup: one line "unable to save snapshot", exit 1, no lock left', async () => {
    const t = await throughProxy('cli', failPack(1));
    try {
      writeFileSync(join(dir, 'pw'), PW);
      const r = await runCli(['repo', 'backup', '--pack-size', '4', t.src], {
        RESTIC_REPOSITORY: `rest:http://127.0.0.1:${t.proxy.port}/cli/`,
        RESTIC_PASSWORD_FILE: join(dir, 'pw'),
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^steward: unable to save snapshot: .*HTTP 500/m);
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect(r.stdout).not.toMatch(/snapshot \w+ saved/);
      const direct = new RestBackend({ url: t.direct });
      const locks: string[] = [];
      for await (const f of direct.list('lock')) locks.push(f.name);
      expect(locks).toEqual([]);
      expect(await snapshotCount(direct)).toBe(0);
      restic(`rest:${t.direct}`, PW, ['check']);
    } finally {
      await t.proxy.stop();
    }
  });
});
