/**
 * kill -9 of a Steward backup at several moments: restic and Steward must still accept the
 * repository, and the next backup must succeed (and restic check --read-data pass after it).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalBackend } from '../../src/backup/backend/local.js';
import { backup } from '../../src/backup/archiver.js';
import { checkRepository } from '../../src/backup/check.js';
import { initRepository } from '../../src/backup/init.js';
import { prune } from '../../src/backup/prune.js';
import { Repository } from '../../src/backup/repository.js';
import { tempDir, TEST_KDF } from '../../src/backup/testkit.js';
import { requireComponent } from '../support/requires.js';
import { prng } from './fixture.js';
import { restic, resticAvailable } from './restic-helpers.js';

const PW = 'crash-pw';
const run = requireComponent(
  'backup crash interop',
  resticAvailable,
  'restic binary not found (apt-get install restic)',
);

function countFiles(dir: string): number {
  if (!existsSync(dir)) return 0;
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true }))
    n += e.isDirectory() ? countFiles(join(dir, e.name)) : e.name.startsWith('.') ? 0 : 1;
  return n;
}

describe.runIf(run)('kill -9 during a Steward backup', () => {
  let dir = '';
  let repoDir = '';
  let src = '';
  beforeAll(async () => {
    dir = tempDir('steward-crash-');
    repoDir = join(dir, 'repo');
    src = join(dir, 'src');
    mkdirSync(src);
    for (let i = 0; i < 6; i++) writeFileSync(join(src, `f${i}`), prng(1000 + i, 5 * 1024 * 1024));
    await initRepository(new LocalBackend(repoDir), PW, { kdf: TEST_KDF });
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  // Each moment is a predicate on the number of packs written by the child so far.
  const moments: [string, number, (newPacks: number) => boolean][] = [
    ['as soon as its lock exists', 1, () => countFiles(join(repoDir, 'locks')) > 0],
    ['after the first pack', 2, (n) => n >= 1],
    ['after several packs', 3, (n) => n >= 4],
  ];

  it.each(moments)(
    'killed %s: the repository stays valid and the next backup succeeds',
    async (_name, seed, when) => {
      // New contents each time, so the child has new packs to write.
      for (let i = 0; i < 6; i++) writeFileSync(join(src, `f${i}`), prng(seed * 100 + i, 5 * 1024 * 1024));
      const before = countFiles(join(repoDir, 'data'));
      const ready = (): boolean => when(countFiles(join(repoDir, 'data')) - before);
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', join('test', 'interop', 'backup-child.ts'), repoDir, src],
        {
          env: { ...process.env, STEWARD_TEST_PW: PW },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      let finished = false;
      void exited.then(() => (finished = true));
      while (!finished && !ready()) await new Promise((r) => setTimeout(r, 5));
      child.kill('SIGKILL');
      await exited;
      expect(out).not.toMatch(/Error/);
      expect(out).not.toContain('done'); // it really was killed mid-way
      // restic 0.14 does not skip stale locks by itself (newer versions do): `unlock` must see ours
      // as stale (same host, dead PID) and remove it, as it would after a crashed restic.
      restic(repoDir, PW, ['unlock']);
      expect(countFiles(join(repoDir, 'locks'))).toBe(0);
      restic(repoDir, PW, ['check']);
      const repo = await Repository.open(new LocalBackend(repoDir), PW);
      expect((await checkRepository(repo)).errors).toEqual([]);
      const r = await backup(repo, { targets: [src], packSize: 4 * 1024 * 1024 });
      expect(r.warnings).toEqual([]);
      restic(repoDir, PW, ['check', '--read-data']);
    },
  );

  it('prune then removes the packs the killed backups left without an index', async () => {
    const repo = await Repository.open(new LocalBackend(repoDir), PW);
    const st = await prune(repo);
    expect(st.packsUnindexed).toBeGreaterThan(0);
    restic(repoDir, PW, ['check', '--read-data']);
  });
});
